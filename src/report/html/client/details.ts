/** The details panel: what an asset, a zone, a conduit or a flow is, with its evidence. */
import { badge, clear, h, kv, link, table, type Child } from './dom.js';
import { bytes, level, num, time } from './format.js';
import type { State } from './state.js';

export function detailsPanel(st: State): HTMLElement {
  const d = st.data;
  const close = h('button', { class: 'close', 'aria-label': 'close details' }, '✕');
  const body = h('div', {});
  const el = h('aside', { class: 'details', 'aria-label': 'details' }, close, body);
  const hide = (): void => {
    el.classList.remove('open');
    document.body.classList.remove('with-details');
  };
  close.addEventListener('click', hide);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && el.classList.contains('open')) hide(); });
  const assetLink = (i: number): HTMLElement => link(st.assetLabel(i), () => st.select({ kind: 'asset', i }));
  const zoneLink = (z: number): Child => (z < 0 ? 'no zone' : link(d.zones[z]!.id, () => st.select({ kind: 'zone', i: z })));
  const flowRows = (flows: number[]): HTMLElement =>
    table(
      ['initiator', 'responder', 'protocol', 'operations', 'packets', 'days'],
      flows.slice(0, 200).map((fi) => {
        const f = d.flows[fi]!;
        return [st.assetLabel(f.s), st.assetLabel(f.d), `${f.pr} ${f.t}/${f.p}`, Object.keys(f.ops).sort().join(' '), num(f.pk), num(f.days)];
      }),
      { numeric: [4, 5], onRow: (r) => st.select({ kind: 'flow', i: flows[r]! }) },
    );

  const asset = (i: number): Child[] => {
    const a = d.assets[i]!;
    const fl = st.flowsOf[i]!;
    return [
      h('div', { class: 'kind' }, 'asset'),
      h('h2', {}, a.name ?? a.ip ?? a.id),
      h('div', {}, a.safety ? badge('safety', 'safety') : null, a.uncertain ? badge(`uncertain: ${a.uncertain}`, 'unc') : null, a.behindRouter ? badge('behind a router') : null,
        a.inInventory === false ? badge('not in the inventory', 'bad') : null),
      kv([
        ['IP', a.ip ?? ''], ['MAC', a.mac ?? ''], ['Name', a.name ?? ''], ['Host names', a.hostnames.join(', ')], ['Vendor', a.vendor ?? ''], ['Product', a.product ?? ''],
        ...a.identity.map(([k, v]): [string, Child] => [k, v]),
        ['Roles', a.roles.join(', ')], ['Purdue level', `${level(a.level)}${a.conf !== null ? ` (confidence ${Math.round(a.conf * 100)}%)` : ''}`],
        ['Zone', zoneLink(a.zone)], ['Safety', a.safety ? a.safetyReason ?? 'yes' : ''],
        ['Packets', num(a.packets)], ['Bytes', bytes(a.bytes)], ['First seen', time(a.first)], ['Last seen', time(a.last)],
      ]),
      a.evidence.length ? h('h3', {}, 'Evidence') : h('p', { class: 'absent' }, 'No evidence recorded (no assets document in this report).'),
      a.evidence.length ? table(['about', 'what', 'source', 'where'], a.evidence.map((e) => [e[0], e[1], e[2], e[3]])) : null,
      h('h3', {}, `Flows (${fl.length})`),
      h('button', { onclick: () => st.showActivity(fl, `flows of ${st.assetLabel(i)}`) }, 'Show activity'),
      flowRows(fl),
    ];
  };

  const zone = (z: number): Child[] => {
    const zz = d.zones[z]!;
    const conduits = d.conduits.map((c, ci) => ({ c, ci })).filter(({ c }) => c.a === z || c.b === z);
    return [
      h('div', { class: 'kind' }, 'zone'),
      h('h2', {}, `${zz.id}${zz.name !== zz.id ? ` · ${zz.name}` : ''}`),
      kv([
        ['Purdue levels', zz.levels.map((l) => level(l)).join(', ')], ['SL-T', zz.slt ?? ''], ['SL-T reason', zz.sltReason ?? ''], ['Rationale', zz.rationale ?? ''],
        ...zz.metrics.map(([k, v]): [string, Child] => [k.replace(/_/g, ' '), v]),
      ]),
      h('h3', {}, `Assets (${zz.assets.length})`),
      table(
        ['asset', 'level', 'roles', ''],
        zz.assets.map((i) => { const a = d.assets[i]!; return [st.assetLabel(i), level(a.level), a.roles.join(', '), a.safety ? badge('safety', 'safety') : a.uncertain ? badge('uncertain', 'unc') : '']; }),
        { onRow: (r) => st.select({ kind: 'asset', i: zz.assets[r]! }) },
      ),
      h('h3', {}, `Conduits (${conduits.length})`),
      table(['conduit', 'connects', 'rules'], conduits.map(({ c }) => [c.id, `${st.zoneLabel(c.a)} — ${st.zoneLabel(c.b)}`, num(c.rules.length)]), { onRow: (r) => st.select({ kind: 'conduit', i: conduits[r]!.ci }) }),
    ];
  };

  const conduit = (ci: number): Child[] => {
    const c = d.conduits[ci]!;
    return [
      h('div', { class: 'kind' }, 'conduit'),
      h('h2', {}, c.id),
      kv([['Connects', h('span', {}, zoneLink(c.a), ' — ', zoneLink(c.b))], ['Rules', num(c.rules.length)]]),
      h('button', { onclick: () => st.showActivity([...new Set(c.rules.flatMap((r) => r.flows))], `conduit ${c.id}`) }, 'Show activity'),
      ...c.rules.flatMap((r) => [
        h('h3', {}, `${st.zoneLabel(r.iz)} → ${st.zoneLabel(r.rz)}: ${r.protocol} ${r.transport}/${r.port ?? '*'}`),
        h('div', {}, ...r.ops.map((o) => badge(o, o)), r.fcs.length ? badge(`codes ${r.fcs.join(', ')}`) : null, ...r.risks.map((x) => badge(x, 'risk'))),
        kv([['Packets', num(r.packets)], ['Bytes', bytes(r.bytes)], ['Days seen', num(r.days)], ['First seen', time(r.first)], ['Last seen', time(r.last)]]),
        table(['initiator', 'responder'], r.pairs.map(([a, b]) => [assetLink(a), assetLink(b)])),
      ]),
    ];
  };

  const flow = (fi: number): Child[] => {
    const f = d.flows[fi]!;
    const b = f.br >= 0 ? d.diff!.breaking[f.br]! : null;
    return [
      h('div', { class: 'kind' }, 'flow'),
      h('h2', {}, `${f.pr} ${f.t}/${f.p}`),
      b ? h('p', {}, badge(`breaks: ${b.reason}`, 'bad'), b.detail) : null,
      kv([
        ['Initiator', h('span', {}, assetLink(f.s), ' · ', zoneLink(d.assets[f.s]!.zone))], ['Responder', h('span', {}, assetLink(f.d), ' · ', zoneLink(d.assets[f.d]!.zone))],
        ['Packets', num(f.pk)], ['Bytes', bytes(f.b)], ['Connections', num(f.c)], ['Days seen', num(f.days)], ['First seen', time(f.f)], ['Last seen', time(f.l)],
      ]),
      h('button', { onclick: () => st.showActivity([fi], `${st.assetLabel(f.s)} → ${st.assetLabel(f.d)} ${f.pr}/${f.p}`) }, 'Show activity (hour × day)'),
      h('h3', {}, 'Functions'),
      f.fn.length
        ? table(['space', 'code', 'name', 'class', 'req', 'resp', 'exc'], f.fn.map((x) => [x[0], String(x[1]), x[2], badge(x[3], x[3]), num(x[4]), num(x[5]), num(x[6])]), { numeric: [4, 5, 6] })
        : h('p', { class: 'absent' }, 'No function codes: this protocol is labelled by port, not dissected.'),
    ];
  };

  st.onSelect.push((sel) => {
    clear(body);
    const parts = sel.kind === 'asset' ? asset(sel.i) : sel.kind === 'zone' ? zone(sel.i) : sel.kind === 'conduit' ? conduit(sel.i) : flow(sel.i);
    for (const p of parts) if (p !== null && p !== undefined && p !== false) body.append(typeof p === 'object' ? p : String(p));
    el.classList.add('open');
    document.body.classList.add('with-details');
    el.scrollTop = 0;
  });
  return el;
}
