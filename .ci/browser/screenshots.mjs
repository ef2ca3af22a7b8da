// Full-page PNG screenshots of a built site, for checking by eye, with layout
// probes. Not run in CI (the probes' defects are judged by a person).
//
// node screenshots.mjs <site-folder> <out-folder> [widths=375,1280] [schemes=light,dark] [flags]
//   --pages=/a/,/b/  these site paths instead of one page of each type (a
//                    fixture has no page types); a page is named after its
//                    path (/notes/ -> notes)
//   --review         the bundled site's 15 page types in both languages
//   --probe          print a PROBE line for each shot with a layout defect:
//                    sideways scroll, main nav on more than one row or off
//                    screen, footer above the window's bottom, an element
//                    wider than the window outside a scroller
//   --noshots        probes only, no PNG
//   --print          <name>-print.png (print media at A4 width), and with
//                    --review or --pages also <name>-print-nobg.png (as a
//                    browser prints with "background graphics" off) and
//                    <name>.pdf, whose A4 page count is printed
// Without --pages or --review, print covers the article and the home page.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, pageTypes, CHROMIUM, CHROMIUM_ARGS } from './serve.mjs';

const REVIEW = ['/', '/treatment/', '/treatment/aftercare/', '/understanding/what-is-smp/',
  '/understanding/smp-vs-alternatives/', '/treatment/cost/', '/faq/', '/contact/', '/about/',
  '/privacy/', '/disclaimer/', '/tags/', '/tags/aftercare/', '/search/', '/404.html'];
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const [root, out, w = '375,1280', s = 'light,dark'] = args.filter((a) => !a.startsWith('--'));
if (!root || !out) {
  console.error('usage: node screenshots.mjs <site-folder> <out-folder> [widths] [schemes] [--pages=/a/,/b/] [--review] [--probe] [--noshots] [--print]');
  process.exit(2);
}
const has = (f) => flags.includes(f);
const widths = w.split(',').map(Number);
const schemes = s.split(',');
const name = (p) => p.replace(/^\/|\/$/g, '').replace(/\.html$/, '').replace(/[/.]/g, '-') || 'home';
const only = flags.find((f) => f.startsWith('--pages='));
const chosen = only ? only.slice('--pages='.length).split(',') : has('--review') ? [...REVIEW, ...REVIEW.map((p) => '/es' + p)] : null;
const pages = chosen ? chosen.map((p) => [name(p), p]) : (await pageTypes(root)).pages;
const printed = chosen ? pages : pages.filter(([n]) => n === 'article' || n === 'home');
await mkdir(out, { recursive: true });
const { server, origin } = await serve(root);

async function open(browser, options, path) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.route('**/*', (r) => (new URL(r.request().url()).origin === origin ? r.continue() : r.abort()));
  await page.goto(origin + path, { waitUntil: 'load' });
  // Lazy images below the fold never load in a full-page screenshot: load them all.
  await page.evaluate(async () => {
    for (const i of document.images) i.loading = 'eager';
    await Promise.all([...document.images].map((i) => i.decode().catch(() => {})));
  });
  return page;
}

// Runs in the page: the layout facts a person would notice.
function probe() {
  const de = document.documentElement;
  const vw = de.clientWidth;
  const r = { scrollW: de.scrollWidth, vw };
  const navLis = [...document.querySelectorAll('.main-nav li')];
  r.navRows = new Set(navLis.map((l) => Math.round(l.getBoundingClientRect().top))).size;
  r.navOff = navLis.filter((l) => l.getBoundingClientRect().right > vw + 1).map((l) => l.textContent.trim());
  const f = document.querySelector('.site-footer');
  if (f) r.footerGap = Math.round(Math.max(innerHeight, de.scrollHeight) - (f.getBoundingClientRect().bottom + scrollY));
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  r.wide = [...document.body.querySelectorAll('*')]
    .filter((el) => { const b = el.getBoundingClientRect(); return b.width && b.right > vw + 1 && !scrolls(el); })
    .slice(0, 5).map((el) => el.tagName + '.' + el.className);
  return r;
}
const defect = (p) => p.scrollW > p.vw || p.navRows > 1 || p.navOff.length || p.footerGap > 2 || p.wide.length;

async function shoot(browser, nameOf, path) {
  for (const width of widths) {
    for (const scheme of schemes) {
      const page = await open(browser, { viewport: { width, height: 800 }, colorScheme: scheme }, path);
      if (has('--probe')) {
        const p = await page.evaluate(probe);
        if (defect(p)) console.log('PROBE', path, width, scheme, JSON.stringify(p));
      }
      if (!has('--noshots')) {
        const file = join(out, `${nameOf}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
      }
      await page.context().close();
    }
  }
}

async function print(browser, nameOf, path) {
  const page = await open(browser, { viewport: { width: 794, height: 1123 }, bypassCSP: true }, path);
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: join(out, `${nameOf}-print.png`), fullPage: true });
  console.log(join(out, `${nameOf}-print.png`));
  if (chosen) {
    const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
    await writeFile(join(out, `${nameOf}.pdf`), pdf);
    console.log('PRINT', path, 'A4 pages', (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length);
    // Chromium drops backgrounds when printing unless print-color-adjust is exact.
    await page.addStyleTag({ content: '*,*::before,*::after{background-color:transparent!important;background-image:none!important;box-shadow:none!important}' });
    await page.screenshot({ path: join(out, `${nameOf}-print-nobg.png`), fullPage: true });
  }
  await page.context().close();
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  for (const [n, path] of pages) await shoot(browser, n, path);
  if (has('--print') || !chosen) for (const [n, path] of printed) await print(browser, n, path);
} finally {
  await browser.close();
  server.close();
}
