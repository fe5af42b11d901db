/** The report's sections that are tables and figures: summary, conduits, completeness, diff, events, data quality. */
import { badge, h, s, table, type Child } from './dom.js';
import { bytes, day, dayOf, num, plural, time } from './format.js';
import type { State } from './state.js';

const kpi = (v: string, l: string, cls = ''): HTMLElement => h('div', { class: `kpi ${cls}` }, h('div', { class: 'v' }, v), h('div', { class: 'l' }, l));

export function summary(st: State): HTMLElement {
  const m = st.data.summary;
  const d = st.data;
  const period = m.first !== null && m.last !== null ? `${day(m.first)} → ${day(m.last)}` : 'no traffic yet';
  const problems = m.errors + m.warnings;
  const absent: string[] = [];
  if (!d.has.assets) absent.push('no assets document (identities, roles and levels are not shown)');
  if (!d.has.zones) absent.push('no zone proposal (no zone graph, conduits or rules)');
  if (!d.has.diff) absent.push('no design (no diff section)');
  return h('div', {},
    h('div', { class: 'kpis' },
      kpi(period, `baseline period · ${plural(d.days, 'day')}`, 'wide'), kpi(num(m.captures), 'captures'), kpi(num(m.frames), 'packets'), kpi(bytes(m.bytes), 'bytes'),
      kpi(num(m.assets), 'assets'), kpi(num(m.flows), 'flows'), kpi(num(m.zones), 'zones'), kpi(num(m.conduits), `conduits · ${num(m.rules)} rules`),
      kpi(num(m.riskyRules), 'risky rules', m.riskyRules ? 'bad' : 'ok'),
      m.breaking !== null ? kpi(num(m.breaking), 'flows the design breaks', m.breaking ? 'bad' : 'ok') : null,
      kpi(num(problems), `problems · ${num(m.errors)} errors`, m.errors ? 'bad' : problems ? 'warn' : 'ok'),
      m.uncertain ? kpi(num(m.uncertain), 'uncertain zoning', 'warn') : null,
      d.has.assets ? kpi(num(m.uninventoried), 'not in the inventory', m.uninventoried ? 'warn' : 'ok') : null,
      d.has.assets ? kpi(num(m.unseen.length), 'inventory never seen', m.unseen.length ? 'warn' : 'ok') : null),
    m.unseen.length ? h('p', { class: 'note' }, `In the inventory but never seen in traffic: ${m.unseen.join(', ')}`) : null,
    absent.length ? h('p', { class: 'absent' }, `This report has ${absent.join('; ')}.`) : null);
}

export function conduitsSection(st: State): HTMLElement {
  const d = st.data;
  if (!d.has.zones) return h('p', { class: 'absent' }, 'No zone proposal in this report: there are no conduits to show. Run zonescope propose or analyze.');
  const Z = d.zones.length;
  const cell = new Map<string, { ci: number; rules: number[] }>();
  d.conduits.forEach((c, ci) => c.rules.forEach((r, ri) => {
    const k = `${r.iz},${r.rz}`;
    const e = cell.get(k) ?? { ci, rules: [] };
    e.rules.push(ri);
    cell.set(k, e);
  }));
  const rows: HTMLElement[] = [];
  for (let i = 0; i < Z; i++) {
    const tds: HTMLElement[] = [h('th', {}, d.zones[i]!.id)];
    for (let j = 0; j < Z; j++) {
      const e = cell.get(`${i},${j}`);
      if (i === j) { tds.push(h('td', { class: 'self' })); continue; }
      if (!e) { tds.push(h('td', {})); continue; }
      const c = d.conduits[e.ci]!;
      const rules = e.rules.map((ri) => c.rules[ri]!);
      const risky = rules.filter((r) => r.risks.length > 0).length;
      const ops = [...new Set(rules.flatMap((r) => r.ops))].sort();
      tds.push(h('td', { class: `cell${risky ? ' risky' : ''}`, title: `${c.id}: ${rules.length} rules`, onclick: () => st.select({ kind: 'conduit', i: e.ci }) },
        h('div', { class: 'mono' }, c.id), h('div', {}, [...new Set(rules.map((r) => `${r.protocol}/${r.port ?? '*'}`))].join(', ')),
        h('div', {}, ...ops.map((o) => badge(o, o)), risky ? badge(`${risky} risky`, 'risk') : null)));
    }
    rows.push(h('tr', {}, ...tds));
  }
  const matrix = h('table', { class: 'matrix' }, h('thead', {}, h('tr', {}, h('th', {}, 'initiator ↓ / responder →'), ...d.zones.map((z) => h('th', {}, z.id)))), h('tbody', {}, ...rows));
  const block = (ci: number): HTMLElement => {
    const c = d.conduits[ci]!;
    const pairsCell = (pairs: Array<[number, number]>): Child => {
      const text = (list: Array<[number, number]>): string => list.map(([a, b]) => `${st.assetLabel(a)} → ${st.assetLabel(b)}`).join('; ');
      if (pairs.length <= 6) return h('span', { class: 'pairs' }, text(pairs));
      return h('details', { class: 'pairs' }, h('summary', {}, `${text(pairs.slice(0, 3))}; … ${pairs.length} host pairs`), text(pairs));
    };
    return h('div', { class: 'conduit-block' },
      h('div', { class: 'ch', onclick: () => st.select({ kind: 'conduit', i: ci }) }, h('strong', { class: 'mono' }, c.id), h('span', {}, `${st.zoneLabel(c.a)} ↔ ${st.zoneLabel(c.b)}`), h('span', { class: 'note' }, plural(c.rules.length, 'rule'))),
      table(['direction', 'protocol', 'operations', 'codes', 'packets', 'days', 'risk', 'host pairs'],
        c.rules.map((r) => [`${st.zoneLabel(r.iz)} → ${st.zoneLabel(r.rz)}`, `${r.protocol} ${r.transport}/${r.port ?? '*'}`, h('span', {}, ...r.ops.map((o) => badge(o, o))), r.fcs.join(', '),
          num(r.packets), num(r.days), h('span', {}, ...r.risks.map((x) => badge(x, 'risk'))), pairsCell(r.pairs)]), { numeric: [4, 5] }));
  };
  // Large plants: the first conduits at once, the rest on request (the matrix above has them all).
  const blocks = h('div', {});
  let shown = 0;
  const more = h('button', {});
  const showMore = (n: number): void => {
    const to = Math.min(d.conduits.length, shown + n);
    for (; shown < to; shown++) blocks.append(block(shown));
    more.textContent = `show ${Math.min(100, d.conduits.length - shown)} more of ${d.conduits.length - shown} conduits`;
    more.hidden = shown >= d.conduits.length;
  };
  more.addEventListener('click', () => showMore(100));
  showMore(40);
  return h('div', {}, h('h3', {}, 'Conduit matrix (zone × zone)'), h('div', { class: 'matrixwrap' }, matrix), h('h3', {}, 'Conduit rules and their host pairs'), blocks, more);
}

function bars(series: Array<{ values: number[]; color: string; label: string }>, day0: number): SVGElement {
  const n = series[0]!.values.length;
  const W = 560;
  const H = 150;
  const L = 30;
  const bw = Math.max(3, (W - L) / Math.max(1, n) - 2);
  const max = Math.max(1, ...series.flatMap((x) => x.values));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H + 24}`, role: 'img' });
  for (const t of [0, max]) svg.append(s('text', { class: 'axis', x: L - 4, y: H - (t / max) * (H - 10), 'text-anchor': 'end' }, String(t)));
  const per = bw / series.length;
  for (let i = 0; i < n; i++) {
    series.forEach((x, k) => {
      const v = x.values[i]!;
      const hh = (v / max) * (H - 10);
      const r = s('rect', { x: L + i * (bw + 2) + k * per, y: H - hh, width: Math.max(1, per - 0.5), height: hh, fill: x.color });
      r.append(s('title', {}, `${dayOf(day0 + i)}: ${v} ${x.label}`));
      svg.append(r);
    });
    if (i % 7 === 0) svg.append(s('text', { class: 'axis', x: L + i * (bw + 2), y: H + 14 }, dayOf(day0 + i).slice(5)));
  }
  svg.append(s('line', { x1: L, y1: H, x2: W, y2: H, stroke: '#b8c0cc' }));
  return svg;
}

export function completenessSection(st: State): HTMLElement {
  const d = st.data;
  const c = d.completeness;
  const since = c.daysSinceLastNewEdge;
  const verdict = since === null ? 'No flows.' : since >= 7 ? `No new host pair for the last ${since} days: the baseline looks settled.`
    : `A new host pair appeared ${since === 0 ? 'on the last day' : `${since} days before the end`}: the plant may not have shown everything yet (maintenance, batch ends, month-end jobs).`;
  const legend = (color: string, label: string): HTMLElement => { const sw = h('span', { class: 'swatch' }); sw.style.background = color; return h('span', {}, sw, label); };
  return h('div', {},
    h('div', { class: 'kpis' }, kpi(since === null ? '–' : num(since), 'days since the last new edge', since !== null && since < 7 ? 'warn' : 'ok'),
      kpi(num(c.oneDayFlows.length), 'flows seen on one day only', c.oneDayFlows.length ? 'warn' : 'ok'), kpi(num(d.days), 'days captured')),
    h('p', { class: 'note' }, verdict),
    h('div', { class: 'split' },
      h('div', { class: 'chart' }, h('h3', {}, 'New per day'), h('div', { class: 'legend' }, legend('#1f5fbf', 'assets'), legend('#e6550d', 'host pairs (edges)'), legend('#9aa3ae', 'flows')),
        bars([{ values: c.newAssets, color: '#1f5fbf', label: 'new assets' }, { values: c.newEdges, color: '#e6550d', label: 'new host pairs' }, { values: c.newFlows, color: '#9aa3ae', label: 'new flows' }], d.day0)),
      h('div', {}, h('h3', {}, 'Flows seen on one day only'),
        c.oneDayFlows.length
          ? table(['day', 'initiator', 'responder', 'protocol', 'packets'], c.oneDayFlows.slice(0, 100).map((fi) => { const f = d.flows[fi]!; return [day(f.f), st.assetLabel(f.s), st.assetLabel(f.d), `${f.pr}/${f.p}`, num(f.pk)]; }),
            { numeric: [4], onRow: (r) => st.select({ kind: 'flow', i: c.oneDayFlows[r]! }) })
          : h('p', { class: 'absent' }, 'None: every flow was seen on two days or more.'))));
}

const REASONS: Record<string, string> = {
  'unzoned-asset': 'an endpoint is in no zone of the design',
  'no-conduit': 'the zones differ and no conduit connects them',
  'protocol-not-allowed': 'a conduit connects the zones, but not for this protocol or port',
  'wrong-direction': 'allowed only the other way',
  'operation-not-allowed': 'an operation the conduit does not allow (e.g. a write where only reads are)',
};

export function diffSection(st: State): HTMLElement {
  const d = st.data;
  const x = d.diff;
  if (!x) return h('p', { class: 'absent' }, 'No design was given: there is no diff. Run zonescope report --design DESIGN.yaml (or analyze --design) to see which observed flows a design would break.');
  const groups = new Map<string, number[]>();
  x.breaking.forEach((b, i) => groups.set(b.reason, [...(groups.get(b.reason) ?? []), i]));
  const out: Child[] = [
    x.design ? h('p', { class: 'note' }, `Design: ${x.design}`) : null,
    h('div', { class: 'kpis' }, ...x.summary.map(([k, v]) => kpi(v, k, (k === 'breaking' && v !== '0') ? 'bad' : ''))),
    h('h3', {}, `Breaking flows (${x.breaking.length})`),
    x.breaking.length ? null : h('p', { class: 'absent' }, 'None: the design carries every observed flow.'),
  ];
  for (const [reason, list] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    out.push(h('div', { class: 'group' }, h('h3', {}, badge(reason, 'bad'), `${list.length}`, h('span', { class: 'why' }, REASONS[reason] ?? '')),
      table(['initiator', 'responder', 'protocol', 'zones', 'detail', 'operations', 'packets', 'days', 'first seen', 'last seen'],
        list.map((i) => { const b = x.breaking[i]!; return [st.assetLabel(b.s), st.assetLabel(b.d), `${b.pr} ${b.t}/${b.p ?? ''}`, `${b.sz ?? 'none'} → ${b.dz ?? 'none'}`, b.detail,
          h('span', {}, ...b.ops.map((o) => badge(o, o))), num(b.packets), num(b.days), time(b.first), time(b.last)]; }),
        { numeric: [6, 7], onRow: (r) => { const b = x.breaking[list[r]!]!; if (b.flow >= 0) st.select({ kind: 'flow', i: b.flow }); else st.select({ kind: 'asset', i: b.s }); } })));
  }
  out.push(h('h3', {}, `Unused conduit rules (${x.unused.length})`),
    x.unused.length ? table(['conduit', 'protocol', 'port', 'direction'], x.unused.map((u) => [u.conduit, u.protocol, u.port, u.direction])) : h('p', { class: 'absent' }, 'None: every rule carried traffic.'));
  if (x.unzoned.length) out.push(h('h3', {}, `Assets in no zone (${x.unzoned.length})`), table(['asset', 'flows'], x.unzoned.map((u) => [u.ip, num(u.flows)]), { numeric: [1] }));
  out.push(h('h3', {}, `Design findings (${x.findings.length})`),
    x.findings.length ? table(['severity', 'code', 'finding', 'where'], x.findings.map((f) => [f.severity, f.code, f.message, f.where])) : h('p', { class: 'absent' }, 'No findings on the design itself.'));
  if (x.warnings.length) out.push(h('h3', {}, `Design warnings (${x.warnings.length})`), table(['code', 'message', 'where'], x.warnings.map((w) => [w.code, w.message, w.where])));
  return h('div', {}, ...out.filter((c): c is HTMLElement => c !== null && typeof c === 'object'));
}

export function eventsSection(st: State): HTMLElement {
  const e = st.data.events;
  if (!e) return h('p', { class: 'absent' }, 'No engineering events in this report (program downloads, PLC stops, first writes): none were given.');
  if (!e.length) return h('p', { class: 'absent' }, 'The store holds no engineering events for this period.');
  return table(['time (UTC)', 'kind', 'initiator', 'responder', 'protocol', 'what', 'count', 'capture', 'frame'],
    e.map((x) => [x.time.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''), badge(x.kind, x.kind), x.src, x.dst, x.protocol, `${x.name}${x.code ? ` (${x.code})` : ''}${x.first ? ' · first' : ''}`, num(x.count), x.capture, num(x.frame)]),
    { numeric: [6, 8] });
}

export function qualitySection(st: State): HTMLElement {
  const q = st.data.quality;
  return h('div', {},
    h('div', { class: 'split' },
      h('div', {}, h('h3', {}, 'Per-protocol coverage'),
        q.protocols.length ? table(['protocol', 'connections', 'PDUs', 'malformed', 'unparsed', 'gap bytes', 'retransmitted'],
          q.protocols.map((p) => [p.protocol, num(p.connections), num(p.pdus), p.malformed ? badge(num(p.malformed), 'bad') : '0', bytes(p.unparsed), bytes(p.gap), bytes(p.retransmitted)]), { numeric: [1, 2, 3, 4, 5, 6] })
          : h('p', { class: 'absent' }, 'No dissected protocol in this baseline.')),
      h('div', {}, h('h3', {}, 'Diagnostics by code'),
        q.counts.length ? table(['code', 'severity', 'count'], q.counts.map((c) => [c.code, c.severity, num(c.count)]), { numeric: [2] }) : h('p', { class: 'absent' }, 'No problems were found in the captures.'))),
    q.scans.length ? h('div', {}, h('h3', {}, 'Scans and floods (summarised, not listed as flows)'),
      table(['kind', 'host', 'transport', 'attempts', 'peers', 'ports', 'first', 'last'], q.scans.map((x) => [x.kind, x.host, x.transport, num(x.attempts), num(x.peers), num(x.ports), time(x.first), time(x.last)]), { numeric: [3, 4, 5] })) : null,
    q.inventory.length ? h('div', {}, h('h3', {}, 'Inventory problems'), table(['code', 'severity', 'where', 'message'], q.inventory.map((x) => [x.code, x.severity, x.where, x.message]))) : null,
    q.diagnostics.length ? h('div', {}, h('h3', {}, `Diagnostics${q.diagnosticsTotal > q.diagnostics.length ? ` (first ${num(q.diagnostics.length)} of ${num(q.diagnosticsTotal)})` : ''}`),
      table(['capture', 'frame', 'offset', 'protocol', 'severity', 'code', 'message'], q.diagnostics.map((x) => [x.capture, num(x.frame), x.offset !== null ? `0x${x.offset.toString(16)}` : '', x.protocol, x.severity, x.code, x.message]))) : null,
    h('h3', {}, `Captures (${q.captures.length})`),
    table(['file', 'format', 'frames', 'size', 'first', 'last', 'errors', 'warnings', 'capture point'],
      q.captures.map((c) => [c.path.replace(/^.*[\\/]/, ''), c.format, num(c.frames), bytes(c.bytes), time(c.first), time(c.last), c.errors ? badge(num(c.errors), 'bad') : '0', num(c.warnings), c.points.length ? c.points.join('; ') : 'direct']), { numeric: [2, 3, 6, 7] }));
}
