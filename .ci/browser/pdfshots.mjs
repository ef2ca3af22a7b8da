// Print check (issue 21 review helper): each path printed to A4 PDF without
// background graphics (Chromium's default), then every PDF page shot from
// Chromium's PDF viewer into one PNG per path. node pdfshots.mjs <site> <out> /a/ /b/ ...
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, CHROMIUM, CHROMIUM_ARGS } from './serve.mjs';
const [root, out, ...paths] = process.argv.slice(2);
await mkdir(out, { recursive: true });
const name = (p) => p.replace(/^\/|\/$/g, '').replace(/\.html$/, '').replace(/[/.]/g, '_') || 'home';
const { server, origin } = await serve(root);
const b = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  for (const p of paths) {
    const page = await (await b.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(origin + p, { waitUntil: 'load' });
    await page.evaluate(async () => { for (const i of document.images) i.loading = 'eager'; await Promise.all([...document.images].map((i) => i.decode().catch(() => {}))); });
    const pdfFile = join(out, name(p) + '.pdf');
    const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
    await writeFile(pdfFile, pdf);
    const n = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    console.log(p, 'pages', n);
    // One shot per page: the viewer's two-up view is not scriptable.
    const shots = [];
    for (let i = 1; i <= n; i++) {
      const w = await (await b.newContext({ viewport: { width: 640, height: 900 } })).newPage();
      await w.goto('file://' + pdfFile + `#page=${i}&view=Fit&toolbar=0&navpanes=0`);
      await w.waitForTimeout(2000);
      const f = join(out, `${name(p)}-pdf${i}.png`);
      await w.screenshot({ path: f });
      shots.push(f);
      await w.context().close();
    }
    await page.context().close();
    console.log(shots.join(' '));
  }
} finally { await b.close(); server.close(); }
