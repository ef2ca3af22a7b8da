// Writes full-page PNG screenshots of each page type of a built site, for
// checking by eye. Not run in CI.
//
// Usage: node screenshots.mjs <site-folder> <out-folder> [widths=375,1280] [schemes=light,dark] [--pages=/a/,/b/]
// Also writes <name>-print.png with print styles at A4 width (794 px): the
// article and the home page, or every page given with --pages. --pages takes
// site paths instead of one page of each type (a fixture has no page types);
// a page is named after its path (/notes/ -> notes).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, pageTypes, CHROMIUM, CHROMIUM_ARGS } from './serve.mjs';

const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const [root, out, w = '375,1280', s = 'light,dark'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!root || !out) {
  console.error('usage: node screenshots.mjs <site-folder> <out-folder> [widths] [schemes] [--pages=/a/,/b/]');
  process.exit(2);
}
const widths = w.split(',').map(Number);
const schemes = s.split(',');
const only = flags.find((f) => f.startsWith('--pages='));
await mkdir(out, { recursive: true });

const pages = only
  ? only
      .slice('--pages='.length)
      .split(',')
      .map((p) => [p.replace(/^\/|\/$/g, '').replace(/[/.]/g, '-') || 'home', p])
  : (await pageTypes(root)).pages;
const printed = only ? pages : pages.filter(([n]) => n === 'article' || n === 'home');
const { server, origin } = await serve(root);
// Lazy images below the fold never load in a full-page screenshot: load them all.
async function eager(page) {
  await page.evaluate(async () => {
    for (const i of document.images) i.loading = 'eager';
    await Promise.all([...document.images].map((i) => i.decode().catch(() => {})));
  });
}
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  for (const [name, path] of pages) {
    for (const width of widths) {
      for (const scheme of schemes) {
        const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
        const page = await context.newPage();
        await page.route('**/*', (r) => (new URL(r.request().url()).origin === origin ? r.continue() : r.abort()));
        await page.goto(origin + path, { waitUntil: 'load' });
        await eager(page);
        const file = join(out, `${name}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
        await context.close();
      }
    }
  }
  for (const [name, path] of printed) {
    const context = await browser.newContext({ viewport: { width: 794, height: 1123 } });
    const page = await context.newPage();
    await page.route('**/*', (r) => (new URL(r.request().url()).origin === origin ? r.continue() : r.abort()));
    await page.goto(origin + path, { waitUntil: 'load' });
        await eager(page);
    await page.emulateMedia({ media: 'print' });
    const file = join(out, `${name}-print.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
