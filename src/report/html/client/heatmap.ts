/** Activity heatmap: hour of day (rows) x day (columns), packets per hour of the chosen flows. */
import { clear, h, s } from './dom.js';
import { dayOf, num } from './format.js';
import type { State } from './state.js';

/** Add packed hours ("hour.packets" base 36 from baseHour) into a (day * 24 + hour) grid. */
function addPacked(st: State, grid: Float64Array, packed: string): void {
  if (!packed) return;
  const off = st.data.baseHour - st.data.day0 * 24;
  for (const part of packed.split(',')) {
    const dot = part.indexOf('.');
    const cell = parseInt(part.slice(0, dot), 36) + off;
    if (cell >= 0 && cell < grid.length) grid[cell]! += parseInt(part.slice(dot + 1), 36);
  }
}

/** Packets per (day, hour): of the given flows, or of a conduit / the whole plant (precomputed). */
export function activity(st: State, subject: { flows?: number[]; packed?: string }): Float64Array {
  const grid = new Float64Array(Math.max(1, st.data.days) * 24);
  if (subject.packed !== undefined) addPacked(st, grid, subject.packed);
  for (const fi of subject.flows ?? []) addPacked(st, grid, st.data.flows[fi]!.h);
  return grid;
}

export function heatmap(st: State): HTMLElement {
  const d = st.data;
  const title = h('strong', {});
  const picker = h('select', { 'aria-label': 'activity of' });
  const opts: Array<{ label: string; packed: string }> = [{ label: 'all observed flows', packed: d.activity.all }];
  d.conduits.forEach((c, ci) => opts.push({ label: `conduit ${c.id}`, packed: d.activity.conduits[ci] ?? '' }));
  opts.forEach((o, i) => picker.append(h('option', { value: String(i) }, o.label)));
  const chart = h('div', { class: 'chart' });
  const draw = (subject: { flows?: number[]; packed?: string }, label: string): void => {
    title.textContent = label;
    clear(chart);
    if (subject.flows && !d.flowHours) {
      chart.append(h('p', { class: 'absent' }, 'This plant has too many flow-hours for each flow to keep its own activity in one file; pick a conduit or the whole plant.'));
      return;
    }
    const grid = activity(st, subject);
    const days = Math.max(1, d.days);
    const cw = Math.max(8, Math.min(26, Math.floor(1100 / days)));
    const ch = 13;
    const L = 34;
    const svg = s('svg', { viewBox: `0 0 ${L + days * cw + 4} ${24 * ch + 30}`, role: 'img', 'aria-label': `activity heatmap of ${label}` });
    let max = 0;
    for (const v of grid) max = Math.max(max, v);
    const lmax = Math.log1p(max);
    for (let hr = 0; hr < 24; hr += 3) svg.append(s('text', { class: 'axis', x: L - 4, y: hr * ch + ch - 2, 'text-anchor': 'end' }, `${String(hr).padStart(2, '0')}h`));
    for (let dd = 0; dd < days; dd++) {
      if (dd % 7 === 0) svg.append(s('text', { class: 'axis', x: L + dd * cw, y: 24 * ch + 14 }, dayOf(d.day0 + dd).slice(5)));
      for (let hr = 0; hr < 24; hr++) {
        const v = grid[dd * 24 + hr]!;
        const k = v > 0 ? 0.15 + 0.85 * (Math.log1p(v) / lmax) : 0;
        const r = s('rect', { x: L + dd * cw, y: hr * ch, width: cw - 1, height: ch - 1, fill: v > 0 ? `rgba(31,95,191,${k.toFixed(3)})` : '#f1f3f6' });
        r.append(s('title', {}, `${dayOf(d.day0 + dd)} ${String(hr).padStart(2, '0')}:00 UTC: ${num(v)} packets`));
        svg.append(r);
      }
    }
    chart.append(svg);
  };
  picker.addEventListener('change', () => {
    const o = opts[Number(picker.value)]!;
    draw({ packed: o.packed }, o.label);
  });
  st.onActivity.push((flows, label) => {
    const ci = label.startsWith('conduit ') ? opts.findIndex((o) => o.label === label) : -1;
    draw(ci > 0 ? { packed: opts[ci]!.packed } : { flows }, label);
    picker.value = ci > 0 ? String(ci) : '';
  });
  // Selecting a flow or a conduit anywhere shows its activity here.
  st.onSelect.push((sel) => {
    if (sel.kind === 'flow') {
      const f = d.flows[sel.i]!;
      draw({ flows: [sel.i] }, `${st.assetLabel(f.s)} → ${st.assetLabel(f.d)} ${f.pr}/${f.p}`);
      picker.value = '';
    } else if (sel.kind === 'conduit') {
      draw({ packed: opts[sel.i + 1]!.packed }, opts[sel.i + 1]!.label);
      picker.value = String(sel.i + 1);
    }
  });
  draw({ packed: opts[0]!.packed }, opts[0]!.label);
  return h('div', {}, h('div', { class: 'heat' }, h('span', {}, 'Activity of'), picker, title, h('span', { class: 'note' }, '(click a flow or a conduit to show its own)')), chart);
}
