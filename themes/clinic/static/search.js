// Site search for the clinic theme. Reads the index `follicle build` writes
// under search-index/<lang>/ (see src/search/index.rs for its format): a
// small manifest, then only the shards the query's words fall in, then one
// small file per result shown. Plain JavaScript: no WebAssembly, no inline
// code, no request to anyone but this site. Loaded by the search page only.
'use strict';
(function () {
  const form = document.querySelector('form[data-index]');
  if (!form) return;
  const input = form.querySelector('input[name="q"]');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const browse = document.getElementById('search-browse');
  const more = document.getElementById('search-more');
  const note = document.getElementById('search-nojs');
  const base = form.dataset.index;
  const PAGE = 10;
  const files = new Map();

  function get(path) {
    if (!files.has(path)) {
      files.set(path, fetch(base + path).then((r) => {
        if (!r.ok) throw new Error(base + path + ': ' + r.status);
        return r.json();
      }));
    }
    return files.get(path);
  }

  // The same words and folding as src/search/text.rs.
  const SPLIT = /[^\p{Alphabetic}\p{N}]+/u;
  const fold = (w) => w.normalize('NFD').replace(/\p{M}/gu, '');
  const words = (text) => text.toLowerCase().split(SPLIT).filter(Boolean).map(fold);
  const hex = (s) => Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join('');

  let keys = null;
  const manifest = get('index.json').then((m) => {
    keys = new Set(m.shards);
    return m;
  });

  // The shard holding `s`: the longest shard key `s` starts with.
  function shardOf(s) {
    const c = Array.from(s);
    for (let n = c.length; n > 0; n--) {
      const k = c.slice(0, n).join('');
      if (keys.has(k)) return get('s/' + hex(k) + '.json');
    }
    return Promise.resolve(null);
  }

  // BM25 (the usual k1 and b) over weighted counts: the title counts four
  // times, the description and FAQ questions twice, and a term of the title
  // adds TITLE_BONUS times its idf, so the long page called "Aftercare" beats
  // a short page that mentions it once.
  const K1 = 1.2;
  const B = 0.75;
  const TITLE_BONUS = 2;

  // A term's pages and their scores. A shard stores [page delta, tf, page
  // length, …], tf being the weighted count doubled plus one for the title;
  // the manifest has the page count and the total length.
  async function postings(term, m) {
    const sh = await shardOf(term);
    const flat = sh && sh.t[term];
    if (!flat) return null;
    const out = new Map();
    const n = m.docs;
    const avg = Math.max(1, m.length / Math.max(1, n));
    const df = flat.length / 3;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    let doc = 0;
    for (let i = 0; i < flat.length; i += 3) {
      doc += flat[i];
      const f = flat[i + 1] >> 1;
      const norm = K1 * (1 - B + (B * flat[i + 2]) / avg);
      const bonus = flat[i + 1] & 1 ? TITLE_BONUS : 0;
      out.set(doc, idf * ((f * (K1 + 1)) / (f + norm) + bonus));
    }
    return out;
  }

  // The index terms a query word stands for, with a weight: the stem the
  // site's own use of the word got, else the manifest's suffix rules applied
  // to it; and, for the word being typed, terms that start with it.
  async function termsFor(w, typing, m) {
    const found = new Map();
    const sh = await shardOf(w);
    if (sh && sh.w[w]) found.set(sh.w[w], 1);
    if (sh && sh.t[w]) found.set(w, 1);
    if (!found.size) {
      const c = Array.from(w);
      for (let k = Math.max(2, c.length - 8); k <= c.length; k++) {
        for (const end of m.rules[c.slice(k).join('')] || []) {
          const t = c.slice(0, k).join('') + end;
          const s = await shardOf(t);
          if (s && s.t[t]) found.set(t, 1);
        }
      }
    }
    if (typing && sh && Array.from(w).length >= 3) {
      for (const t of Object.keys(sh.t)) if (t.startsWith(w) && !found.has(t)) found.set(t, 0.5);
    }
    return found;
  }

  // Documents for a query, best first, and the terms that matched.
  async function search(query) {
    const m = await manifest;
    const qs = [...new Set(words(query))];
    const typing = !/\s$/.test(query);
    const perWord = [];
    const terms = new Set(qs);
    for (let i = 0; i < qs.length; i++) {
      const scores = new Map();
      for (const [t, weight] of await termsFor(qs[i], typing && i === qs.length - 1, m)) {
        terms.add(t);
        const p = await postings(t, m);
        if (!p) continue;
        for (const [d, s] of p) scores.set(d, Math.max(scores.get(d) || 0, s * weight));
      }
      perWord.push(scores);
    }
    const total = new Map();
    for (const scores of perWord) {
      for (const [d, s] of scores) {
        const t = total.get(d) || { words: 0, score: 0 };
        t.words++;
        t.score += s;
        total.set(d, t);
      }
    }
    // Every word must match; when no page has them all, the pages with most.
    let docs = [...total.entries()];
    const all = docs.filter(([, t]) => t.words === perWord.length);
    if (all.length) docs = all;
    docs.sort((a, b) => b[1].words - a[1].words || b[1].score - a[1].score || a[0] - b[0]);
    return { docs: docs.map(([d]) => d), terms: [...terms] };
  }

  function matches(word, terms) {
    const w = fold(word.toLowerCase());
    return terms.some((t) => t.length >= 2 && w.startsWith(t));
  }

  // About 200 characters around the first matching word, matches marked.
  function excerpt(text, terms) {
    const parts = text.split(/([^\p{Alphabetic}\p{N}]+)/u);
    let first = parts.findIndex((p, i) => i % 2 === 0 && p && matches(p, terms));
    if (first < 0) first = 0;
    let start = first;
    let len = 0;
    while (start > 0 && len < 60) len += parts[--start].length;
    const p = document.createElement('p');
    p.className = 'search-excerpt';
    if (start > 0) p.append('… ');
    len = 0;
    let i = start;
    for (; i < parts.length && len < 220; i++) {
      const part = parts[i];
      len += part.length;
      if (i % 2 === 0 && part && matches(part, terms)) {
        const mark = document.createElement('mark');
        mark.textContent = part;
        p.append(mark);
      } else {
        p.append(part);
      }
    }
    if (i < parts.length) p.append(' …');
    return p;
  }

  function reviewed(ymd) {
    const [y, mo, d] = ymd.split('-');
    const months = (form.dataset.months || '').split('|');
    const when = (form.dataset.dateFormat || '{year}-{month}-{day}')
      .replace('{day}', String(Number(d)))
      .replace('{month}', months[Number(mo) - 1] || mo)
      .replace('{year}', y);
    const t = document.createElement('time');
    t.dateTime = ymd;
    t.textContent = when;
    return t;
  }

  async function item(id, terms) {
    const doc = await get('d/' + id + '.json');
    const li = document.createElement('li');
    const h = document.createElement('h2');
    const a = document.createElement('a');
    a.href = doc.url;
    a.textContent = doc.title;
    h.append(a);
    li.append(h);
    if (doc.section || doc.reviewed) {
      const meta = document.createElement('p');
      meta.className = 'meta';
      if (doc.section) meta.append(doc.section);
      if (doc.section && doc.reviewed) meta.append(' · ');
      if (doc.reviewed) meta.append(form.dataset.reviewed + ' ', reviewed(doc.reviewed));
      li.append(meta);
    }
    li.append(excerpt(doc.text, terms));
    return li;
  }

  let shown = null;
  let run = 0;

  async function show(from) {
    const mine = run;
    const items = await Promise.all(shown.docs.slice(from, from + PAGE).map((id) => item(id, shown.terms)));
    if (mine !== run) return;
    if (from === 0) list.replaceChildren(...items);
    else list.append(...items);
    more.hidden = shown.docs.length <= from + PAGE;
    shown.next = from + PAGE;
  }

  function say(count, query) {
    const text = count === 0 ? form.dataset.none : count === 1 ? form.dataset.one : form.dataset.many;
    status.textContent = text.replace('{count}', String(count)).replace('{query}', query.trim());
  }

  async function update() {
    const query = input.value;
    const mine = ++run;
    const url = new URL(location.href);
    if (query.trim()) url.searchParams.set('q', query.trim());
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    // One letter finds nearly everything: wait for a second.
    if (!words(query).some((w) => Array.from(w).length > 1)) {
      list.replaceChildren();
      status.textContent = '';
      more.hidden = true;
      browse.hidden = false;
      return;
    }
    try {
      const found = await search(query);
      if (mine !== run) return;
      shown = found;
      await show(0);
      if (mine !== run) return;
      browse.hidden = found.docs.length > 0;
      say(found.docs.length, query);
    } catch (e) {
      if (mine === run) status.textContent = form.dataset.failed;
    }
  }

  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(update, 50);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    update();
  });
  more.addEventListener('click', () => {
    const next = list.children.length;
    show(shown.next).then(() => {
      const first = list.children[next];
      const link = first && first.querySelector('a');
      if (link) link.focus();
    });
  });
  if (note) note.hidden = true;
  const q = new URLSearchParams(location.search).get('q');
  if (q) {
    input.value = q;
    update();
  }
})();
