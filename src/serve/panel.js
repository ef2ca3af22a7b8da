// Follicle dev server only: live reload and the writer's panel. Never part of a built site.
(() => {
  const es = (document.documentElement.lang || '').toLowerCase().startsWith('es');
  const T = es ? {
    problems: n => n === 1 ? '1 aviso' : `${n} avisos`,
    title: 'Problemas en esta página', none: 'Sin problemas en esta página.',
    error: 'error', warning: 'aviso', open: 'abrir en el editor',
    grade: (s, t) => `Nivel de lectura: grado ${s.toFixed(1)} (objetivo: como máximo ${t})`,
    ease: (s, t) => `Facilidad de lectura: ${s.toFixed(1)} (objetivo: al menos ${t})`,
    mark: 'Marcar las frases más difíciles', unmark: 'Quitar las marcas', line: 'línea',
    failed: 'El sitio tiene errores: mira el aviso.',
  } : {
    problems: n => n === 1 ? '1 problem' : `${n} problems`,
    title: 'Problems on this page', none: 'No problems on this page.',
    error: 'error', warning: 'warning', open: 'open in editor',
    grade: (s, t) => `Reading level: grade ${s.toFixed(1)} (target: at most ${t})`,
    ease: (s, t) => `Reading ease: ${s.toFixed(1)} (target: at least ${t})`,
    mark: 'Mark the hardest sentences', unmark: 'Remove the marks', line: 'line',
    failed: 'The site has errors: see the report.',
  };
  const el = (tag, attrs = {}, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    for (const k of kids) e.append(k);
    return e;
  };
  const OPEN_KEY = 'follicle-panel-open';
  let marked = false;
  let last = null;

  const root = el('div', { id: 'follicle-panel', 'data-follicle': 'panel' });
  const toggle = el('button', { type: 'button', class: 'fp-toggle', 'aria-expanded': 'false', 'aria-controls': 'follicle-panel-body' });
  const body = el('div', { id: 'follicle-panel-body', class: 'fp-body', role: 'region', 'aria-label': T.title, hidden: '' });
  root.append(body, toggle);
  const setOpen = open => {
    toggle.setAttribute('aria-expanded', String(open));
    body.hidden = !open;
    try { sessionStorage.setItem(OPEN_KEY, open ? '1' : ''); } catch (_) { /* private mode */ }
  };
  toggle.addEventListener('click', () => setOpen(body.hidden));
  document.addEventListener('keydown', e => { if (e.key === 'Escape' && !body.hidden) { setOpen(false); toggle.focus(); } });

  function unmark() {
    for (const m of document.querySelectorAll('mark.follicle-hard')) m.replaceWith(...m.childNodes);
    document.body.normalize();
  }
  // Wrap the start of each hard sentence where it appears in the page.
  function mark(sentences) {
    for (const s of sentences) {
      const probe = s.text.replace(/\s+/g, ' ').trim().slice(0, 40);
      if (!probe) continue;
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
        acceptNode: n => root.contains(n) || n.parentElement.closest('script,style,mark') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
      });
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const text = n.nodeValue.replace(/\s+/g, ' ');
        const at = text.indexOf(probe.slice(0, Math.min(probe.length, text.length)));
        if (at < 0 || text.trim().length < 8) continue;
        const range = document.createRange();
        range.setStart(n, at);
        range.setEnd(n, n.nodeValue.length);
        const m = el('mark', { class: 'follicle-hard', title: `${T.line} ${s.line}` });
        range.surroundContents(m);
        break;
      }
    }
  }

  function render(v) {
    last = v;
    const n = v.entries.length;
    toggle.replaceChildren(el('span', { class: 'fp-count' + (n ? '' : ' fp-none') }, String(n)), ' ', T.problems(n));
    toggle.setAttribute('aria-label', T.problems(n));
    const list = el('ol');
    for (const e of v.entries) {
      const where = `${e.file}:${e.line}${e.column ? ':' + e.column : ''}`;
      const place = e.editor ? el('a', { href: e.editor, class: 'fp-where', title: T.open }, where) : el('span', { class: 'fp-where' }, where);
      const item = el('li', { class: `fp-${e.severity}`, 'data-rule': e.rule, 'data-line': String(e.line) },
        el('div', {}, el('span', { class: 'fp-sev' }, T[e.severity]), place, ` [${e.rule}]`),
        el('div', {}, e.message));
      if (e.hint) item.append(el('p', { class: 'fp-hint' }, e.hint));
      list.append(item);
    }
    const kids = [el('h2', {}, T.title)];
    if (v.error) kids.push(el('p', {}, T.failed));
    kids.push(n ? list : el('p', {}, T.none));
    if (v.reading) {
      const r = v.reading;
      const words = r.language === 'spanish' ? T.ease(r.score, r.target) : T.grade(r.score, r.target);
      const p = el('p', { class: 'fp-reading' }, words);
      const b = el('button', { type: 'button', class: 'fp-mark', 'aria-pressed': String(marked) }, marked ? T.unmark : T.mark);
      b.addEventListener('click', () => {
        marked = !marked;
        unmark();
        if (marked) mark(r.hardest);
        render(last);
        body.querySelector('.fp-mark')?.focus();
      });
      kids.push(p, b);
    }
    body.replaceChildren(...kids);
    if (marked && v.reading) { unmark(); mark(v.reading.hardest); }
  }

  const start = () => {
    document.body.append(root);
    try { setOpen(sessionStorage.getItem(OPEN_KEY) === '1'); } catch (_) { setOpen(false); }
    const src = new EventSource('/__follicle/events?page=' + encodeURIComponent(location.pathname));
    src.addEventListener('panel', e => {
      const v = JSON.parse(e.data);
      if (v.reload) { location.reload(); return; }
      render(v);
    });
    src.onmessage = e => { if (e.data === 'reload') location.reload(); };
  };
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
})();
