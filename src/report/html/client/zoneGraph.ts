/**
 * The zone graph: zones as groups (discs with their assets inside), conduits as edges between them,
 * drawn in SVG (crisp, works everywhere, pans and zooms); a WebGL view with sigma + graphology is
 * offered where WebGL exists. Click an asset, a zone or a conduit for its details.
 */
import { badge, h, s } from './dom.js';
import { num } from './format.js';
import type { State } from './state.js';
import { zoneLayout, type Layout } from './zoneLayout.js';

export interface ZoneGraph {
  el: HTMLElement;
  focusAsset(i: number): void;
}

function hasWebGL(): boolean {
  try {
    const c = document.createElement('canvas');
    return Boolean(c.getContext('webgl2') ?? c.getContext('webgl'));
  } catch {
    return false;
  }
}

export function zoneGraph(st: State): ZoneGraph {
  const d = st.data;
  const lay = zoneLayout(d);
  const padX = 150;
  const padY = 50;
  let vb = [-padX, -padY, lay.width + 2 * padX, lay.height + 2 * padY];
  const svg = s('svg', { role: 'img', 'aria-label': 'zone graph', preserveAspectRatio: 'xMidYMid meet' }) as SVGSVGElement;
  const setVB = (): void => svg.setAttribute('viewBox', vb.map((v) => v.toFixed(1)).join(' '));
  setVB();
  const discOf = new Map<number, (typeof lay.discs)[number]>();
  for (const disc of lay.discs) discOf.set(disc.z, disc);

  const gEdges = s('g', {});
  const gZones = s('g', {});
  const gAssets = s('g', {});
  const gLabels = s('g', {});
  svg.append(gEdges, gZones, gAssets, gLabels);

  d.conduits.forEach((c, ci) => {
    const a = discOf.get(c.a);
    const b = discOf.get(c.b);
    if (!a || !b) return;
    const packets = c.rules.reduce((n, r) => n + r.packets, 0);
    const risky = c.rules.some((r) => r.risks.length > 0);
    const w = Math.min(9, 1.5 + Math.log10(1 + packets) * 0.9);
    const line = s('line', {
      class: 'conduit', x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: risky ? '#c62828' : '#5b6b80', 'stroke-width': w.toFixed(1),
      'stroke-opacity': '0.55', 'data-conduit': c.id, onclick: () => st.select({ kind: 'conduit', i: ci }),
    });
    line.append(s('title', {}, `${c.id}: ${st.zoneLabel(c.a)} — ${st.zoneLabel(c.b)}, ${c.rules.length} rules${risky ? ', risky' : ''}`));
    gEdges.append(line);
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    gLabels.append(s('text', { class: 'clabel', x: mx, y: my, 'text-anchor': 'middle', dy: '0.35em' }, `${c.id}${risky ? ' ⚠' : ''}`));
  });

  for (const disc of lay.discs) {
    const color = st.zoneColor(disc.z);
    const g = s('g', { class: 'zone', 'data-zone': disc.z >= 0 ? d.zones[disc.z]!.id : 'none', onclick: () => disc.z >= 0 && st.select({ kind: 'zone', i: disc.z }) });
    g.append(s('circle', { class: 'g', cx: disc.x, cy: disc.y, r: disc.r, fill: color, stroke: color, 'stroke-dasharray': disc.z < 0 ? '5 4' : null }));
    gZones.append(g);
    const z = disc.z >= 0 ? d.zones[disc.z]! : null;
    gLabels.append(s('text', { class: 'zlabel', x: disc.x, y: disc.y - disc.r - 16, 'text-anchor': 'middle' }, z ? z.id : 'no zone'));
    gLabels.append(
      s('text', { class: 'zsub', x: disc.x, y: disc.y - disc.r - 4, 'text-anchor': 'middle' }, z ? `${z.name === z.id ? '' : `${z.name} · `}${num(disc.members.length)} assets${z.slt ? ` · ${z.slt}` : ''}` : `${num(disc.members.length)} assets`),
    );
  }

  const dots: SVGElement[] = [];
  const small = d.assets.length > 1500;
  d.assets.forEach((a, i) => {
    const x = lay.ax[i]!;
    const y = lay.ay[i]!;
    if (Number.isNaN(x)) return;
    const dot = s('circle', {
      class: `asset${a.safety ? ' safety' : ''}`, cx: x.toFixed(1), cy: y.toFixed(1), r: small ? 3.2 : 5.5, fill: st.zoneColor(a.zone), 'data-asset': a.id,
    });
    if (!small) dot.append(s('title', {}, st.assetLabel(i)));
    dots[i] = dot;
    gAssets.append(dot);
  });
  gAssets.addEventListener('click', (e) => {
    const t = e.target as Element;
    const id = t.getAttribute('data-asset');
    if (id === null) return;
    const i = dots.indexOf(t as SVGElement);
    if (i >= 0) st.select({ kind: 'asset', i });
  });

  // Pan and zoom by the viewBox.
  let drag: { x: number; y: number; vb: number[] } | null = null;
  let moved = false;
  svg.addEventListener('mousedown', (e) => {
    drag = { x: e.clientX, y: e.clientY, vb: vb.slice() };
    moved = false;
  });
  window.addEventListener('mouseup', () => (drag = null));
  svg.addEventListener('mousemove', (e) => {
    if (!drag) return;
    const k = vb[2]! / svg.clientWidth;
    if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) moved = true;
    vb = [drag.vb[0]! - (e.clientX - drag.x) * k, drag.vb[1]! - (e.clientY - drag.y) * k, vb[2]!, vb[3]!];
    setVB();
  });
  svg.addEventListener('click', (e) => { if (moved) e.stopPropagation(); }, true);
  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    const f = e.deltaY > 0 ? 1.15 : 1 / 1.15;
    const px = vb[0]! + ((e.clientX - r.left) / r.width) * vb[2]!;
    const py = vb[1]! + ((e.clientY - r.top) / r.height) * vb[3]!;
    vb = [px - (px - vb[0]!) * f, py - (py - vb[1]!) * f, vb[2]! * f, vb[3]! * f];
    setVB();
  }, { passive: false });
  const home = [...vb];
  let hl: SVGElement | null = null;
  const focusAsset = (i: number): void => {
    hl?.classList.remove('hl');
    hl = dots[i] ?? null;
    hl?.classList.add('hl');
  };
  st.onSelect.push((sel) => { if (sel.kind === 'asset') focusAsset(sel.i); });

  const wrap = h('div', { class: 'graphwrap' }, svg);
  // As tall as the drawing needs at the page's width, within reason.
  const width = Math.max(600, (document.querySelector('main')?.clientWidth ?? 1100) - 60);
  wrap.style.height = `${Math.round(Math.min(640, Math.max(320, (width * vb[3]!) / vb[2]!)))}px`;
  const tools = h('div', { class: 'tools' }, h('button', { onclick: () => { vb = [...home]; setVB(); } }, 'Fit'));
  if (hasWebGL()) tools.append(h('button', { title: 'draw with WebGL (sigma): for very large plants', onclick: () => webglView(st, lay, wrap, svg) }, 'WebGL view'));
  wrap.append(tools);
  const legend = h('div', { class: 'legend' },
    h('span', {}, 'Disc = zone, dot = asset (colour of its zone), line = conduit (width: packets; red: a risky rule).'),
    badge('pink ring: safety', 'safety'), h('span', {}, 'Drag to pan, wheel to zoom, click for details.'));
  return { el: h('div', {}, wrap, legend), focusAsset };
}

/** The same layout drawn by sigma (WebGL) over a graphology graph; loaded on demand. */
async function webglView(st: State, lay: Layout, wrap: HTMLElement, svg: SVGSVGElement): Promise<void> {
  if (wrap.querySelector('.sigma')) return;
  const [{ default: Graph }, { default: Sigma }] = await Promise.all([import('graphology'), import('sigma')]);
  const g = new Graph({ multi: true });
  for (const disc of lay.discs) g.addNode(`z${disc.z}`, { x: disc.x, y: -disc.y, size: 12, color: st.zoneColor(disc.z), label: disc.z >= 0 ? st.data.zones[disc.z]!.id : 'no zone' });
  st.data.assets.forEach((a, i) => {
    if (!Number.isNaN(lay.ax[i]!)) g.addNode(`a${i}`, { x: lay.ax[i]!, y: -lay.ay[i]!, size: 3, color: st.zoneColor(a.zone), label: a.name ?? a.ip ?? a.id });
  });
  st.data.conduits.forEach((c, ci) => {
    if (g.hasNode(`z${c.a}`) && g.hasNode(`z${c.b}`)) g.addEdgeWithKey(`c${ci}`, `z${c.a}`, `z${c.b}`, { size: 2, color: c.rules.some((r) => r.risks.length) ? '#c62828' : '#5b6b80', label: c.id });
  });
  const box = h('div', { class: 'sigma' });
  wrap.append(box);
  svg.style.visibility = 'hidden';
  const sg = new Sigma(g, box, { settings: { enableEdgeEvents: true, renderEdgeLabels: true } });
  sg.on('clickNode', ({ node }) => {
    const i = Number(node.slice(1));
    st.select(node.startsWith('a') ? { kind: 'asset', i } : { kind: 'zone', i });
  });
  sg.on('clickEdge', ({ edge }) => st.select({ kind: 'conduit', i: Number(edge.slice(1)) }));
  const back = h('button', { onclick: () => { sg.kill(); box.remove(); svg.style.visibility = ''; back.remove(); } }, 'SVG view');
  wrap.querySelector('.tools')!.append(back);
}
