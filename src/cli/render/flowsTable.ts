/**
 * The `zonescope flows` table: one row per flow with when it was seen and what it did, codes shown the
 * way engineers know them (Modbus `FC3`, CIP services in hex `0x4C`, S7 and OPC UA by name), and a
 * totals line. Rendering only: the rows come from the baseline reader.
 */
import type { FlowFunction, FlowRecord, FlowRange } from '../../baseline/reader.js';
import { bytes, day, num } from '../format.js';
import { compareIp } from './ipOrder.js';
import type { Column } from './table.js';

export const FLOW_SORT_KEYS = ['src', 'dst', 'protocol', 'port', 'packets', 'bytes', 'connections', 'first', 'last', 'days'] as const;
export type FlowSortKey = (typeof FLOW_SORT_KEYS)[number];

export const FLOW_COLUMNS: Column[] = [
  { header: 'SRC' },
  { header: 'DST' },
  { header: 'PROTO' },
  { header: 'PORT', right: true },
  { header: 'PACKETS', right: true },
  { header: 'BYTES', right: true },
  { header: 'CONNS', right: true },
  { header: 'FIRST_SEEN' },
  { header: 'LAST_SEEN' },
  { header: 'DAYS', right: true },
  { header: 'OPERATIONS' },
  { header: 'CODES' },
];

export function flowPackets(f: FlowRecord): number {
  return f.packetsToResponder + f.packetsToInitiator;
}

export function flowBytes(f: FlowRecord): number {
  return f.bytesToResponder + f.bytesToInitiator;
}

/** Distinct UTC days with traffic. */
export function daysSeen(f: FlowRecord): number {
  const days = new Set<number>();
  for (const h of f.hours) days.add(Math.floor(h.hour / 24));
  return days.size;
}

/** Sorted copy: addresses in numeric order; counts and times largest/latest first; ties by (src, dst, port). */
export function sortFlows(flows: readonly FlowRecord[], key: FlowSortKey): FlowRecord[] {
  const base = (a: FlowRecord, b: FlowRecord): number =>
    compareIp(a.src, b.src) || compareIp(a.dst, b.dst) || cmp(a.transport, b.transport) || a.port - b.port || cmp(a.protocol, b.protocol);
  const by: Record<FlowSortKey, (a: FlowRecord, b: FlowRecord) => number> = {
    src: () => 0,
    dst: (a, b) => compareIp(a.dst, b.dst),
    protocol: (a, b) => cmp(a.protocol, b.protocol),
    port: (a, b) => a.port - b.port,
    packets: (a, b) => flowPackets(b) - flowPackets(a),
    bytes: (a, b) => flowBytes(b) - flowBytes(a),
    connections: (a, b) => b.connections - a.connections,
    first: (a, b) => a.firstSeen - b.firstSeen,
    last: (a, b) => b.lastSeen - a.lastSeen,
    days: (a, b) => daysSeen(b) - daysSeen(a),
  };
  return [...flows].sort((a, b) => by[key](a, b) || base(a, b));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A function code as engineers write it. */
export function functionLabel(protocol: string, fn: FlowFunction): string {
  if (protocol === 'modbus' && fn.space === 'function') return `FC${fn.code}`;
  if (fn.space === 'cip') return `0x${fn.code.toString(16).toUpperCase().padStart(2, '0')}`;
  return fn.name;
}

/** Operation classes with their request counts: `read:328 write:4`. */
export function operationsText(f: FlowRecord): string {
  const ops = new Map<string, number>();
  for (const fn of f.functions) if (fn.requests > 0) ops.set(fn.opClass, (ops.get(fn.opClass) ?? 0) + fn.requests);
  return [...ops].sort((a, b) => cmp(a[0], b[0])).map(([k, v]) => `${k}:${v}`).join(' ');
}

/** The requested codes of a flow's main spaces, in code order: `FC3 FC16`, `0x4C 0x4D`. */
export function codesText(f: FlowRecord): string {
  const seen = new Map<string, number>();
  for (const fn of [...f.functions].sort((a, b) => cmp(a.space, b.space) || a.code - b.code)) {
    if (fn.requests === 0 || fn.space === 'encapsulation' || fn.space === 'message') continue;
    const l = functionLabel(f.protocol, fn);
    seen.set(l, (seen.get(l) ?? 0) + fn.requests);
  }
  return [...seen.keys()].join(' ');
}

export function flowCells(f: FlowRecord, tty: boolean): string[] {
  const p = flowPackets(f);
  const b = flowBytes(f);
  return [
    f.src,
    f.dst,
    `${f.transport}/${f.protocol}`,
    String(f.port),
    tty ? num(p) : String(p),
    tty ? bytes(b) : String(b),
    tty ? num(f.connections) : String(f.connections),
    day(f.firstSeen),
    day(f.lastSeen),
    String(daysSeen(f)),
    operationsText(f),
    codesText(f),
  ];
}

export function totalsLine(flows: readonly FlowRecord[]): string {
  let p = 0;
  let b = 0;
  let c = 0;
  let first = Infinity;
  let last = -Infinity;
  const hosts = new Set<string>();
  for (const f of flows) {
    p += flowPackets(f);
    b += flowBytes(f);
    c += f.connections;
    first = Math.min(first, f.firstSeen);
    last = Math.max(last, f.lastSeen);
    hosts.add(f.src).add(f.dst);
  }
  const span = flows.length > 0 ? `, ${day(first)} .. ${day(last)}` : '';
  return `total: ${num(flows.length)} flow${flows.length === 1 ? '' : 's'} between ${num(hosts.size)} hosts, ${num(p)} packets, ${bytes(b)}, ${num(c)} connections${span}`;
}

const MODBUS_TABLES: Record<number, string> = { 0: 'coils', 1: 'discrete inputs', 3: 'input registers', 4: 'holding registers' };

/** A Modbus range with its table named and the 0-based protocol start stated. */
export function modbusRangeText(r: FlowRange): string {
  const table = MODBUS_TABLES[r.table] ?? `table ${r.table}`;
  const end = r.start + r.count - 1;
  return `${r.write ? 'write' : 'read'} ${table} ${r.start}..${end} (${r.count}, 0-based) x${r.requests}`;
}

/** The per-flow detail under `--detail`: every function with its counts, Modbus ranges, objects. */
export function flowDetail(f: FlowRecord): string {
  const lines: string[] = [];
  for (const fn of f.functions) {
    const exc = fn.exceptions ? `, ${num(fn.exceptions)} exceptions` : '';
    lines.push(`    ${fn.space} ${functionLabel(f.protocol, fn)} ${fn.name} [${fn.opClass}]: ${num(fn.requests)} requests, ${num(fn.responses)} responses${exc}`);
  }
  for (const r of f.ranges) lines.push(`    ${modbusRangeText(r)}`);
  for (const o of f.objects) lines.push(`    object ${o.space} ${o.key}: ${num(o.reads)} reads, ${num(o.writes)} writes`);
  return lines.map((l) => `${l}\n`).join('');
}
