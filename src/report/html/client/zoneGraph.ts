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

const CANVAS_FROM = 1500;

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
  const subtitle = (z: number): string => {
    if (z < 0) return `${num(d.assets.filter((a) => a.zone < 0).length)} assets`;
    const zz = d.zones[z]!;
    return `${zz.name === zz.id ? '' : `${zz.name} · `}${num(zz.assets.length)} assets${zz.slt ? ` · ${zz.slt}` : ''}`;
  };
  const lay = zoneLayout(d, (z) => Math.max(subtitle(z).length * 6.4, (z < 0 ? 7 : d.zones[z]!.id.length) * 8.5) + 16);
  const padX = 20;
  const padY = 20;
  let vb = [-padX, -padY, lay.width + 2 * padX, lay.height + 2 * padY];
  const home = [...vb];
  const svg = s('svg', { role: 'img', 'aria-label': 'zone graph', preserveAspectRatio: 'xMidYMid meet' }) as SVGSVGElement;
  // Labels keep their screen size whatever the zoom (their font size is divided by the drawing's scale
  // --k), shrinking a little only when the whole drawing is squeezed into a narrow page.
  let redraw = (): void => {};
  const setVB = (): void => {
    svg.setAttribute('viewBox', vb.map((v) => v.toFixed(1)).join(' '));
    redraw();
    const cw = svg.clientWidth || 1100;
    const ch = svg.clientHeight || 560;
    const k = Math.min(cw / vb[2]!, ch / vb[3]!);
    const shrink = Math.min(1, Math.max(0.8, Math.min(cw / home[2]!, ch / home[3]!)));
    svg.style.setProperty('--k', (k / shrink).toFixed(4));
  };
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
    // Past a few dozen conduits their labels would hide the zones: the line's tooltip and a click name it.
    if (d.conduits.length <= 60) gLabels.append(s('text', { class: 'clabel', x: mx, y: my, 'text-anchor': 'middle', dy: '0.35em' }, `${c.id}${risky ? ' ⚠' : ''}`));
  });

  for (const disc of lay.discs) {
    const color = st.zoneColor(disc.z);
    const g = s('g', { class: 'zone', 'data-zone': disc.z >= 0 ? d.zones[disc.z]!.id : 'none', onclick: () => disc.z >= 0 && st.select({ kind: 'zone', i: disc.z }) });
    g.append(s('circle', { class: 'g', cx: disc.x, cy: disc.y, r: disc.r, fill: color, stroke: color, 'stroke-dasharray': disc.z < 0 ? '5 4' : null }));
    gZones.append(g);
    const z = disc.z >= 0 ? d.zones[disc.z]! : null;
    gLabels.append(s('text', { class: 'zlabel', x: disc.x, y: disc.y - disc.r - 4, dy: '-1.1em', 'text-anchor': 'middle' }, z ? z.id : 'no zone'));
    gLabels.append(
      s('text', { class: 'zsub', x: disc.x, y: disc.y - disc.r - 4, dy: '-0.2em', 'text-anchor': 'middle' }, subtitle(disc.z)),
    );
  }

  // Up to CANVAS_FROM assets each dot is an SVG circle; past it they are painted on a canvas under the
  // SVG (thousands of elements make the first paint slow) and a click is hit-tested against them.
  const dots: SVGElement[] = [];
  const useCanvas = d.assets.length > CANVAS_FROM;
  const drawn = d.assets.map((_, i) => i).filter((i) => !Number.isNaN(lay.ax[i]!));
  const canvas = useCanvas ? h('canvas', { class: 'dots', 'data-assets': String(drawn.length), 'aria-hidden': 'true' }) : null;
  let selected = -1;
  const view = (): { k: number; ox: number; oy: number } => {
    const cw = svg.clientWidth || 1100;
    const ch = svg.clientHeight || 560;
    const k = Math.min(cw / vb[2]!, ch / vb[3]!);
    return { k, ox: (cw - vb[2]! * k) / 2 - vb[0]! * k, oy: (ch - vb[3]! * k) / 2 - vb[1]! * k };
  };
  if (canvas) {
    const byColor = new Map<string, number[]>();
    for (const i of drawn) {
      const c = st.zoneColor(d.assets[i]!.zone);
      const list = byColor.get(c);
      if (list) list.push(i);
      else byColor.set(c, [i]);
    }
    const safety = drawn.filter((i) => d.assets[i]!.safety);
    redraw = () => {
      const cw = svg.clientWidth;
      const ch = svg.clientHeight;
      if (!cw || !ch) return;
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(cw * dpr);
      canvas.height = Math.round(ch * dpr);
      canvas.style.width = `${cw}px`;
      canvas.style.height = `${ch}px`;
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      const { k, ox, oy } = view();
      const r = Math.max(1.4, 3.2 * k);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, cw, ch);
      const path = (list: number[]): void => {
        ctx.beginPath();
        for (const i of list) {
          const x = lay.ax[i]! * k + ox;
          const y = lay.ay[i]! * k + oy;
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        }
      };
      for (const [color, list] of byColor) {
        path(list);
        ctx.fillStyle = color;
        ctx.fill();
      }
      path(safety);
      ctx.strokeStyle = '#c2185b';
      ctx.lineWidth = 1.5;
      ctx.stroke();
      if (selected >= 0) {
        path([selected]);
        ctx.strokeStyle = '#111';
        ctx.lineWidth = 2.5;
        ctx.stroke();
      }
    };
    svg.addEventListener('click', (e) => {
      const rect = svg.getBoundingClientRect();
      const { k, ox, oy } = view();
      const gx = (e.clientX - rect.left - ox) / k;
      const gy = (e.clientY - rect.top - oy) / k;
      const reach = (Math.max(1.4, 3.2 * k) + 3) / k;
      let best = -1;
      let bestD = reach * reach;
      for (const i of drawn) {
        const dd = (lay.ax[i]! - gx) ** 2 + (lay.ay[i]! - gy) ** 2;
        if (dd <= bestD) {
          best = i;
          bestD = dd;
        }
      }
      if (best >= 0) {
        e.stopPropagation();
        st.select({ kind: 'asset', i: best });
      }
    }, true);
  } else {
    for (const i of drawn) {
      const a = d.assets[i]!;
      const dot = s('circle', {
        class: `asset${a.safety ? ' safety' : ''}`, cx: lay.ax[i]!.toFixed(1), cy: lay.ay[i]!.toFixed(1), r: 5.5, fill: st.zoneColor(a.zone), 'data-asset': a.id,
      });
      dot.append(s('title', {}, st.assetLabel(i)));
      dots[i] = dot;
      gAssets.append(dot);
    }
    gAssets.addEventListener('click', (e) => {
      const i = dots.indexOf(e.target as SVGElement);
      if (i >= 0) st.select({ kind: 'asset', i });
    });
  }

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
  new ResizeObserver(() => setVB()).observe(svg);
  let hl: SVGElement | null = null;
  const focusAsset = (i: number): void => {
    hl?.classList.remove('hl');
    hl = dots[i] ?? null;
    hl?.classList.add('hl');
    if (canvas) {
      selected = i;
      redraw();
    }
  };
  st.onSelect.push((sel) => { if (sel.kind === 'asset') focusAsset(sel.i); });

  const wrap = h('div', { class: 'graphwrap' }, canvas, svg);
  // As tall as the drawing needs at the box's width (which changes with the details panel), within reason.
  const fitHeight = (width: number): void => {
    wrap.style.height = `${Math.round(Math.min(640, Math.max(300, (width * home[3]!) / home[2]! + 30)))}px`;
  };
  fitHeight(Math.max(600, (document.querySelector('main')?.clientWidth ?? 1100) - 60));
  new ResizeObserver((entries) => fitHeight(entries[0]!.contentRect.width)).observe(wrap);
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
