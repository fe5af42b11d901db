/**
 * The Purdue view: one lane per level (enterprise on top), each asset a dot in its lane coloured by
 * its zone, and the flows that cross levels drawn between them (red when the design breaks them).
 */
import { h, s } from './dom.js';
import { level as levelName } from './format.js';
import type { State } from './state.js';

const LEVELS: Array<number | null> = [5, 4, 3.5, 3, 2, 1, 0, null];
const MAX_LINES = 3000;

export function purdueView(st: State): HTMLElement {
  const d = st.data;
  const lanes = LEVELS.map((lv) => ({ lv, members: d.assets.map((a, i) => (a.level === lv ? i : -1)).filter((i) => i >= 0) })).filter((l) => l.members.length > 0);
  const W = 1200;
  const LABEL = 92;
  const STEP = 14;
  const perRow = Math.floor((W - LABEL - 20) / STEP);
  const ax = new Float64Array(d.assets.length);
  const ay = new Float64Array(d.assets.length);
  const laneOf = new Int32Array(d.assets.length).fill(-1);
  const svg = s('svg', { role: 'img', 'aria-label': 'Purdue view' });
  const gl = s('g', {});
  const gf = s('g', {});
  const ga = s('g', {});
  svg.append(gl, gf, ga);
  let y = 0;
  const few = d.assets.length <= 120;
  lanes.forEach((lane, li) => {
    lane.members.sort((a, b) => d.assets[a]!.zone - d.assets[b]!.zone || a - b);
    const step = few ? 78 : STEP;
    const cols = few ? Math.floor((W - LABEL - 20) / step) : perRow;
    const rows = Math.ceil(lane.members.length / cols);
    const hgt = Math.max(46, rows * (few ? 34 : STEP) + 20);
    gl.append(s('rect', { class: `lane${li % 2 ? ' alt' : ''}`, x: 0, y, width: W, height: hgt }));
    gl.append(s('text', { class: 'lanelabel', x: 8, y: y + 18 }, levelName(lane.lv)));
    gl.append(s('text', { class: 'zsub', x: 8, y: y + 32 }, `${lane.members.length} assets`));
    lane.members.forEach((a, k) => {
      ax[a] = LABEL + 10 + (k % cols) * step + (few ? 10 : 0);
      ay[a] = y + 14 + Math.floor(k / cols) * (few ? 34 : STEP) + (few ? 4 : 0);
      laneOf[a] = li;
    });
    y += hgt;
  });
  svg.setAttribute('viewBox', `0 0 ${W} ${y}`);
  svg.setAttribute('width', '100%');
  // Cross-level flows, aggregated per asset pair.
  const seen = new Set<string>();
  let drawn = 0;
  let skipped = 0;
  d.flows.forEach((f) => {
    if (laneOf[f.s] === laneOf[f.d]) return;
    const k = `${f.s},${f.d}`;
    if (seen.has(k)) return;
    seen.add(k);
    if (drawn >= MAX_LINES) {
      skipped++;
      return;
    }
    drawn++;
    const x1 = ax[f.s]!, y1 = ay[f.s]!, x2 = ax[f.d]!, y2 = ay[f.d]!;
    const my = (y1 + y2) / 2;
    gf.append(s('path', { class: `xflow${f.br >= 0 ? ' bad' : ''}`, d: `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}` }));
  });
  d.assets.forEach((a, i) => {
    if (laneOf[i]! < 0) return;
    const dot = s('circle', { class: `asset${a.safety ? ' safety' : ''}`, cx: ax[i]!, cy: ay[i]!, r: few ? 6 : 4.5, fill: st.zoneColor(a.zone), onclick: () => st.select({ kind: 'asset', i }) });
    dot.append(s('title', {}, `${st.assetLabel(i)} · ${st.zoneLabel(a.zone)}`));
    ga.append(dot);
    if (few) ga.append(s('text', { class: 'alabel', x: ax[i]!, y: ay[i]! + 16, 'text-anchor': 'middle' }, (a.name ?? a.ip ?? a.id).slice(0, 14)));
  });
  const legend = h('div', { class: 'legend' });
  d.zones.forEach((z, zi) => {
    const sw = h('span', { class: 'swatch' });
    sw.style.background = st.zoneColor(zi);
    legend.append(h('span', {}, sw, z.id));
  });
  if (d.assets.some((a) => a.zone < 0)) {
    const sw = h('span', { class: 'swatch' });
    sw.style.background = st.zoneColor(-1);
    legend.append(h('span', {}, sw, 'no zone'));
  }
  legend.append(h('span', {}, `Lines: flows between levels (${seen.size} host pairs${skipped ? `, ${skipped} not drawn` : ''}); red: breaks the design.`));
  return h('div', {}, legend, svg);
}
