// A tiny static file server for a built Follicle site, bound to 127.0.0.1 only.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
};

async function isFile(p) {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/**
 * The headers a `_headers` file (Netlify / Cloudflare Pages format) gives every
 * file: the block under a `/*` or `/prefix/*` rule. Other rules are not used
 * by Follicle's file and are ignored here.
 */
async function siteHeaders(base) {
  let text;
  try {
    text = await readFile(join(base, '_headers'), 'utf8');
  } catch {
    return {};
  }
  const headers = {};
  let inAll = false;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      inAll = /^\S*\/\*$/.test(line.trim());
      continue;
    }
    const i = line.indexOf(':');
    if (inAll && i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return headers;
}

/**
 * Serves `root` as a static host would, with the site's `_headers` applied
 * (so the Content-Security-Policy is in force); resolves to { server, origin }.
 * Port 0 picks a free port.
 */
export async function serve(root, port = 0) {
  const base = resolve(root);
  const extra = await siteHeaders(base);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      let rel = decodeURIComponent(url.pathname);
      let file = normalize(join(base, rel));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403).end();
        return;
      }
      if (rel.endsWith('/')) file = join(file, 'index.html');
      else if (!(await isFile(file)) && (await isFile(join(file, 'index.html')))) {
        res.writeHead(301, { Location: url.pathname + '/' }).end();
        return;
      }
      let status = 200;
      if (!(await isFile(file))) {
        status = 404;
        file = join(base, '404.html');
        if (!(await isFile(file))) {
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
          return;
        }
      }
      const body = await readFile(file);
      res.writeHead(status, {
        ...extra,
        'Content-Type': TYPES[extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(e));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const { port: actual } = server.address();
  return { server, origin: `http://127.0.0.1:${actual}` };
}

/** The page types the checks visit; the term page is the first one that exists. */
export async function pageTypes(root) {
  const base = resolve(root);
  const candidates = ['aftercare', 'safety', 'basics'];
  let term = null;
  for (const t of candidates) {
    if (await isFile(join(base, 'tags', t, 'index.html'))) {
      term = `/tags/${t}/`;
      break;
    }
  }
  if (!term) {
    const { readdir } = await import('node:fs/promises');
    try {
      const dirs = (await readdir(join(base, 'tags'), { withFileTypes: true })).filter((d) => d.isDirectory());
      if (dirs.length) term = `/tags/${dirs[0].name}/`;
    } catch {}
  }
  const pages = [
    ['home', '/'],
    ['section', '/treatment/'],
    ['article', '/treatment/aftercare/'],
    ['faq', '/faq/'],
    ['taxonomy', '/tags/'],
    ['term', term],
    ['404', '/404.html'],
    ['article-es', '/es/treatment/aftercare/'],
    ['404-es', '/es/404.html'],
    ['search', '/search/'],
    ['search-es', '/es/search/'],
  ];
  const missing = [];
  for (const [name, path] of pages) {
    if (!path) {
      missing.push(`${name}: no term page under tags/`);
      continue;
    }
    const f = path.endsWith('/') ? join(base, path, 'index.html') : join(base, path);
    if (!(await isFile(f))) missing.push(`${name}: ${path} is not in the build`);
  }
  return { pages: pages.filter(([, p]) => p), missing };
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
