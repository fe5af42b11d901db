/**
 * The additive deltas the flow stage hands to the store (one FlowBatch per capture file), and THE
 * merge rules of their counters, written once: every counter is a sum, a minimum (first seen) or a
 * maximum (last seen, distinct counts), and maps add up key by key (attributes: union). The same
 * rules are used where counters meet: folding a connection into its flow, merging the batches of
 * parallel shards (mergeBatches.ts), the store's upserts (src/baseline writes its SQL from these
 * rules) and the ingest run's summary.
 */
import type { FunctionClass } from '../dissectors/types.js';
import type { InitiatorEvidence } from './conn.js';
import type { EventDelta } from './eventDelta.js';

/** How two values of one counter combine. */
export type MergeRule = 'sum' | 'min' | 'max';

type NumericKeys<T> = { [K in keyof T]-?: T[K] extends number ? K : never }[keyof T];

/** The merge rule of every numeric field of T that is a counter (fields left out are keys). */
export type MergeRules<T> = { readonly [K in NumericKeys<T>]?: MergeRule };

/** Per-UTC-day counts of one function (day = floor(unix seconds / 86400)). */
export interface FnDayCounts {
  requests: number;
  responses: number;
  exceptions: number;
}

export interface FlowFunctionDelta extends FnDayCounts {
  space: number;
  code: number;
  variant: number;
  /** the dissector's name of the code space (Dissector.spaces) */
  spaceName: string;
  name: string;
  opClass: FunctionClass;
  /** the same counts split by UTC day (see FnDays): they add up to the totals */
  days: FnDays;
}

export interface FlowObjectDelta {
  /** the dissector's name of the object space (Dissector.objectSpaces) */
  spaceName: string;
  /** the rendered key (Dissector.describeObject): `DB10.DBX4.0`, `unit 1`, a tag name */
  key: string;
  reads: number;
  writes: number;
}

/**
 * A flow's packets and bytes per hour: flat [hour, packets, bytes, hour, packets, bytes, ...], hour =
 * floor(unix seconds / 3600), each hour at most once, in no particular order (the order the flow's
 * connections were folded: nearly ascending). One dense list of numbers rather than a Map of
 * [packets, bytes] pairs: no object per hour and flow (a plant's flow gains an hour at most folds),
 * and a part's hours cross from a worker thread as one array.
 */
export type HourCounts = number[];

/**
 * A function's counts per UTC day: flat [day, requests, responses, exceptions, ...], day = floor(unix
 * seconds / 86400), each day at most once, in the order they came (as HourCounts, for the same reasons).
 */
export type FnDays = number[];

/** Entries past which an entry is found through an index (entryIndexOf) rather than by a scan from the end. */
const SCAN_MAX = 64;

/**
 * The index of key `k`'s entry in a flat list of `stride`-number entries (HourCounts, FnDays), -1
 * when it has none: through `index` (key -> entry index) when given, else by a scan from the end.
 */
export function findEntry(list: readonly number[], stride: number, k: number, index: Map<number, number> | null = null): number {
  if (index !== null) return index.get(k) ?? -1;
  for (let i = list.length - stride; i >= 0; i -= stride) if (list[i] === k) return i;
  return -1;
}

/**
 * An index of a flat list (key -> entry index) when it is, or with `adding` more entries may grow,
 * long enough that scanning it costs more than the index; else null.
 */
export function entryIndexOf(list: readonly number[], stride: number, adding = 0): Map<number, number> | null {
  if (list.length + stride * adding <= stride * SCAN_MAX) return null;
  const m = new Map<number, number>();
  for (let i = 0; i < list.length; i += stride) m.set(list[i]!, i);
  return m;
}

/** Add `from`'s entries into `into` (flat lists of `stride` numbers: a key, then counters), key by key. */
export function mergeEntries(into: number[], from: readonly number[], stride: number): void {
  if (into.length === 0) {
    for (let i = 0; i < from.length; i++) into.push(from[i]!);
    return;
  }
  const index = entryIndexOf(into, stride, from.length / stride);
  for (let j = 0; j < from.length; j += stride) {
    const i = findEntry(into, stride, from[j]!, index);
    if (i >= 0) for (let c = 1; c < stride; c++) into[i + c] += from[j + c]!;
    else {
      index?.set(from[j]!, into.length);
      for (let c = 0; c < stride; c++) into.push(from[j + c]!);
    }
  }
}

/** Add `packets` and `bytes` of hour `h` to `hours` (into its entry when it has one), as addDay does for a day. */
export function addHourCounts(hours: HourCounts, h: number, packets: number, bytes: number): void {
  const i = findEntry(hours, 3, h);
  if (i < 0) hours.push(h, packets, bytes);
  else {
    hours[i + 1] += packets;
    hours[i + 2] += bytes;
  }
}

/** The hours as [hour, packets, bytes] entries, ascending (tests, reports of a delta). */
export function hourEntries(hours: HourCounts): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i < hours.length; i += 3) out.push([hours[i]!, hours[i + 1]!, hours[i + 2]!]);
  return out.sort((a, b) => a[0] - b[0]);
}

/** The days as [day, counts] entries in their order (tests, reports of a delta). */
export function dayEntries(days: FnDays): Array<[number, FnDayCounts]> {
  const out: Array<[number, FnDayCounts]> = [];
  for (let i = 0; i < days.length; i += 4) out.push([days[i]!, { requests: days[i + 1]!, responses: days[i + 2]!, exceptions: days[i + 3]! }]);
  return out;
}

export interface FlowDelta {
  key: string;
  src: string;
  dst: string;
  transport: string;
  port: number;
  protocol: string;
  evidence: Partial<Record<InitiatorEvidence, number>>;
  packetsToResponder: number;
  packetsToInitiator: number;
  bytesToResponder: number;
  bytesToInitiator: number;
  connections: number;
  firstTs: number;
  lastTs: number;
  /** packets and bytes per hour (since epoch): see HourCounts */
  hours: HourCounts;
  /** by fnKey(space, code, variant) */
  functions: Map<number, FlowFunctionDelta>;
  /** rangeKey -> requests */
  ranges: Map<number, number>;
  /** `${spaceName}\u0000${key}` -> counts */
  objects: Map<string, FlowObjectDelta>;
  attributes: Map<string, Set<string>>;
}

export interface IdentityDelta {
  ip: string;
  protocol: string;
  key: string;
  value: string;
  count: number;
  firstTs: number;
  lastTs: number;
  file: string;
  frame: number;
}

export interface MacDelta {
  ip: string;
  mac: string;
  packets: number;
  firstTs: number;
  lastTs: number;
}

export interface L2Delta {
  mac: string;
  etherType: number;
  packets: number;
  bytes: number;
  firstTs: number;
  lastTs: number;
}

/** Failed attempts summarised: made by `host` (kind 'scan') or received by `host` (kind 'flood'). */
export interface ScanDelta {
  kind: 'scan' | 'flood';
  host: string;
  transport: string;
  attempts: number;
  packets: number;
  bytes: number;
  /** Distinct other hosts: targets of a scan, sources of a flood (within one ingest run). */
  peers: number;
  /** Distinct responder ports. */
  ports: number;
  firstTs: number;
  lastTs: number;
}

export interface ProtocolStatsDelta {
  protocol: string;
  connections: number;
  pdus: number;
  malformed: number;
  unparsedBytes: number;
  gapBytes: number;
  retransmittedBytes: number;
  /** TCP segments / UDP datagrams whose payload the capture's snap length cut (not analysed). */
  snapCutSegments: number;
  /** Payload bytes those cuts lost (with the partial PDUs they left). */
  snapLostBytes: number;
  /** The longest captured frame among those cut (what the snap length left of a frame). */
  snapCaplen: number;
}

/**
 * Frames of one capture point: a tunnel (GRE, ERSPAN, VXLAN, MPLS, PPPoE, IP-in-IP) the frames of a
 * capture file arrived through, by encapsulation, outer endpoints (IP addresses; the outer MAC
 * addresses for the link-layer encapsulations MPLS and PPPoE) and id (ERSPAN session, VNI, GRE key,
 * MPLS label, PPPoE session; -1 none).
 */
export interface CapturePointDelta {
  encapsulation: string;
  outerSrc: string;
  outerDst: string;
  tunnelId: number;
  frames: number;
  firstTs: number;
  lastTs: number;
}

export interface FrameCounters {
  frames: number;
  ipPackets: number;
  arpPackets: number;
  otherL2: number;
  /** Of otherL2: spanning tree BPDUs (IEEE 802.1D, LLC DSAP/SSAP 0x42). */
  stp: number;
  truncated: number;
  malformed: number;
  unsupportedLinktype: number;
  bytes: number;
  firstTs: number;
  lastTs: number;
}

/** Everything aggregated since the previous takeBatch(): what one store transaction writes. */
export interface FlowBatch {
  flows: FlowDelta[];
  identities: IdentityDelta[];
  macs: MacDelta[];
  arp: MacDelta[];
  l2: L2Delta[];
  scans: ScanDelta[];
  protocols: ProtocolStatsDelta[];
  capturePoints: CapturePointDelta[];
  /** engineering events (eventDelta.ts), in event order */
  events: EventDelta[];
  counters: FrameCounters;
  liveConnections: number;
}

// ------------------------------------------------------------------------------------------ rules

export const FLOW_RULES: MergeRules<FlowDelta> = {
  packetsToResponder: 'sum',
  packetsToInitiator: 'sum',
  bytesToResponder: 'sum',
  bytesToInitiator: 'sum',
  connections: 'sum',
  firstTs: 'min',
  lastTs: 'max',
};
export const FUNCTION_RULES: MergeRules<FnDayCounts> = { requests: 'sum', responses: 'sum', exceptions: 'sum' };
/** FlowDelta.hours entries ([packets, bytes] per hour), evidence (connections) and ranges (requests). */
export const HOUR_RULES: MergeRules<{ packets: number; bytes: number }> = { packets: 'sum', bytes: 'sum' };
export const EVIDENCE_RULES: MergeRules<{ connections: number }> = { connections: 'sum' };
export const RANGE_RULES: MergeRules<{ requests: number }> = { requests: 'sum' };
export const OBJECT_RULES: MergeRules<FlowObjectDelta> = { reads: 'sum', writes: 'sum' };
export const IDENTITY_RULES: MergeRules<IdentityDelta> = { count: 'sum', firstTs: 'min', lastTs: 'max' };
export const MAC_RULES: MergeRules<MacDelta> = { packets: 'sum', firstTs: 'min', lastTs: 'max' };
export const L2_RULES: MergeRules<L2Delta> = { packets: 'sum', bytes: 'sum', firstTs: 'min', lastTs: 'max' };
/**
 * Distinct peers and ports are counted per ingest run; across runs the store keeps the largest
 * count. (Parallel shards of one run see disjoint address pairs, so their peers add up instead: see
 * SHARD_SCAN_RULES.)
 */
export const SCAN_RULES: MergeRules<ScanDelta> = {
  attempts: 'sum', packets: 'sum', bytes: 'sum', peers: 'max', ports: 'max', firstTs: 'min', lastTs: 'max',
};
export const SHARD_SCAN_RULES: MergeRules<ScanDelta> = { ...SCAN_RULES, peers: 'sum' };
export const PROTOCOL_RULES: MergeRules<ProtocolStatsDelta> = {
  connections: 'sum', pdus: 'sum', malformed: 'sum', unparsedBytes: 'sum', gapBytes: 'sum', retransmittedBytes: 'sum',
  snapCutSegments: 'sum', snapLostBytes: 'sum', snapCaplen: 'max',
};
export const CAPTURE_POINT_RULES: MergeRules<CapturePointDelta> = { frames: 'sum', firstTs: 'min', lastTs: 'max' };
/** The identity of a capture point (its merge key). */
export function capturePointKey(c: CapturePointDelta): string {
  return `${c.encapsulation}|${c.outerSrc}|${c.outerDst}|${c.tunnelId}`;
}
export const FRAME_RULES: MergeRules<FrameCounters> = {
  frames: 'sum', ipPackets: 'sum', arpPackets: 'sum', otherL2: 'sum', stp: 'sum', truncated: 'sum', malformed: 'sum',
  unsupportedLinktype: 'sum', bytes: 'sum', firstTs: 'min', lastTs: 'max',
};

// ------------------------------------------------------------------------------------------ merge

/** Add `from`'s counters into `into` by `rules` (the one merge of every delta). */
export function mergeCounters<T extends object>(rules: MergeRules<T>, into: T, from: T): void {
  const a = into as unknown as Record<string, number>;
  const b = from as unknown as Record<string, number>;
  let entries = ruleEntries.get(rules);
  if (entries === undefined) ruleEntries.set(rules, (entries = Object.entries(rules) as Array<[string, MergeRule]>));
  for (let i = 0; i < entries.length; i++) {
    const [k, rule] = entries[i]!;
    if (rule === 'sum') a[k] = a[k]! + b[k]!;
    else if (rule === 'min') a[k] = Math.min(a[k]!, b[k]!);
    else a[k] = Math.max(a[k]!, b[k]!);
  }
}

/** The entries of each rules object, listed once (mergeCounters runs for every delta of a batch). */
const ruleEntries = new WeakMap<object, Array<[string, MergeRule]>>();

/** Add day counts `n` of `day` into a function delta's days. */
export function addDay(days: FnDays, day: number, n: FnDayCounts): void {
  const i = findEntry(days, 4, day);
  if (i < 0) days.push(day, n.requests, n.responses, n.exceptions);
  else {
    days[i + 1] += n.requests;
    days[i + 2] += n.responses;
    days[i + 3] += n.exceptions;
  }
}

/** Add function delta `f` (counts and days) into `m` under key `k`. */
export function addFunction(m: Map<number, FlowFunctionDelta>, k: number, f: FlowFunctionDelta): void {
  let e = m.get(k);
  if (e === undefined) {
    e = { ...f, requests: 0, responses: 0, exceptions: 0, days: [] };
    m.set(k, e);
  }
  mergeCounters(FUNCTION_RULES, e, f);
  mergeEntries(e.days, f.days, 4);
}

/** Add object delta `o` into `m` under key `k`. */
export function addObject(m: Map<string, FlowObjectDelta>, k: string, o: FlowObjectDelta): void {
  const e = m.get(k);
  if (e) mergeCounters(OBJECT_RULES, e, o);
  else m.set(k, { ...o });
}

/** Add every counter of flow delta `from` into `into` (same flow key). */
export function mergeFlowDelta(into: FlowDelta, from: FlowDelta): void {
  mergeCounters(FLOW_RULES, into, from);
  for (const [ev, n] of Object.entries(from.evidence) as Array<[InitiatorEvidence, number]>) {
    into.evidence[ev] = (into.evidence[ev] ?? 0) + n;
  }
  mergeEntries(into.hours, from.hours, 3);
  for (const [k, f] of from.functions) addFunction(into.functions, k, f);
  for (const [k, n] of from.ranges) into.ranges.set(k, (into.ranges.get(k) ?? 0) + n);
  for (const [k, o] of from.objects) addObject(into.objects, k, o);
  for (const [k, vs] of from.attributes) {
    let s = into.attributes.get(k);
    if (!s) into.attributes.set(k, (s = new Set()));
    for (const v of vs) s.add(v);
  }
}

/** An empty flow delta with the identity of `f` (its key fields), to merge deltas into. */
export function emptyFlowDelta(f: Pick<FlowDelta, 'key' | 'src' | 'dst' | 'transport' | 'port' | 'protocol' | 'firstTs' | 'lastTs'>): FlowDelta {
  return {
    key: f.key, src: f.src, dst: f.dst, transport: f.transport, port: f.port, protocol: f.protocol,
    evidence: {}, packetsToResponder: 0, packetsToInitiator: 0, bytesToResponder: 0, bytesToInitiator: 0, connections: 0,
    firstTs: f.firstTs, lastTs: f.lastTs,
    hours: [], functions: new Map(), ranges: new Map(), objects: new Map(), attributes: new Map(),
  };
}

/** A deep copy of a flow delta (merging into it leaves `f` untouched). */
export function cloneFlowDelta(f: FlowDelta): FlowDelta {
  const c = emptyFlowDelta(f);
  mergeFlowDelta(c, f);
  return c;
}

export function newFrameCounters(): FrameCounters {
  return { frames: 0, ipPackets: 0, arpPackets: 0, otherL2: 0, stp: 0, truncated: 0, malformed: 0, unsupportedLinktype: 0, bytes: 0, firstTs: Infinity, lastTs: -Infinity };
}

export function newProtocolStats(protocol: string): ProtocolStatsDelta {
  return { protocol, connections: 0, pdus: 0, malformed: 0, unparsedBytes: 0, gapBytes: 0, retransmittedBytes: 0, snapCutSegments: 0, snapLostBytes: 0, snapCaplen: 0 };
}
