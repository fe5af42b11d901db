/**
 * DOM helpers. Data goes into the page as text nodes and attribute values only (textContent,
 * setAttribute), never as markup: every string in the report may come from a packet.
 */
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

function apply(el: Element, attrs: Attrs | undefined): void {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
export function s(tag: string, attrs?: Attrs, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG, tag) as SVGElement;
  apply(el, attrs);
  append(el, children);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function link(label: string, onClick: () => void): HTMLAnchorElement {
  return h('a', { class: 'lnk', onclick: (e) => { e.preventDefault(); onClick(); } }, label);
}

export function badge(label: string, cls = ''): HTMLSpanElement {
  return h('span', { class: `badge ${cls}` }, label);
}

/** A plain table from header labels and rows of cells. */
export function table(head: string[], rows: Child[][], opts: { numeric?: number[]; onRow?: (i: number) => void } = {}): HTMLTableElement {
  const num = new Set(opts.numeric ?? []);
  return h(
    'table',
    { class: 't' },
    h('thead', {}, h('tr', {}, ...head.map((l, i) => h('th', { class: num.has(i) ? 'num' : null }, l)))),
    h(
      'tbody',
      {},
      ...rows.map((r, ri) =>
        h('tr', { class: opts.onRow ? 'click' : null, onclick: opts.onRow ? () => opts.onRow!(ri) : null }, ...r.map((c, i) => h('td', { class: num.has(i) ? 'num' : null }, c))),
      ),
    ),
  );
}

export function kv(pairs: Array<[string, Child]>): HTMLDListElement {
  const dl = h('dl', { class: 'kv' });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    dl.append(h('dt', {}, k), h('dd', {}, v));
  }
  return dl;
}
