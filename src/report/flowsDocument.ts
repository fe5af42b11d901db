/**
 * The `zonescope/flows@2` document (docs/INTERFACES.md "Flows JSON"): one entry per (initiator,
 * responder, transport, responder port, protocol), with per-protocol operations, read from the
 * BaselineReader's FlowRecords. `functions` lists the codes of the protocol's main code space
 * (Modbus function, CIP service, S7 parameter function, OPC UA service type id); other code spaces
 * (ENIP `encapsulation`, S7 `userdata` and `cotp`, OPC UA `message` ...) are listed under their own
 * key. `operations` counts requests per operation class, each PDU once: a `carrier` (a transport or
 * encapsulation message that carries a service counted on its own) is listed but is no operation.
 * Objects carry their object space's own name and their rendered key (`DB10.DBX4.0`, `unit 1`).
 */
import type { CapturePointRecord, EventRecord, FlowFunction, FlowRecord, ScanRecord } from '../baseline/reader.js';
import { eventEntry } from './eventsDocument.js';
import { isoTime } from './json.js';

export const FLOWS_SCHEMA = 'zonescope/flows@2';
/** The class of codes that carry another PDU and are no operation of their own. */
export const CARRIER_CLASS = 'carrier';

/** What the document was made from (its `meta` block); no time of its own, so the same store gives the same bytes. */
export interface FlowsMeta {
  /** The tool and its version (package.json). */
  version: string;
  /** Schema version of the store read. */
  storeSchemaVersion: number;
  /** Capture units in the store, and the time span of their records (unix seconds; null when empty). */
  captures: number;
  firstSeen: number | null;
  lastSeen: number | null;
}

export interface FlowsDocumentOptions {
  /** The main code space of a protocol (a dissector's spaces[0]); undefined when not dissected. */
  mainSpace: (protocol: string) => string | undefined;
  meta: FlowsMeta;
  scans?: readonly ScanRecord[];
  /** The tunnels the captures' frames arrived through (BaselineReader.capturePoints()). */
  capturePoints?: readonly CapturePointRecord[];
  /** the engineering events of the same selection (events@1 entries under `events`, also when none) */
  events?: readonly EventRecord[];
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

/** Requests per operation class, each PDU once (carriers left out), in key order. */
export function operationTotals(functions: readonly FlowFunction[]): Record<string, number> {
  const ops: Record<string, number> = {};
  for (const fn of functions) {
    if (fn.requests > 0 && fn.opClass !== CARRIER_CLASS) ops[fn.opClass] = (ops[fn.opClass] ?? 0) + fn.requests;
  }
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(ops).sort()) sorted[k] = ops[k]!;
  return sorted;
}

export function flowEntry(f: FlowRecord, mainSpace: string | undefined): Record<string, unknown> {
  const days = new Set<number>();
  for (const h of f.hours) days.add(Math.floor(h.hour / 24));
  const spaces = new Map<string, FunctionEntry[]>();
  for (const fn of f.functions) {
    const e: FunctionEntry = { code: fn.code, name: fn.name, class: fn.opClass, requests: fn.requests, responses: fn.responses, exceptions: fn.exceptions };
    if (fn.variant !== 0) e.variant = fn.variant;
    const list = spaces.get(fn.space) ?? [];
    list.push(e);
    spaces.set(fn.space, list);
  }
  const entry: Record<string, unknown> = {
    src: f.src,
    dst: f.dst,
    transport: f.transport,
    port: f.port,
    protocol: f.protocol,
    initiator_evidence: strongestEvidence(f.evidence),
    initiator_evidence_connections: f.evidence,
    packets: f.packetsToResponder + f.packetsToInitiator,
    bytes: f.bytesToResponder + f.bytesToInitiator,
    packets_to_responder: f.packetsToResponder,
    packets_to_initiator: f.packetsToInitiator,
    bytes_to_responder: f.bytesToResponder,
    bytes_to_initiator: f.bytesToInitiator,
    connections: f.connections,
    first_seen: isoTime(f.firstSeen),
    last_seen: isoTime(f.lastSeen),
    days_seen: days.size,
    hours_seen: f.hours.length,
    operations: operationTotals(f.functions),
    functions: (mainSpace !== undefined ? spaces.get(mainSpace) : undefined) ?? [],
  };
  for (const [space, list] of [...spaces].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (space !== mainSpace) entry[space] = list;
  }
  if (f.ranges.length > 0) entry.ranges = f.ranges.map((r) => ({ table: r.table, start: r.start, count: r.count, write: r.write, requests: r.requests }));
  if (f.objects.length > 0) entry.objects = f.objects.map((o) => ({ space: o.space, key: o.key, reads: o.reads, writes: o.writes }));
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

export function flowsDocument(flows: readonly FlowRecord[], opts: FlowsDocumentOptions): Record<string, unknown> {
  const m = opts.meta;
  // Every top-level key is always there (empty lists included), so `jq '.scans[]'` never fails;
  // `capture_points` and `events` whenever the caller read them (the CLI always does).
  const doc: Record<string, unknown> = {
    schema: FLOWS_SCHEMA,
    meta: {
      tool: 'zonescope',
      version: m.version,
      store_schema_version: m.storeSchemaVersion,
      captures: m.captures,
      first_seen: m.firstSeen === null ? null : isoTime(m.firstSeen),
      last_seen: m.lastSeen === null ? null : isoTime(m.lastSeen),
    },
    flows: flows.map((f) => flowEntry(f, opts.mainSpace(f.protocol))),
    // Failed attempts summarised instead of listed as flows (see the store's `scans` table).
    scans: (opts.scans ?? []).map((s) => ({
      kind: s.kind, host: s.host, transport: s.transport, attempts: s.attempts, packets: s.packets, bytes: s.bytes,
      peers: s.peers, ports: s.ports, first_seen: isoTime(s.firstSeen), last_seen: isoTime(s.lastSeen),
    })),
  };
  if (opts.capturePoints !== undefined) {
    // How the sensor was fed (ERSPAN, VXLAN, ...): per capture file, never flows of the plant.
    doc.capture_points = opts.capturePoints.map((c) => ({
      capture: c.capture, encapsulation: c.encapsulation, outer_src: c.outerSrc, outer_dst: c.outerDst, tunnel_id: c.tunnelId,
      frames: c.frames, first_seen: isoTime(c.firstSeen), last_seen: isoTime(c.lastSeen),
    }));
  }
  if (opts.events !== undefined) doc.events = opts.events.map(eventEntry);
  return doc;
}
