/** The assets and flows tables: virtualised, sortable, filterable. */
import { badge, h } from './dom.js';
import { bytes, level, num, time } from './format.js';
import type { State } from './state.js';
import { virtualTable, type VirtualTable } from './virtualTable.js';

function opsCell(ops: Record<string, number>): HTMLElement {
  const el = h('span', {});
  for (const k of Object.keys(ops).sort()) el.append(badge(k, k));
  return el;
}

export function assetsTable(st: State): { el: HTMLElement; table: VirtualTable } {
  const d = st.data;
  const A = d.assets;
  const t = virtualTable(
    [
      { label: 'IP', width: 110, key: (i) => A[i]!.ip ?? '', cell: (i) => A[i]!.ip ?? '' },
      { label: 'MAC', width: 128, key: (i) => A[i]!.mac ?? '' },
      { label: 'Name', width: 150, grow: 1, key: (i) => A[i]!.name ?? '' },
      { label: 'Vendor / product', width: 190, grow: 1, key: (i) => [A[i]!.vendor, A[i]!.product].filter(Boolean).join(' / ') },
      { label: 'Roles', width: 170, grow: 1, key: (i) => A[i]!.roles.join(', ') },
      { label: 'Level', width: 74, key: (i) => A[i]!.level ?? 99, cell: (i) => `${level(A[i]!.level)}${A[i]!.conf !== null ? ` ${Math.round(A[i]!.conf! * 100)}%` : ''}` },
      { label: 'Zone', width: 80, key: (i) => st.zoneLabel(A[i]!.zone) },
      { label: 'Safety', width: 58, key: (i) => (A[i]!.safety ? 'yes' : ''), cell: (i) => (A[i]!.safety ? badge('safety', 'safety') : '') },
      { label: 'Uncertain', width: 74, key: (i) => A[i]!.uncertain ?? '', cell: (i) => (A[i]!.uncertain ? badge('uncertain', 'unc') : '') },
      { label: 'Packets', width: 84, numeric: true, key: (i) => A[i]!.packets, cell: (i) => num(A[i]!.packets) },
      { label: 'Last seen', width: 118, key: (i) => A[i]!.last ?? 0, cell: (i) => time(A[i]!.last) },
    ],
    (i) => st.select({ kind: 'asset', i }),
    { height: 380, label: 'assets' },
  );
  const q = h('input', { type: 'text', placeholder: 'filter: IP, MAC, name, vendor, role…', 'aria-label': 'filter assets' });
  const zone = h('select', { 'aria-label': 'zone' }, h('option', { value: '' }, 'any zone'), h('option', { value: '-1' }, 'no zone'), ...d.zones.map((z, zi) => h('option', { value: String(zi) }, z.id)));
  const lv = h('select', { 'aria-label': 'level' }, h('option', { value: '' }, 'any level'), ...[0, 1, 2, 3, 3.5, 4, 5].map((l) => h('option', { value: String(l) }, level(l))), h('option', { value: 'null' }, 'unknown'));
  const safety = h('input', { type: 'checkbox' });
  const unc = h('input', { type: 'checkbox' });
  const hay = A.map((a) => [a.ip, a.mac, a.name, a.vendor, a.product, a.roles.join(' '), ...a.hostnames, a.id].filter(Boolean).join(' ').toLowerCase());
  const apply = (): void => {
    const needle = q.value.trim().toLowerCase();
    const zv = zone.value;
    const lvv = lv.value;
    const rows: number[] = [];
    for (let i = 0; i < A.length; i++) {
      const a = A[i]!;
      if (needle && !hay[i]!.includes(needle)) continue;
      if (zv !== '' && a.zone !== Number(zv)) continue;
      if (lvv !== '' && String(a.level) !== lvv) continue;
      if (safety.checked && !a.safety) continue;
      if (unc.checked && !a.uncertain) continue;
      rows.push(i);
    }
    t.setRows(rows);
  };
  for (const el of [q, zone, lv, safety, unc]) el.addEventListener(el === q ? 'input' : 'change', apply);
  t.sortBy(0);
  apply();
  st.onSelect.push((s) => t.highlight(s.kind === 'asset' ? s.i : null));
  return {
    el: h('div', {}, h('div', { class: 'filters' }, q, zone, lv, h('label', {}, safety, 'safety only'), h('label', {}, unc, 'uncertain only')), t.el),
    table: t,
  };
}

export function flowsTable(st: State): HTMLElement {
  const d = st.data;
  const F = d.flows;
  const A = d.assets;
  const br = (i: number): string => (F[i]!.br >= 0 ? d.diff!.breaking[F[i]!.br]!.reason : '');
  const t = virtualTable(
    [
      { label: 'Initiator', width: 170, grow: 1, key: (i) => st.assetLabel(F[i]!.s) },
      { label: 'Responder', width: 170, grow: 1, key: (i) => st.assetLabel(F[i]!.d) },
      { label: 'Protocol', width: 130, key: (i) => `${F[i]!.pr} ${F[i]!.t}/${F[i]!.p}` },
      { label: 'Zones', width: 130, key: (i) => `${st.zoneLabel(A[F[i]!.s]!.zone)} → ${st.zoneLabel(A[F[i]!.d]!.zone)}` },
      { label: 'Operations', width: 170, key: (i) => Object.keys(F[i]!.ops).sort().join(' '), cell: (i) => opsCell(F[i]!.ops) },
      { label: 'Packets', width: 80, numeric: true, key: (i) => F[i]!.pk, cell: (i) => num(F[i]!.pk) },
      { label: 'Bytes', width: 74, numeric: true, key: (i) => F[i]!.b, cell: (i) => bytes(F[i]!.b) },
      { label: 'Days', width: 50, numeric: true, key: (i) => F[i]!.days },
      { label: 'Last seen', width: 118, key: (i) => F[i]!.l, cell: (i) => time(F[i]!.l) },
      { label: 'Design', width: 150, key: br, cell: (i) => (br(i) ? badge(br(i), 'bad') : '') },
    ],
    (i) => st.select({ kind: 'flow', i }),
    { height: 380, label: 'flows' },
  );
  const protos = [...new Set(F.map((f) => f.pr))].sort();
  const classes = [...new Set(F.flatMap((f) => Object.keys(f.ops)))].sort();
  const pairs = [...new Set(F.map((f) => `${A[f.s]!.zone},${A[f.d]!.zone}`))].sort(new Intl.Collator('en', { numeric: true }).compare);
  const q = h('input', { type: 'text', placeholder: 'filter: IP, name, port…', 'aria-label': 'filter flows' });
  const proto = h('select', { 'aria-label': 'protocol' }, h('option', { value: '' }, 'any protocol'), ...protos.map((p) => h('option', { value: p }, p)));
  const op = h('select', { 'aria-label': 'operation class' }, h('option', { value: '' }, 'any operation'), ...classes.map((c) => h('option', { value: c }, c)));
  const zp = h('select', { 'aria-label': 'zone pair' }, h('option', { value: '' }, 'any zone pair'), h('option', { value: 'cross' }, 'crossing zones'),
    ...pairs.map((p) => { const [a, b] = p.split(',').map(Number); return h('option', { value: p }, `${st.zoneLabel(a!)} → ${st.zoneLabel(b!)}`); }));
  const breaking = h('input', { type: 'checkbox' });
  const hay = F.map((f) => `${st.assetLabel(f.s)} ${st.assetLabel(f.d)} ${f.pr} ${f.t}/${f.p}`.toLowerCase());
  const apply = (): void => {
    const needle = q.value.trim().toLowerCase();
    const rows: number[] = [];
    for (let i = 0; i < F.length; i++) {
      const f = F[i]!;
      if (needle && !hay[i]!.includes(needle)) continue;
      if (proto.value && f.pr !== proto.value) continue;
      if (op.value && !(op.value in f.ops)) continue;
      if (zp.value === 'cross' && A[f.s]!.zone === A[f.d]!.zone) continue;
      if (zp.value && zp.value !== 'cross' && `${A[f.s]!.zone},${A[f.d]!.zone}` !== zp.value) continue;
      if (breaking.checked && f.br < 0) continue;
      rows.push(i);
    }
    t.setRows(rows);
  };
  for (const el of [q, proto, op, zp, breaking]) el.addEventListener(el === q ? 'input' : 'change', apply);
  t.sortBy(5, true);
  apply();
  st.onSelect.push((s) => t.highlight(s.kind === 'flow' ? s.i : null));
  return h('div', {}, h('div', { class: 'filters' }, q, proto, op, zp, d.diff ? h('label', {}, breaking, 'breaking only') : null), t.el);
}
