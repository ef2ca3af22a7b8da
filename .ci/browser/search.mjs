// Site search in Chromium, on a built site served with its `_headers` (so the
// Content-Security-Policy is in force):
// - "aftercare" on /search/ lists the aftercare page first;
// - "cuidados" on /es/search/ finds the Spanish aftercare page;
// - "washing" (a form the stemmer reduces to "wash") matches a page that says
//   "wash", with the word marked in the excerpt;
// - keyboard only: Tab to the header box, type, Enter, Tab to the first result;
// - without JavaScript the search page lists the sections;
// - no request leaves 127.0.0.1, no CSP violation, axe passes with results shown.
// Prints keystroke-to-results times (target 300 ms; reported, not enforced)
// and the bytes one query downloaded.
//
// Usage: node search.mjs <site-folder>
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serve, CHROMIUM, CHROMIUM_ARGS } from './serve.mjs';

const require = createRequire(import.meta.url);
const root = process.argv[2];
if (!root) {
  console.error('usage: node search.mjs <site-folder>');
  process.exit(2);
}
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];
const TARGET_MS = 300;
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

let failures = 0;
const fail = (msg) => {
  failures++;
  console.error(`FAIL ${msg}`);
};
const ok = (msg) => console.log(`ok   ${msg}`);

const { server, origin } = await serve(root);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** A fresh page that records foreign requests, CSP violations and the bytes of search requests. */
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 375, height: 900 }, ...options });
  const page = await context.newPage();
  const rec = { foreign: new Set(), csp: [], bytes: 0, files: [] };
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.origin === origin) return route.continue();
    rec.foreign.add(u.href);
    return route.abort();
  });
  page.on('response', async (r) => {
    const u = new URL(r.url());
    if (!/\/search-index\/|\/search\.js$/.test(u.pathname)) return;
    try {
      const n = (await r.body()).length;
      rec.bytes += n;
      rec.files.push(`${u.pathname} ${n}`);
    } catch {}
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
  });
  rec.done = async (label) => {
    if (options.javaScriptEnabled !== false) rec.csp.push(...(await page.evaluate(() => window.__csp)));
    for (const f of rec.foreign) fail(`${label}: request left the site: ${f}`);
    for (const c of rec.csp) fail(`${label}: Content-Security-Policy: ${c}`);
    await context.close();
  };
  return { page, rec };
}

/** Type `query` into the search box and wait for the announced result count; gives ms from the last keydown to the results. */
async function query(page, query) {
  await page.evaluate(() => {
    window.__key = 0;
    window.__shown = 0;
    document.addEventListener('keydown', () => (window.__key = performance.now()), true);
    new MutationObserver(() => (window.__shown = performance.now())).observe(document.getElementById('search-results'), { childList: true });
  });
  await page.locator('#search-q').click();
  await page.keyboard.type(query, { delay: 40 });
  await page.waitForFunction(
    (q) => document.getElementById('search-status').textContent.includes(q) && window.__shown > window.__key,
    query,
    { timeout: 5000 },
  );
  return page.evaluate(() => window.__shown - window.__key);
}

const results = (page) =>
  page.$$eval('#search-results li', (lis) => lis.map((li) => ({ href: li.querySelector('a').getAttribute('href'), marks: [...li.querySelectorAll('mark')].map((m) => m.textContent) })));

const times = [];
try {
  // "aftercare" first.
  {
    const { page, rec } = await open();
    await page.goto(origin + '/search/', { waitUntil: 'load' });
    const ms = await query(page, 'aftercare');
    times.push(['aftercare', ms]);
    const r = await results(page);
    if (!r.length || !r[0].href.endsWith('/treatment/aftercare/')) fail(`"aftercare": first result is ${r[0] && r[0].href}, expected /treatment/aftercare/`);
    else ok(`"aftercare": first of ${r.length} results is ${r[0].href} (${ms.toFixed(0)} ms after the last keystroke)`);
    console.log(`     one query downloaded ${rec.bytes} bytes: ${rec.files.join(', ')}`);
    const status = await page.textContent('#search-status');
    if (!/\d+ pages? match/.test(status)) fail(`"aftercare": the live region says "${status}"`);
    await rec.done('"aftercare"');
  }
  // "cuidados" on the Spanish search page.
  {
    const { page, rec } = await open();
    await page.goto(origin + '/es/search/', { waitUntil: 'load' });
    const ms = await query(page, 'cuidados');
    times.push(['cuidados', ms]);
    const r = await results(page);
    const at = r.findIndex((x) => x.href.endsWith('/es/treatment/aftercare/'));
    if (at < 0 || at > 2) fail(`"cuidados": the Spanish aftercare page is not in the first three: ${r.map((x) => x.href).join(' ')}`);
    else ok(`"cuidados" on /es/search/: /es/treatment/aftercare/ is result ${at + 1} of ${r.length} (${ms.toFixed(0)} ms)`);
    if (r.some((x) => !x.href.startsWith('/es/'))) fail(`"cuidados": a result outside /es/: ${r.map((x) => x.href).join(' ')}`);
    await rec.done('"cuidados"');
  }
  // A stemmed form.
  {
    const { page, rec } = await open();
    await page.goto(origin + '/search/', { waitUntil: 'load' });
    const ms = await query(page, 'washing');
    times.push(['washing', ms]);
    const r = await results(page);
    const hit = r.find((x) => x.marks.some((m) => m.toLowerCase() === 'wash'));
    if (!hit) fail(`"washing": no result marks the word "wash": ${JSON.stringify(r)}`);
    else ok(`"washing": ${hit.href} matches, with "wash" marked (${r.length} results, ${ms.toFixed(0)} ms)`);
    await rec.done('"washing"');
  }
  // Keyboard only, from the header box of an article.
  {
    const { page, rec } = await open();
    await page.goto(origin + '/treatment/aftercare/', { waitUntil: 'load' });
    let found = false;
    for (let i = 0; i < 30 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement && document.activeElement.id === 'header-q');
    }
    if (!found) fail('keyboard: Tab never reaches the header search box');
    else {
      await page.keyboard.type('aftercare');
      await Promise.all([page.waitForURL(/\/search\/\?q=aftercare/), page.keyboard.press('Enter')]);
      await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0, null, { timeout: 5000 });
      // The search page: Tab to its box, then past its button to the first result.
      let inBox = false;
      for (let i = 0; i < 30 && !inBox; i++) {
        await page.keyboard.press('Tab');
        inBox = await page.evaluate(() => document.activeElement && document.activeElement.id === 'search-q');
      }
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      const href = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('href'));
      if (!href || !href.endsWith('/treatment/aftercare/')) fail(`keyboard: focus after the results is on ${href}`);
      else ok('keyboard: Tab to the header box, type, Enter; on the search page Tab reaches its box, then the first result');
    }
    await rec.done('keyboard');
  }
  // Without JavaScript: the sections instead.
  {
    const { page, rec } = await open({ javaScriptEnabled: false });
    await page.goto(origin + '/search/?q=aftercare', { waitUntil: 'load' });
    const links = await page.locator('#search-browse a').count();
    const note = await page.isVisible('#search-nojs');
    if (!links || !note) fail(`without JavaScript: ${links} section links, note visible: ${note}`);
    else ok(`without JavaScript: the search page lists ${links} sections`);
    await rec.done('no JavaScript');
  }
  // axe with results shown, light and dark, and nothing wider than 320 px.
  for (const [path, q] of [['/search/', 'aftercare'], ['/es/search/', 'cuidados']]) {
    for (const colorScheme of ['light', 'dark']) {
      const label = `axe ${path}?q=${q} ${colorScheme}`;
      const { page, rec } = await open({ bypassCSP: true, colorScheme, viewport: { width: 320, height: 800 } });
      await page.goto(`${origin}${path}?q=${q}`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0, null, { timeout: 5000 });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), TAGS);
      for (const v of result.violations) fail(`${label}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('; ')})`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
      if (wide) fail(`${label}: wider than 320 px`);
      if (!result.violations.length && !wide) ok(`${label}: no violations at 320 px`);
      await rec.done(label);
    }
  }
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await browser.close();
  server.close();
}

const worst = Math.max(...times.map(([, ms]) => ms));
console.log(`keystroke to results: ${times.map(([q, ms]) => `${q} ${ms.toFixed(0)} ms`).join(', ')}`);
// A figure, not a pass/fail check: on a busy CI machine it varies 2-3x.
if (times.length && worst > TARGET_MS) console.log(`note keystroke to results took ${worst.toFixed(0)} ms, more than the ${TARGET_MS} ms target (a busy machine?)`);
if (failures) {
  console.error(`\nsearch: ${failures} failure(s)`);
  process.exit(1);
}
console.log('\nsearch: all checks passed');
