// Visual review helper (issue 21), not run in CI: full-page screenshots of the
// bundled site's page types in both languages, with layout probes printed as
// PROBE lines (sideways scroll, main nav on more than one row or off screen,
// footer above the window's bottom). --print adds <name>-print.png (print
// media) and <name>-print-nobg.png (backgrounds stripped, as a browser prints
// with "background graphics" off) and the A4 page count.
// node vis.mjs <site> <out> [widths=320,390,768,1280] [schemes=light,dark]
//   [--pages=/a/,/b/] [--print] [--noshots] [--probeonly]
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, CHROMIUM, CHROMIUM_ARGS } from './serve.mjs';
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const [root, out, w = '320,390,768,1280', s = 'light,dark'] = args.filter((a) => !a.startsWith('--'));
const EN = ['/', '/treatment/', '/treatment/aftercare/', '/understanding/what-is-smp/', '/understanding/smp-vs-alternatives/', '/treatment/cost/', '/faq/', '/contact/', '/about/', '/privacy/', '/disclaimer/', '/tags/', '/tags/aftercare/', '/search/', '/404.html'];
const only = flags.find((f) => f.startsWith('--pages='));
const paths = only ? only.slice(8).split(',') : [...EN, ...EN.map((p) => '/es' + p)];
const name = (p) => p.replace(/^\/|\/$/g, '').replace(/\.html$/, '').replace(/[/.]/g, '_') || 'home';
await mkdir(out, { recursive: true });
const { server, origin } = await serve(root);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
async function eager(page) {
  await page.evaluate(async () => {
    for (const i of document.images) i.loading = 'eager';
    await Promise.all([...document.images].map((i) => i.decode().catch(() => {})));
  });
}
function probe() {
  const de = document.documentElement, vw = de.clientWidth;
  const r = { scrollW: de.scrollWidth, vw };
  const navLis = [...document.querySelectorAll('.main-nav li')];
  r.navRows = new Set(navLis.map((l) => Math.round(l.getBoundingClientRect().top))).size;
  r.navOff = navLis.filter((l) => l.getBoundingClientRect().right > vw + 1).map((l) => l.textContent.trim());
  const f = document.querySelector('.site-footer');
  if (f) { const b = f.getBoundingClientRect().bottom + scrollY; r.footerGap = Math.round(Math.max(innerHeight, de.scrollHeight) - b); }
  const hb = document.querySelector('.header-bar');
  r.headerH = hb ? Math.round(hb.getBoundingClientRect().height) : 0;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const b = el.getBoundingClientRect();
    if (b.width && b.right > vw + 1) {
      let p = el.parentElement, inside = false;
      while (p && p !== document.body) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') { inside = true; break; } p = p.parentElement; }
      if (!inside) wide.push(el.tagName + '.' + el.className);
    }
  }
  r.wide = wide.slice(0, 5);
  return r;
}
const report = [];
try {
  if (!flags.includes('--noshots')) for (const p of paths) for (const width of w.split(',').map(Number)) for (const scheme of s.split(',')) {
    const ctx = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
    const page = await ctx.newPage();
    await page.route('**/*', (r) => (new URL(r.request().url()).origin === origin ? r.continue() : r.abort()));
    await page.goto(origin + p, { waitUntil: 'load' });
    await eager(page);
    const pr = await page.evaluate(probe);
    report.push({ p, width, scheme, ...pr });
    if (pr.scrollW > pr.vw || pr.navRows > 1 || pr.navOff.length || pr.footerGap > 2 || pr.wide.length) console.log('PROBE', p, width, scheme, JSON.stringify(pr));
    if (!flags.includes('--probeonly')) await page.screenshot({ path: join(out, `${name(p)}-${width}-${scheme}.png`), fullPage: true });
    await ctx.close();
  }
  if (flags.includes('--print')) for (const p of paths) {
    const ctx = await browser.newContext({ viewport: { width: 794, height: 1123 }, bypassCSP: true });
    const page = await ctx.newPage();
    await page.route('**/*', (r) => (new URL(r.request().url()).origin === origin ? r.continue() : r.abort()));
    await page.goto(origin + p, { waitUntil: 'load' });
    await eager(page);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(out, `${name(p)}-print.png`), fullPage: true });
    // Without background graphics: Chromium drops backgrounds unless print-color-adjust:exact.
    await page.addStyleTag({ content: '*,*::before,*::after{background-color:transparent!important;background-image:none!important;box-shadow:none!important}' });
    await page.screenshot({ path: join(out, `${name(p)}-print-nobg.png`), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: false, margin: { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' } });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    console.log('PRINT', p, 'pages', pages);
    await ctx.close();
  }
} finally {
  await writeFile(join(out, 'probe.json'), JSON.stringify(report, null, 1));
  await browser.close();
  server.close();
}
