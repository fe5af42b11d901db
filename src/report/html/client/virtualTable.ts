/**
 * A sortable, filterable table that renders only the rows in view (fixed row height), so 50 000
 * flows scroll as smoothly as 50. Cells are text (textContent) or nodes built with dom.ts.
 */
import { clear, h } from './dom.js';

export interface Column {
  label: string;
  /** CSS width, e.g. '120px' or '2fr' handled as flex grow */
  width: number;
  grow?: number;
  numeric?: boolean;
  /** sort key */
  key: (i: number) => string | number;
  /** cell content; defaults to the key */
  cell?: (i: number) => Node | string;
  title?: (i: number) => string;
}

export interface VirtualTable {
  el: HTMLElement;
  setRows(rows: number[]): void;
  sortBy(col: number, desc?: boolean): void;
  /** the rows in their current (filtered, sorted) order */
  rows(): number[];
  highlight(row: number | null): void;
}

const ROW = 24;
const collate = new Intl.Collator('en', { numeric: true }).compare;

export function virtualTable(cols: Column[], onClick: (i: number) => void, opts: { height?: number; label?: string } = {}): VirtualTable {
  let all: number[] = [];
  let order: number[] = [];
  let sortCol = -1;
  let desc = false;
  let sel: number | null = null;
  const head = h('div', { class: 'head', role: 'row' });
  const spacer = h('div', {});
  const body = h('div', { class: 'body', role: 'rowgroup' }, spacer);
  if (opts.height) body.style.height = `${opts.height}px`;
  const foot = h('div', { class: 'foot' });
  const el = h('div', { class: 'vt', role: 'table', 'aria-label': opts.label ?? null }, head, body, foot);
  const style = (d: HTMLElement, c: Column): void => {
    d.style.width = `${c.width}px`;
    d.style.flex = c.grow ? `${c.grow} 1 ${c.width}px` : 'none';
    if (c.numeric) d.style.textAlign = 'right';
  };
  cols.forEach((c, ci) => {
    const d = h('div', { role: 'columnheader', onclick: () => api.sortBy(ci, ci === sortCol ? !desc : c.numeric === true) }, c.label);
    style(d, c);
    head.append(d);
  });
  let drawn = '';
  const draw = (): void => {
    const top = body.scrollTop;
    const hgt = body.clientHeight || opts.height || 360;
    const from = Math.max(0, Math.floor(top / ROW) - 5);
    const to = Math.min(order.length, Math.ceil((top + hgt) / ROW) + 5);
    const key = `${from}:${to}:${order.length}:${sortCol}:${desc}:${sel}`;
    if (key === drawn) return;
    drawn = key;
    for (const n of [...body.children]) if (n !== spacer) n.remove();
    for (let r = from; r < to; r++) {
      const i = order[r]!;
      const row = h('div', { class: `row${i === sel ? ' sel' : ''}`, role: 'row', onclick: () => onClick(i) });
      row.style.top = `${r * ROW}px`;
      for (const c of cols) {
        const v = c.cell ? c.cell(i) : String(c.key(i));
        const d = h('div', { role: 'cell', title: c.title ? c.title(i) : typeof v === 'string' ? v : null }, v);
        style(d, c);
        row.append(d);
      }
      body.append(row);
    }
  };
  body.addEventListener('scroll', () => draw(), { passive: true });
  const refresh = (): void => {
    spacer.style.height = `${order.length * ROW}px`;
    foot.textContent = order.length === all.length ? `${order.length.toLocaleString('en-US')} rows` : `${order.length.toLocaleString('en-US')} of ${all.length.toLocaleString('en-US')} rows`;
    [...head.children].forEach((d, ci) => {
      d.className = ci === sortCol ? 'sorted' : '';
      d.textContent = cols[ci]!.label + (ci === sortCol ? (desc ? ' ▼' : ' ▲') : '');
    });
    drawn = '';
    draw();
  };
  const sort = (): void => {
    if (sortCol < 0) return;
    const k = cols[sortCol]!.key;
    const keys = new Map<number, string | number>();
    for (const i of order) keys.set(i, k(i));
    const dir = desc ? -1 : 1;
    order.sort((a, b) => {
      const x = keys.get(a)!;
      const y = keys.get(b)!;
      if (x === y) return a - b;
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
      return collate(String(x), String(y)) * dir;
    });
  };
  const api: VirtualTable = {
    el,
    setRows(rows) {
      all = rows;
      order = rows.slice();
      sort();
      body.scrollTop = 0;
      refresh();
    },
    sortBy(col, d = false) {
      sortCol = col;
      desc = d;
      order = all.slice();
      sort();
      refresh();
    },
    rows: () => order,
    highlight(row) {
      sel = row;
      if (row !== null) {
        const r = order.indexOf(row);
        if (r >= 0 && (r * ROW < body.scrollTop || r * ROW > body.scrollTop + body.clientHeight - ROW)) body.scrollTop = Math.max(0, r * ROW - 3 * ROW);
      }
      drawn = '';
      draw();
    },
  };
  clear(foot);
  return api;
}
