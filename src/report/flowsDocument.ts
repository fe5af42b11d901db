/**
 * The `zonescope/flows@1` document (../shared/design/INTERFACES.md "Flows JSON"): one entry per
 * (initiator, responder, transport, responder port, protocol), with per-protocol operations.
 * `functions` lists the codes of the protocol's main code space (Modbus function, CIP service,
 * S7 parameter function, OPC UA service type id); other code spaces (ENIP `encapsulation`, S7
 * `userdata`, OPC UA `message` ...) are listed under their own key.
 */
import type { FlowRow, ScanRow } from '../baseline/baseline.js';
import { isoTime } from './json.js';

export interface FlowsDocumentOptions {
  /** The main code space of a protocol (a dissector's spaces[0]); undefined when not dissected. */
  mainSpace: (protocol: string) => string | undefined;
  scans?: ScanRow[];
}

interface FunctionEntry {
  code: number;
  name: string;
  class: string;
  requests: number;
  responses: number;
  exceptions: number;
  variant?: number;
}

export function flowEntry(f: FlowRow, mainSpace: string | undefined): Record<string, unknown> {
  const days = new Set<number>();
  for (const h of f.hours) days.add(Math.floor(h.hour / 24));
  const operations: Record<string, number> = {};
  const spaces = new Map<string, FunctionEntry[]>();
  for (const fn of f.functions) {
    if (fn.requests > 0) operations[fn.op_class] = (operations[fn.op_class] ?? 0) + fn.requests;
    const e: FunctionEntry = { code: fn.code, name: fn.name, class: fn.op_class, requests: fn.requests, responses: fn.responses, exceptions: fn.exceptions };
    if (fn.variant !== 0) e.variant = fn.variant;
    const list = spaces.get(fn.space) ?? [];
    list.push(e);
    spaces.set(fn.space, list);
  }
  const sortedOps: Record<string, number> = {};
  for (const k of Object.keys(operations).sort()) sortedOps[k] = operations[k]!;
  const entry: Record<string, unknown> = {
    src: f.src,
    dst: f.dst,
    transport: f.transport,
    port: f.port,
    protocol: f.protocol,
    initiator_evidence: strongestEvidence(f.evidence),
    initiator_evidence_connections: f.evidence,
    packets: f.packets_to_responder + f.packets_to_initiator,
    bytes: f.bytes_to_responder + f.bytes_to_initiator,
    packets_to_responder: f.packets_to_responder,
    packets_to_initiator: f.packets_to_initiator,
    bytes_to_responder: f.bytes_to_responder,
    bytes_to_initiator: f.bytes_to_initiator,
    connections: f.connections,
    first_seen: isoTime(f.first_seen),
    last_seen: isoTime(f.last_seen),
    days_seen: days.size,
    hours_seen: f.hours.length,
    operations: sortedOps,
    functions: (mainSpace !== undefined ? spaces.get(mainSpace) : undefined) ?? [],
  };
  for (const [space, list] of [...spaces].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (space !== mainSpace) entry[space] = list;
  }
  if (f.ranges.length > 0) entry.ranges = f.ranges;
  if (f.objects.length > 0) entry.objects = f.objects;
  if (f.attributes.length > 0) {
    const attrs: Record<string, string[]> = {};
    for (const a of f.attributes) (attrs[a.key] ??= []).push(a.value);
    entry.attributes = attrs;
  }
  return entry;
}

/** The evidence most connections of the flow were decided by (ties: the stronger kind). */
function strongestEvidence(ev: Record<string, number>): string {
  const order = ['syn', 'syn-ack', 'forward-open', 'protocol', 'port', 'first-sender'];
  let best = 'first-sender';
  let bestN = -1;
  for (const k of order) {
    const n = ev[k] ?? 0;
    if (n > bestN) {
      best = k;
      bestN = n;
    }
  }
  return best;
}

export function flowsDocument(rows: FlowRow[], opts: FlowsDocumentOptions): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    schema: 'zonescope/flows@1',
    flows: rows.map((f) => flowEntry(f, opts.mainSpace(f.protocol))),
  };
  if (opts.scans && opts.scans.length > 0) {
    // Failed attempts summarised instead of listed as flows (see the store's `scans` table).
    doc.scans = opts.scans.map((s) => ({
      kind: s.kind, host: s.host, transport: s.transport, attempts: s.attempts, packets: s.packets, bytes: s.bytes,
      peers: s.peers, ports: s.ports, first_seen: isoTime(s.first_seen), last_seen: isoTime(s.last_seen),
    }));
  }
  return doc;
}
