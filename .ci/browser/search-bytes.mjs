// Bytes one search query downloads in Chromium, Follicle's search page against
// the Pagefind JS API on the same built site (run `pagefind --site <site>`
// first). For benches/search.sh; not a CI check.
//
// Usage: node search-bytes.mjs <site-folder> <query> [<search-page-path>]
// Prints one JSON line per engine: files, bytes as served, bytes gzipped
// (gzip -6 of each file, what a host that compresses would send; Pagefind's
// index files are gzipped already) and results.
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serve, CHROMIUM, CHROMIUM_ARGS } from './serve.mjs';

const [root, query, searchPath = '/search/'] = process.argv.slice(2);
if (!root || !query) {
  console.error('usage: node search-bytes.mjs <site-folder> <query> [<search-page-path>]');
  process.exit(2);
}
const { server, origin } = await serve(root);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

async function measure(name, pattern, options, act) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const seen = [];
  page.on('response', async (r) => {
    const u = new URL(r.url());
    if (!pattern.test(u.pathname)) return;
    try {
      const body = await r.body();
      seen.push({ path: u.pathname, bytes: body.length, gzip: gzipSync(body, { level: 6 }).length });
    } catch {}
  });
  const t0 = Date.now();
  const results = await act(page);
  const ms = Date.now() - t0;
  await page.waitForTimeout(200);
  await context.close();
  const sum = (k) => seen.reduce((a, f) => a + Math.min(f[k], k === 'gzip' ? f.bytes : Infinity), 0);
  console.log(JSON.stringify({ engine: name, query, results, files: seen.length, bytes: sum('bytes'), gzip: sum('gzip'), ms, list: seen.map((f) => `${f.path} ${f.bytes}`) }));
}

try {
  await measure('follicle', /\/search-index\/|\/search\.js$/, {}, async (page) => {
    await page.goto(`${origin}${searchPath}?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
    await page.waitForFunction((q) => document.getElementById('search-status').textContent.includes(q), query, { timeout: 20000 });
    return page.locator('#search-results li').count();
  });
  // Pagefind needs WebAssembly, which the site's CSP forbids (in its worker
  // too, which bypassCSP does not reach): measured with the header removed.
  await measure('pagefind', /\/pagefind\//, { bypassCSP: true }, async (page) => {
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['content-security-policy'];
      await route.fulfill({ response, headers });
    });
    // A page in the query's language: Pagefind picks the index by <html lang>.
    await page.goto(`${origin}${searchPath.replace(/search\/$/, '')}404.html`, { waitUntil: 'load' });
    return page.evaluate(async (q) => {
      const pf = await import('/pagefind/pagefind.js');
      const s = await pf.search(q);
      await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
      return s.results.length;
    }, query);
  });
} finally {
  await browser.close();
  server.close();
}
