/**
 * The report page: reads the JSON data block, lays out the sections and wires selection, search and
 * the details panel. The zone graph and the assets table come first (what the engineer looks at);
 * the other sections follow in the next frames so that a 5 000-asset plant is readable at once.
 */
import { fromWire, type WirePayload } from '../payload.js';
import { detailsPanel } from './details.js';
import { clear, h } from './dom.js';
import { day, num, plural } from './format.js';
import { heatmap } from './heatmap.js';
import { purdueView } from './purdueView.js';
import { completenessSection, conduitsSection, diffSection, eventsSection, qualitySection, summary } from './sections.js';
import { createState, type State } from './state.js';
import { assetsTable, flowsTable } from './tables.js';
import { zoneGraph } from './zoneGraph.js';

interface Timing {
  graph?: number;
  assets?: number;
  all?: number;
}
declare global {
  interface Window {
    __zsTimes: Timing;
  }
}

function searchBox(st: State): HTMLElement {
  const d = st.data;
  const input = h('input', { type: 'search', placeholder: 'Search IP, name, zone, conduit…', 'aria-label': 'search' });
  const list = h('ul', { role: 'listbox' });
  list.hidden = true;
  const hay = d.assets.map((a) => [a.name, a.vendor, a.product, a.mac, ...a.hostnames].filter(Boolean).join(' ').toLowerCase());
  let results: Array<{ kind: 'asset' | 'zone' | 'conduit'; i: number; label: string }> = [];
  const run = (): void => {
    const q = input.value.trim().toLowerCase();
    clear(list);
    results = [];
    if (!q) { list.hidden = true; return; }
    d.zones.forEach((z, i) => { if (z.id.toLowerCase().includes(q) || z.name.toLowerCase().includes(q)) results.push({ kind: 'zone', i, label: `${z.id} · ${z.name}` }); });
    d.conduits.forEach((c, i) => { if (c.id.toLowerCase().includes(q)) results.push({ kind: 'conduit', i, label: `${c.id}: ${st.zoneLabel(c.a)} — ${st.zoneLabel(c.b)}` }); });
    for (let i = 0; i < d.assets.length && results.length < 40; i++) {
      const a = d.assets[i]!;
      if ((a.ip ?? a.id).startsWith(q) || hay[i]!.includes(q)) results.push({ kind: 'asset', i, label: st.assetLabel(i) });
    }
    results = results.slice(0, 40);
    for (const [k, r] of results.entries()) {
      list.append(h('li', { role: 'option', class: k === 0 ? 'on' : null, onmousedown: (e) => { e.preventDefault(); pick(k); } }, h('span', { class: 'k' }, r.kind), h('span', {}, r.label)));
    }
    if (!results.length) list.append(h('li', {}, h('span', { class: 'k' }, ''), h('span', {}, 'nothing matches')));
    list.hidden = false;
  };
  const pick = (k: number): void => {
    const r = results[k];
    if (!r) return;
    st.select({ kind: r.kind, i: r.i });
    list.hidden = true;
  };
  input.addEventListener('input', run);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') pick(0); if (e.key === 'Escape') list.hidden = true; });
  input.addEventListener('blur', () => (list.hidden = true));
  return h('div', { class: 'search' }, input, list);
}

function boot(): void {
  window.__zsTimes = {};
  const raw = document.getElementById('zs-data')!.textContent ?? '{}';
  const d = fromWire(JSON.parse(raw) as WirePayload);
  performance.mark('zs-parsed');
  const st = createState(d);
  const app = document.getElementById('app')!;
  const m = d.summary;
  const header = h('header', { class: 'top' },
    h('div', { class: 'brand' }, 'zone', h('span', {}, 'scope')),
    h('div', { class: 'sub' }, `${d.title} · ${m.first !== null ? `${day(m.first)} → ${day(m.last)}` : 'empty baseline'} · ${plural(m.assets, 'asset')} · ${plural(m.flows, 'flow')}`),
    h('div', { class: 'grow' }), searchBox(st));
  const nav = h('nav', { class: 'side', 'aria-label': 'sections' });
  const main = h('main', {});
  app.append(header, h('div', { class: 'layout' }, nav, main), detailsPanel(st));

  const sections: Array<{ id: string; title: string; count?: string; off?: boolean; note?: string; build: () => HTMLElement }> = [
    { id: 'summary', title: 'Summary', build: () => summary(st) },
    { id: 'zones', title: 'Zone graph', count: num(m.zones), off: !d.has.zones, note: 'zones as groups, conduits between them',
      build: () =>
        !d.has.zones ? h('p', { class: 'absent' }, 'No zone proposal in this report, so there is no zone graph. Run zonescope propose (or analyze) to add one.')
          : d.assets.length === 0 ? h('p', { class: 'absent' }, 'The baseline holds no assets: there is nothing to zone yet.')
            : zoneGraph(st).el },
    { id: 'purdue', title: 'Purdue view', note: 'assets by level, coloured by zone',
      build: () => (d.assets.length ? purdueView(st) : h('p', { class: 'absent' }, 'The baseline holds no assets.')) },
    { id: 'conduits', title: 'Conduits', count: num(m.conduits), off: !d.has.zones, build: () => conduitsSection(st) },
    { id: 'assets', title: 'Assets', count: num(m.assets), build: () => assetsTable(st).el },
    { id: 'flows', title: 'Flows', count: num(m.flows), build: () => flowsTable(st) },
    { id: 'activity', title: 'Activity', note: 'hour of day × day', build: () => heatmap(st) },
    { id: 'completeness', title: 'Baseline completeness', note: 'were the weeks captured enough?', build: () => completenessSection(st) },
    { id: 'diff', title: 'Design diff', count: m.breaking !== null ? num(m.breaking) : '', off: !d.has.diff, build: () => diffSection(st) },
    { id: 'events', title: 'Engineering events', count: d.events ? num(d.events.length) : '', off: !d.has.events, build: () => eventsSection(st) },
    { id: 'quality', title: 'Data quality', count: num(m.errors + m.warnings), build: () => qualitySection(st) },
  ];
  st.onActivity.push(() => document.getElementById('activity')!.scrollIntoView());
  const bodies = new Map<string, HTMLElement>();
  if (d.sections) {
    const keep = new Set(d.sections);
    for (let i = sections.length - 1; i >= 0; i--) if (!keep.has(sections[i]!.id)) sections.splice(i, 1);
  }
  for (const sec of sections) {
    nav.append(h('a', { href: `#${sec.id}`, class: sec.off ? 'off' : null }, h('span', {}, sec.title), h('span', { class: 'n' }, sec.count ?? '')));
    const body = h('div', {});
    bodies.set(sec.id, body);
    main.append(h('section', { class: 'card', id: sec.id }, h('h2', {}, sec.title, sec.note ? h('small', {}, sec.note) : null), body));
  }
  const render = (id: string): void => {
    const sec = sections.find((x) => x.id === id)!;
    try {
      bodies.get(id)!.append(sec.build());
      performance.mark(`zs-${id}`);
    } catch (e) {
      bodies.get(id)!.append(h('p', { class: 'absent' }, `This section could not be drawn: ${(e as Error).message}`));
      console.error(e);
    }
  };
  const painted = (f: () => void): void => void requestAnimationFrame(() => requestAnimationFrame(f));
  // First what the engineer looks at, then the rest, one section per task.
  const first = ['summary', 'zones', 'assets'].filter((id) => bodies.has(id));
  for (const id of first) render(id);
  painted(() => {
    window.__zsTimes.graph = performance.now();
    window.__zsTimes.assets = performance.now();
    setTimeout(next, 0);
  });
  const rest = sections.map((x) => x.id).filter((id) => !first.includes(id));
  const next = (): void => {
    const id = rest.shift();
    if (id === undefined) {
      window.__zsTimes.all = performance.now();
      document.body.setAttribute('data-rendered', 'all');
      return;
    }
    render(id);
    setTimeout(next, 0);
  };
}

boot();
