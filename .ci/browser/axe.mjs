// Runs axe-core in Chromium on one page of each type of a built site, at 375
// and 1280 px, in light and dark mode. Also fails on requests that leave
// 127.0.0.1 (no third-party resources), on pages without exactly one <h1>,
// on content wider than a 320 px viewport and on a main navigation item off
// screen there (the current one hidden in a scrolling row). Pages are served with the
// site's `_headers`; a Content-Security-Policy violation on any page fails.
//
// Usage: node axe.mjs <site-folder> [--all]
//   --all: every .html page of the site instead of one page of each type.
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, pageTypes, CHROMIUM, CHROMIUM_ARGS } from './serve.mjs';

const require = createRequire(import.meta.url);
const root = process.argv[2];
const all = process.argv.includes('--all');
if (!root) {
  console.error('usage: node axe.mjs <site-folder> [--all]');
  process.exit(2);
}

const WIDTHS = [375, 1280];
const SCHEMES = ['light', 'dark'];
const NARROWEST = 320;
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
let failures = 0;
const fail = (msg) => {
  failures++;
  console.error(`FAIL ${msg}`);
};

let pages;
if (all) {
  pages = [];
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.html')).sort();
  for (const f of files) {
    // Redirect stubs (aliases) navigate away at once; they are not pages.
    if (/http-equiv="?refresh/i.test(await readFile(join(root, f), 'utf8'))) continue;
    const path = '/' + f.split(sep).join('/').replace(/(^|\/)index\.html$/, '$1');
    pages.push([path === '/404.html' ? '404' : 'page', path]);
  }
} else {
  const found = await pageTypes(root);
  pages = found.pages;
  for (const m of found.missing) fail(`missing page type: ${m}`);
}

// Elements sticking out past the right edge of the viewport, outside any
// scroll container (wide tables scroll inside their own box on purpose).
function overflowing() {
  const vw = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1) continue;
    let p = el.parentElement;
    let clipped = false;
    while (p && p !== document.body) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) {
        clipped = true;
        break;
      }
      p = p.parentElement;
    }
    if (!clipped) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).replace(/ /g, '.') : ''));
  }
  return { scrolls: document.documentElement.scrollWidth > vw, wide: wide.slice(0, 5) };
}

// Main navigation items (the current one above all) that are not wholly on
// screen: a sideways-scrolling or clipped nav hides them on phones.
function hiddenNavItems() {
  const vw = document.documentElement.clientWidth;
  return [...document.querySelectorAll('.main-nav a')]
    .filter((a) => {
      const r = a.getBoundingClientRect();
      return r.width === 0 || r.left < 0 || r.right > vw + 1;
    })
    .map((a) => a.textContent.trim() + (a.hasAttribute('aria-current') ? ' (current)' : ''));
}

const { server, origin } = await serve(root);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** Content-Security-Policy violations on one page, served with the site's headers. */
async function cspViolations(path) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const seen = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) seen.push(m.text());
    });
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
      );
    });
    const resp = await page.goto(origin + path, { waitUntil: 'load' });
    const csp = resp && resp.headers()['content-security-policy'];
    if (!csp) seen.push('served without a Content-Security-Policy header (is _headers missing?)');
    seen.push(...(await page.evaluate(() => window.__csp)));
    return seen;
  } finally {
    await context.close();
  }
}

try {
  for (const [name, path] of pages) {
    const v = await cspViolations(path);
    if (v.length) fail(`${name} ${path}: Content-Security-Policy: ${v.join('; ')}`);
    else console.log(`ok   ${name} ${path} under the site's Content-Security-Policy`);
  }
  for (const [name, path] of pages) {
    for (const width of WIDTHS) {
      for (const scheme of SCHEMES) {
        const label = `${name} ${path} @${width}px ${scheme}`;
        // axe is injected as an inline script: the policy is checked above.
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, reducedMotion: 'reduce', bypassCSP: true });
        try {
          const page = await context.newPage();
          const foreign = new Set();
          await page.route('**/*', (route) => {
            const u = new URL(route.request().url());
            if (u.origin === origin || u.protocol === 'data:') return route.continue();
            foreign.add(u.href);
            return route.abort();
          });
          const resp = await page.goto(origin + path, { waitUntil: 'load' });
          if (!resp || resp.status() !== 200) fail(`${label}: HTTP ${resp && resp.status()}`);
          await page.addScriptTag({ content: axeSource });
          const result = await page.evaluate(
            (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
            TAGS,
          );
          let bad = false;
          for (const v of result.violations) {
            bad = true;
            fail(`${label}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
            for (const n of v.nodes.slice(0, 10)) {
              console.error(`    ${n.target.join(' ')}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`);
            }
            if (v.nodes.length > 10) console.error(`    … and ${v.nodes.length - 10} more`);
          }
          const h1 = await page.locator('h1').count();
          if (h1 !== 1) {
            bad = true;
            fail(`${label}: ${h1} <h1> elements, expected 1`);
          }
          for (const f of foreign) {
            bad = true;
            fail(`${label}: third-party request ${f}`);
          }
          if (!bad) console.log(`ok   ${label}`);
          if (width === WIDTHS[0] && scheme === SCHEMES[0]) {
            await page.setViewportSize({ width: NARROWEST, height: 900 });
            const o = await page.evaluate(overflowing);
            if (o.scrolls || o.wide.length) fail(`${name} ${path} @${NARROWEST}px: wider than the viewport: ${o.wide.join(', ') || 'the page scrolls sideways'}`);
            const hidden = await page.evaluate(hiddenNavItems);
            if (hidden.length) fail(`${name} ${path} @${NARROWEST}px: navigation items off screen: ${hidden.join(', ')}`);
          }
        } catch (e) {
          fail(`${label}: ${e.message.split('\n')[0]}`);
        } finally {
          await context.close();
        }
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
