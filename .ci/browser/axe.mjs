// Runs axe-core in Chromium on each page type of a built site, at 375 and
// 1280 px, in light and dark mode. Also fails on requests that leave
// 127.0.0.1 (no third-party resources), on horizontal scrolling at 320 px,
// and on pages without exactly one <h1>.
//
// Usage: node axe.mjs <site-folder>
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serve, pageTypes, CHROMIUM, CHROMIUM_ARGS } from './serve.mjs';

const require = createRequire(import.meta.url);
const root = process.argv[2];
if (!root) {
  console.error('usage: node axe.mjs <site-folder>');
  process.exit(2);
}

const WIDTHS = [375, 1280];
const SCHEMES = ['light', 'dark'];
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const { pages, missing } = await pageTypes(root);
let failures = 0;
for (const m of missing) {
  console.error(`MISSING ${m}`);
  failures++;
}

const { server, origin } = await serve(root);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  for (const [name, path] of pages) {
    for (const width of WIDTHS) {
      for (const scheme of SCHEMES) {
        const context = await browser.newContext({
          viewport: { width, height: 900 },
          colorScheme: scheme,
          reducedMotion: 'reduce',
        });
        const page = await context.newPage();
        const foreign = [];
        await page.route('**/*', (route) => {
          const u = new URL(route.request().url());
          if (u.origin === origin || u.protocol === 'data:') return route.continue();
          foreign.push(u.href);
          return route.abort();
        });
        const label = `${name} ${path} @${width}px ${scheme}`;
        const resp = await page.goto(origin + path, { waitUntil: 'load' });
        const expected = name === '404' ? [200, 404] : [200];
        if (!resp || !expected.includes(resp.status())) {
          console.error(`FAIL ${label}: HTTP ${resp && resp.status()}`);
          failures++;
        }
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
          TAGS,
        );
        const h1 = await page.locator('h1').count();
        if (h1 !== 1) {
          console.error(`FAIL ${label}: ${h1} <h1> elements`);
          failures++;
        }
        for (const v of result.violations) {
          failures++;
          console.error(`FAIL ${label}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
          for (const n of v.nodes.slice(0, 10)) {
            console.error(`    ${n.target.join(' ')}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`);
          }
          if (v.nodes.length > 10) console.error(`    … and ${v.nodes.length - 10} more`);
        }
        for (const f of new Set(foreign)) {
          failures++;
          console.error(`FAIL ${label}: third-party request ${f}`);
        }
        if (!result.violations.length && !foreign.length) console.log(`ok   ${label}`);
        // Narrowest supported width: nothing may scroll sideways.
        if (width === WIDTHS[0] && scheme === SCHEMES[0]) {
          await page.setViewportSize({ width: 320, height: 900 });
          const overflow = await page.evaluate(() => {
            const vw = document.documentElement.clientWidth;
            const wide = [];
            for (const el of document.querySelectorAll('body *')) {
              const r = el.getBoundingClientRect();
              if (r.right > vw + 1 && getComputedStyle(el).position !== 'absolute') {
                // Ignore children of scroll containers (wide tables scroll on purpose).
                let p = el.parentElement;
                let scrolls = false;
                while (p && p !== document.body) {
                  const o = getComputedStyle(p).overflowX;
                  if (o === 'auto' || o === 'scroll' || o === 'hidden') { scrolls = true; break; }
                  p = p.parentElement;
                }
                if (!scrolls) wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
              }
            }
            return { scroll: document.documentElement.scrollWidth > vw, wide: wide.slice(0, 5) };
          });
          if (overflow.scroll || overflow.wide.length) {
            failures++;
            console.error(`FAIL ${name} ${path} @320px: content wider than the viewport: ${overflow.wide.join(', ')}`);
          }
        }
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}

if (failures) {
  console.error(`\naxe: ${failures} failure(s)`);
  process.exit(1);
}
console.log(`\naxe: 0 violations on ${pages.length} pages × ${WIDTHS.length} widths × ${SCHEMES.length} colour schemes`);
