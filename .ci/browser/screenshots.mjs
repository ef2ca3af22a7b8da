// Writes full-page PNG screenshots of each page type of a built site, for
// checking by eye. Not run in CI.
//
// Usage: node screenshots.mjs <site-folder> <out-folder> [widths=375,1280] [schemes=light,dark]
// Also writes <name>-print.png: the article and the home page with print styles.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, pageTypes, CHROMIUM, CHROMIUM_ARGS } from './serve.mjs';

const [root, out, w = '375,1280', s = 'light,dark'] = process.argv.slice(2);
if (!root || !out) {
  console.error('usage: node screenshots.mjs <site-folder> <out-folder> [widths] [schemes]');
  process.exit(2);
}
const widths = w.split(',').map(Number);
const schemes = s.split(',');
await mkdir(out, { recursive: true });

const { pages } = await pageTypes(root);
const { server, origin } = await serve(root);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  for (const [name, path] of pages) {
    for (const width of widths) {
      for (const scheme of schemes) {
        const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
        const page = await context.newPage();
        await page.route('**/*', (r) => (new URL(r.request().url()).origin === origin ? r.continue() : r.abort()));
        await page.goto(origin + path, { waitUntil: 'load' });
        const file = join(out, `${name}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
        await context.close();
      }
    }
  }
  for (const [name, path] of pages.filter(([n]) => n === 'article' || n === 'home')) {
    const context = await browser.newContext({ viewport: { width: 794, height: 1123 } });
    const page = await context.newPage();
    await page.goto(origin + path, { waitUntil: 'load' });
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
