// The writer's panel of `follicle serve` in Chromium (issue 19):
// - serves a copy of a small fixture site with the real binary;
// - plants a broken link, an image without alt text and a long sentence in a
//   page; the panel (collapsed to a count, a <button aria-expanded>) opens from
//   the keyboard and lists all three with their lines;
// - "Mark the hardest sentences" marks the long sentence in the page;
// - fixing the page makes them go, without touching the browser;
// - no request leaves 127.0.0.1 and no CSP violation (the page is served
//   with the published site's script-src 'self' policy in a <meta>);
// - screenshots of the open panel at 390 px and 1280 px into $PANEL_SHOTS
//   (default: a temporary folder).
//
// Usage: node panel.mjs <follicle-binary> <fixture-site-folder>
import { cp, mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './serve.mjs';

const [bin, fixture] = process.argv.slice(2);
if (!bin || !fixture) {
  console.error('usage: node panel.mjs <follicle-binary> <fixture-site-folder>');
  process.exit(2);
}
let failures = 0;
const fail = (msg) => { failures++; console.error(`FAIL ${msg}`); };
const ok = (msg) => console.log(`ok   ${msg}`);

const work = await mkdtemp(join(tmpdir(), 'follicle-panel-'));
const site = join(work, 'site');
await cp(fixture, site, { recursive: true });
const shots = process.env.PANEL_SHOTS || join(work, 'shots');
await mkdir(shots, { recursive: true });

const LONG = 'Because the pigment that the practitioner deposits into the upper layers of the scalp needs time to settle, and because the skin around each of the tiny impressions is still healing and may feel tender, tight or itchy for several days after the session, you should avoid washing, scratching, sweating heavily, swimming and any direct exposure to strong sunlight until your practitioner tells you that the treated area has fully recovered.';
const page = (broken) => `+++
title = "Planted"
+++
## Before you come

${broken ? 'See our [prices](/prices/) first.' : 'See our [aftercare](@/care/aftercare.md) first.'}

${broken ? '![](/style.css)' : '![A calm treatment room](/style.css)'}

${broken ? LONG : 'Rest well. Keep your scalp dry for four days.'}
`;
const file = join(site, 'content/care/planted.md');
await writeFile(file, page(true));

const port = await new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const server = spawn(bin, ['serve', '--root', site, '--port', String(port), '--open-in', 'vscode'], { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
server.stderr.on('data', (d) => { log += d; });
const origin = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(`${origin}/`)).ok) break; } catch { /* not yet */ }
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const tab = await context.newPage();
  const foreign = new Set();
  const csp = [];
  await tab.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.origin === origin) return route.continue();
    foreign.add(u.href);
    return route.abort();
  });
  tab.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()); });
  // The published site's policy, as a <meta>, so inline code would be refused here too.
  await tab.route(`${origin}/care/planted/`, async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'">`);
    return route.fulfill({ response: res, body: html });
  });
  await tab.goto(`${origin}/care/planted/`);
  const toggle = tab.locator('#follicle-panel button.fp-toggle');
  await toggle.waitFor();
  await tab.waitForFunction(() => /[1-9]/.test(document.querySelector('#follicle-panel .fp-count')?.textContent || ''));
  if ((await toggle.getAttribute('aria-expanded')) === 'false') ok('the panel starts collapsed to a count');
  else fail('the panel did not start collapsed');
  // Keyboard: Tab until the toggle has focus, then Enter.
  let reached = false;
  for (let i = 0; i < 60 && !reached; i++) {
    await tab.keyboard.press('Tab');
    reached = await tab.evaluate(() => document.activeElement?.classList.contains('fp-toggle'));
  }
  if (reached) ok('the panel button is reachable with Tab'); else fail('Tab never reached the panel button');
  await tab.keyboard.press('Enter');
  if ((await toggle.getAttribute('aria-expanded')) === 'true') ok('Enter opens it (aria-expanded="true")');
  else fail('Enter did not open the panel');
  const entries = async () => tab.$$eval('#follicle-panel li', (lis) => lis.map((li) => ({
    rule: li.dataset.rule, line: Number(li.dataset.line), text: li.textContent,
    editor: li.querySelector('a.fp-where')?.getAttribute('href') || null,
  })));
  const want = [['broken-link', 6], ['missing-alt', 8], ['reading-level', 10]];
  const seen = await entries();
  for (const [rule, line] of want) {
    const e = seen.find((x) => x.rule === rule && x.line === line);
    if (e) ok(`${rule} listed at line ${line}`);
    else fail(`${rule} at line ${line} not in the panel: ${JSON.stringify(seen)}`);
  }
  const link = seen.find((x) => x.rule === 'broken-link')?.editor || '';
  if (/^vscode:\/\/file\/.*content\/care\/planted\.md:6:\d+$/.test(link)) ok(`editor link ${link}`);
  else fail(`editor link is ${link}`);
  await tab.waitForTimeout(200);
  await tab.screenshot({ path: join(shots, 'panel-390.png') });
  await tab.getByRole('button', { name: /hardest sentences/ }).click();
  const marked = await tab.$$eval('mark.follicle-hard', (ms) => ms.map((m) => m.textContent));
  if (marked.some((t) => t.startsWith('Because the pigment'))) ok('the long sentence is marked in place');
  else fail(`marks: ${JSON.stringify(marked)}`);
  await tab.setViewportSize({ width: 1280, height: 800 });
  await tab.screenshot({ path: join(shots, 'panel-1280.png') });

  // Fix the page; the panel follows by itself.
  await writeFile(file, page(false));
  try {
    await tab.waitForFunction(() => {
      const rules = [...document.querySelectorAll('#follicle-panel li')].map((li) => li.dataset.rule);
      return document.querySelector('#follicle-panel .fp-toggle')
        && !rules.some((r) => ['broken-link', 'missing-alt', 'reading-level'].includes(r));
    }, null, { timeout: 15000 });
    ok('after the fix none of the three is listed');
  } catch {
    fail(`still listed after the fix: ${JSON.stringify(await entries())}`);
  }
  // A save that breaks the site: the overlay is opaque and fits 390 px.
  await tab.setViewportSize({ width: 390, height: 844 });
  await writeFile(file, '+++\ntitle = "Planted"\ndraft = "yes"\n+++\nBody.\n');
  try {
    await tab.waitForSelector('#follicle-error', { timeout: 15000 });
    const o = await tab.evaluate(() => {
      const e = document.querySelector('#follicle-error');
      const bg = getComputedStyle(e).backgroundColor;
      return { bg, wide: e.scrollWidth > e.clientWidth, text: e.textContent };
    });
    if (/^rgb\(/.test(o.bg) && !o.wide && o.text.includes('planted.md:3')) ok(`the error overlay is opaque (${o.bg}), fits 390 px and names the line`);
    else fail(`overlay: ${JSON.stringify(o)}`);
    await tab.screenshot({ path: join(shots, 'overlay-390.png') });
  } catch (e) {
    fail(`no error overlay: ${e}`);
  }
  await writeFile(file, page(false));
  if (foreign.size) fail(`requests left 127.0.0.1: ${[...foreign].join(', ')}`); else ok('no third-party request');
  if (csp.length) fail(`CSP violations: ${csp.join(' | ')}`); else ok('no CSP violation');
} finally {
  await browser.close();
  server.kill();
}
console.log(`screenshots: ${shots}`);
if (failures) {
  console.error(`${failures} panel check(s) failed\n${log.slice(-2000)}`);
  process.exit(1);
}
