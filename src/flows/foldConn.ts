/**
 * Folding: a live connection's counters since its last fold become additive flow deltas (and the
 * connection's deltas start again from zero), so the store receives each packet and PDU once. Codes
 * and objects get their dissector's names here, once per connection and fold, never per PDU: code
 * and object spaces by Dissector.spaces / objectSpaces, object keys rendered by describeObject.
 */
import type { Dissector } from '../dissectors/types.js';
import { unknownName } from '../dissectors/types.js';
import { decodeRangeKey, type Conn, type FnCounter, type ObjectCounter } from './conn.js';
import type { ConnHosts } from './connHosts.js';
import type { InitiatorDecider } from './decideInitiator.js';
import {
  addDay,
  emptyFlowDelta,
  newProtocolStats,
  type FlowDelta,
  type FlowFunctionDelta,
  type ProtocolStatsDelta,
} from './flowDelta.js';
import { EVENT_FIRST, addFirst, mergeEvents, type ConnEvent, type EventDelta, type EventKind } from './eventDelta.js';
import type { L2Tracker } from './l2Tracker.js';
import type { ProbeDetector } from './probeDetector.js';
import { transportName } from './transportName.js';

const EMPTY_HOURS: readonly number[] = [];

/** The name of object space `space` of dissector `d`. */
export function objectSpaceName(d: Dissector | null, space: number): string {
  return d?.objectSpaces?.[space] ?? `object-${space}`;
}

/** The rendered key of an object (never throws: a dissector bug shows the raw key). */
export function renderObjectKey(d: Dissector | null, o: ObjectCounter): string {
  if (d?.describeObject === undefined) return String(o.key);
  try {
    return d.describeObject(o.space, o.key);
  } catch {
    return String(o.key);
  }
}

/** A function counter with its names, as a one-day delta. */
export function describeFunction(d: Dissector | null, c: FnCounter, day: number): FlowFunctionDelta {
  const info = d ? d.describe(c.space, c.code, c.variant) : { name: unknownName(c.code), opClass: 'other' as const };
  const spaceName = d?.spaces[c.space] ?? String(c.space);
  const counts = { requests: c.requests, responses: c.responses, exceptions: c.exceptions };
  const days = new Map();
  addDay(days, day, counts);
  return { space: c.space, code: c.code, variant: c.variant, ...counts, spaceName, name: info.name, opClass: info.opClass, days };
}

/**
 * Add one connection's function counter (of UTC day `day`) to a flow delta's functions; named at its
 * first fold into the delta. Returns the entries it added (a function or a day: FlowFolder.entries).
 */
function addFnCounter(m: Map<number, FlowFunctionDelta>, k: number, d: Dissector | null, c: FnCounter, day: number): number {
  let e = m.get(k);
  if (e === undefined) {
    e = describeFunction(d, c, day);
    m.set(k, e);
    return 1;
  }
  e.requests += c.requests;
  e.responses += c.responses;
  e.exceptions += c.exceptions;
  const n = e.days.get(day);
  if (n === undefined) {
    e.days.set(day, { requests: c.requests, responses: c.responses, exceptions: c.exceptions });
    return 1;
  }
  n.requests += c.requests;
  n.responses += c.responses;
  n.exceptions += c.exceptions;
  return 0;
}

/** Modbus-style range tables (PduSink.range). */
const RANGE_TABLES: Record<number, string> = { 0: 'coils', 1: 'discrete inputs', 3: 'input registers', 4: 'holding registers' };

/** `holding registers 400-405` (0-based protocol addresses), `coils 7`. */
export function describeRange(key: number): string {
  const r = decodeRangeKey(key);
  const table = RANGE_TABLES[r.table] ?? `table ${r.table}`;
  return r.count <= 1 ? `${table} ${r.start}` : `${table} ${r.start}-${r.start + r.count - 1}`;
}

/** A live connection's event with its names, on the flow `flow` (src, dst, transport, port, protocol). */
export function describeEvent(d: Dissector | null, e: ConnEvent, flow: Pick<FlowDelta, 'src' | 'dst' | 'transport' | 'port' | 'protocol'>): EventDelta {
  const info = d ? d.describe(e.space, e.code, e.variant) : { name: unknownName(e.code), opClass: 'other' as const };
  const kind: EventKind = e.cls === EVENT_FIRST
    ? (info.opClass === 'diagnostic' ? 'diagnostic' : 'write')
    : (info.opClass === 'program' ? 'program' : 'control');
  const parts: string[] = [];
  if (e.objectSpace >= 0) {
    const first = renderObjectKey(d, { space: e.objectSpace, key: e.objectKey, reads: 0, writes: 0 });
    parts.push(e.moreObjects > 0 ? `${first} (+${e.moreObjects} more)` : first);
  }
  if (e.rangeKey >= 0) parts.push(describeRange(e.rangeKey));
  return {
    kind, src: flow.src, dst: flow.dst, transport: flow.transport, port: flow.port, protocol: flow.protocol,
    space: d?.spaces[e.space] ?? String(e.space), code: e.code, variant: e.variant, name: info.name, object: parts.join(', '),
    ts: e.ts, file: e.file, frame: e.frame, count: e.count,
  };
}

function addAttribute(f: FlowDelta, k: string, v: string): void {
  const s = f.attributes.get(k);
  if (s) s.add(v);
  else f.attributes.set(k, new Set([v]));
}

/** Flow keys cached for host ids below this (a pair of ids is one number). */
const KEY_CACHE_HOSTS = 1 << 24;
/** Host pairs whose flow keys are cached (past it the cache starts again), and keys per pair. */
const KEY_CACHE_PAIRS = 1 << 18;
const KEY_CACHE_PER_PAIR = 16;
/** Rendered object keys cached per dissector (past it the cache starts again). */
const OBJECT_NAME_CACHE = 1 << 16;

interface ObjectNames {
  /** the object as the dissector reported it (checked: a connection's map key stands for it) */
  space: number;
  rawKey: number | string;
  spaceName: string;
  key: string;
  /** the flow delta's objects key: space name, NUL, rendered key */
  full: string;
}

export class FlowFolder {
  /**
   * Flow, hour and function-day entries the flow deltas gained since the last take(): what a part
   * bounds (FlowAggregator.partDue), since it is what grows with a file's time span.
   */
  entries = 0;
  private flows = new Map<string, FlowDelta>();
  /** Flow keys by host id pair (see keyOf). */
  private readonly keyCache = new Map<number, Array<{ proto: number; port: number; protocol: string; key: string }>>();
  private readonly objectNameCache = new Map<Dissector | null, Map<string | number, ObjectNames>>();
  /** program/control events since the last take(), and first-kind events by firstKey */
  private events: EventDelta[] = [];
  private firsts = new Map<string, EventDelta>();
  private protocols = new Map<string, ProtocolStatsDelta>();
  private readonly hosts: ConnHosts;
  private readonly initiators: InitiatorDecider;
  private readonly probes: ProbeDetector;
  private readonly l2: L2Tracker;

  constructor(hosts: ConnHosts, initiators: InitiatorDecider, probes: ProbeDetector, l2: L2Tracker) {
    this.hosts = hosts;
    this.initiators = initiators;
    this.probes = probes;
    this.l2 = l2;
  }

  /** Fold a connection's counters since its last fold into the flow deltas. */
  fold(conn: Conn): void {
    this.initiators.decide(conn);
    const deltaPkts = conn.pktsA + conn.pktsB;
    const transport = transportName(conn.proto);
    this.foldSessionStats(conn);
    if (deltaPkts === 0 && conn.fnCounters.size === 0 && !conn.pastFns && conn.counted) return;
    // A failed attempt stays one: its later packets go to the same scan/flood summary (absorb).
    if (this.probes.absorb(conn, transport)) {
      conn.hourPkts = 0;
      conn.hourBytes = 0;
      if (conn.hours !== null) conn.hours.length = 0;
      conn.events = null;
      resetDeltas(conn);
      return;
    }
    this.addConn(this.flowOf(conn, transport), conn);
    this.l2.foldMacs(conn);
    resetDeltas(conn);
  }

  /**
   * The delta of the connection's flow in this batch, created at the flow's first fold (the
   * connection's own counters are added straight into it: no delta object per connection).
   */
  private flowOf(conn: Conn, transport: string): FlowDelta {
    const initIsA = conn.initiatorIsA === 1;
    if (conn.flowKey === '') conn.flowKey = this.keyOf(conn, initIsA, transport);
    let f = this.flows.get(conn.flowKey);
    if (f === undefined) {
      f = emptyFlowDelta({
        key: conn.flowKey, src: this.hosts.ip(conn, initIsA), dst: this.hosts.ip(conn, !initIsA), transport, port: conn.respPort, protocol: conn.protocol,
        firstTs: conn.deltaFirstTs, lastTs: conn.lastTs,
      });
      this.flows.set(conn.flowKey, f);
      this.entries++;
    } else {
      // With no packet since the last fold, deltaFirstTs = lastTs: a time the flow already has.
      if (conn.deltaFirstTs < f.firstTs) f.firstTs = conn.deltaFirstTs;
      if (conn.lastTs > f.lastTs) f.lastTs = conn.lastTs;
    }
    return f;
  }

  /**
   * The flow key of a connection (initiator IP|responder IP|transport|port|protocol), the same string
   * object for every connection of the flow while the key cache holds it (no string built per
   * connection, and its hash is computed once).
   */
  private keyOf(conn: Conn, initIsA: boolean, transport: string): string {
    const src = this.hosts.hostId(conn, initIsA);
    const dst = this.hosts.hostId(conn, !initIsA);
    if (src >= KEY_CACHE_HOSTS || dst >= KEY_CACHE_HOSTS) return this.buildKey(conn, initIsA, transport);
    const pair = src * KEY_CACHE_HOSTS + dst;
    let list = this.keyCache.get(pair);
    if (list === undefined) {
      if (this.keyCache.size >= KEY_CACHE_PAIRS) this.keyCache.clear();
      this.keyCache.set(pair, (list = []));
    }
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (e.proto === conn.proto && e.port === conn.respPort && e.protocol === conn.protocol) return e.key;
    }
    const key = this.buildKey(conn, initIsA, transport);
    if (list.length < KEY_CACHE_PER_PAIR) list.push({ proto: conn.proto, port: conn.respPort, protocol: conn.protocol, key });
    return key;
  }

  private buildKey(conn: Conn, initIsA: boolean, transport: string): string {
    return `${this.hosts.ip(conn, initIsA)}|${this.hosts.ip(conn, !initIsA)}|${transport}|${conn.respPort}|${conn.protocol}`;
  }

  /**
   * An object counter's names (space name, rendered key, and the flow delta's key of both), rendered
   * once per dissector and connection key `k` while the cache holds them, not at every fold.
   */
  private objectNames(d: Dissector | null, k: string | number, o: ObjectCounter): ObjectNames {
    let m = this.objectNameCache.get(d);
    if (m === undefined) this.objectNameCache.set(d, (m = new Map()));
    let e = m.get(k);
    if (e === undefined || e.space !== o.space || e.rawKey !== o.key) {
      const spaceName = objectSpaceName(d, o.space);
      const key = renderObjectKey(d, o);
      e = { space: o.space, rawKey: o.key, spaceName, key, full: `${spaceName}\u0000${key}` };
      if (m.size >= OBJECT_NAME_CACHE) m.clear();
      m.set(k, e);
    }
    return e;
  }

  /** Add the connection's counters since its last fold to its flow's delta `f` (clearing them on the connection). */
  private addConn(f: FlowDelta, conn: Conn): void {
    const initIsA = conn.initiatorIsA === 1;
    if (!conn.counted) {
      conn.counted = true;
      f.connections++;
      f.evidence[conn.evidence] = (f.evidence[conn.evidence] ?? 0) + 1;
      this.protoStats(conn.protocol).connections++;
    }
    f.packetsToResponder += initIsA ? conn.pktsA : conn.pktsB;
    f.packetsToInitiator += initIsA ? conn.pktsB : conn.pktsA;
    f.bytesToResponder += initIsA ? conn.bytesA : conn.bytesB;
    f.bytesToInitiator += initIsA ? conn.bytesB : conn.bytesA;
    const hs = conn.hours ?? EMPTY_HOURS;
    for (let i = 0; i < hs.length; i += 3) {
      const e = f.hours.get(hs[i]!);
      if (e) {
        e[0] += hs[i + 1]!;
        e[1] += hs[i + 2]!;
      } else {
        f.hours.set(hs[i]!, [hs[i + 1]!, hs[i + 2]!]);
        this.entries++;
      }
    }
    if (conn.hours !== null) conn.hours.length = 0;
    // The current hour last, as if it ended now (not pushed onto conn.hours: most connections never
    // see a second hour, and their list stays unallocated).
    if (conn.hourPkts > 0) {
      const e = f.hours.get(conn.hour);
      if (e) {
        e[0] += conn.hourPkts;
        e[1] += conn.hourBytes;
      } else {
        f.hours.set(conn.hour, [conn.hourPkts, conn.hourBytes]);
        this.entries++;
      }
      conn.hourPkts = 0;
      conn.hourBytes = 0;
    }

    const d = conn.session?.dissector ?? null;
    if (conn.pastFns !== null) {
      for (const p of conn.pastFns) for (const [k, c] of p.fns) this.entries += addFnCounter(f.functions, k, d, c, p.day);
      conn.pastFns = null;
    }
    const fc = conn.fnCounters;
    if (fc.map !== null) {
      for (const [k, c] of fc.map) this.entries += addFnCounter(f.functions, k, d, c, conn.day);
    } else if (fc.has0) this.entries += addFnCounter(f.functions, fc.k0!, d, fc.v0!, conn.day);
    if (fc.map !== null || fc.has0) {
      fc.clear();
      conn.lastFn = null;
      conn.lastFnKey = -1;
    }
    const rc = conn.rangeCounters;
    if (rc.map !== null) {
      for (const [k, c] of rc.map) f.ranges.set(k, (f.ranges.get(k) ?? 0) + c.n);
    } else if (rc.has0) f.ranges.set(rc.k0!, (f.ranges.get(rc.k0!) ?? 0) + rc.v0!.n);
    if (rc.map !== null || rc.has0) {
      rc.clear();
      conn.lastRange = null;
      conn.lastRangeKey = -1;
    }
    const oc = conn.objectCounters;
    if (oc.map !== null) {
      for (const [k, o] of oc.map) this.addObject(f, d, k, o);
    } else if (oc.has0) this.addObject(f, d, oc.k0!, oc.v0!);
    if (oc.map !== null || oc.has0) {
      oc.clear();
      conn.lastObject = null;
      conn.lastObjectKey = -1;
    }
    const ac = conn.attributeValues;
    if (ac.map !== null) {
      for (const [k, v] of ac.map) addAttribute(f, k, v);
    } else if (ac.has0) addAttribute(f, ac.k0!, ac.v0!);
    ac.clear();
    if (conn.events !== null) {
      for (const e of conn.events) {
        const ev = describeEvent(d, e, f);
        if (e.cls === EVENT_FIRST) addFirst(this.firsts, ev);
        else this.events.push(ev);
      }
      conn.events = null;
    }
  }

  private addObject(f: FlowDelta, d: Dissector | null, k: string | number, o: ObjectCounter): void {
    const n = this.objectNames(d, k, o);
    const e = f.objects.get(n.full);
    if (e) {
      e.reads += o.reads;
      e.writes += o.writes;
    } else f.objects.set(n.full, { spaceName: n.spaceName, key: n.key, reads: o.reads, writes: o.writes });
  }

  /** Only the session's coverage counters (a connection whose first fold waits: takeBatch). */
  foldStats(conn: Conn): void {
    this.foldSessionStats(conn);
  }

  private foldSessionStats(conn: Conn): void {
    const s = conn.session;
    if (s === null) return;
    const st = s.stats;
    const p = this.protoStats(s.protocol);
    p.pdus += st.pdus - conn.foldedPdus;
    p.malformed += st.malformed - conn.foldedMalformed;
    p.unparsedBytes += st.bytesUnparsed - conn.foldedUnparsed;
    p.gapBytes += st.gapBytes - conn.foldedGapBytes;
    p.retransmittedBytes += st.retransmittedBytes - conn.foldedRetrans;
    conn.foldedPdus = st.pdus;
    conn.foldedMalformed = st.malformed;
    conn.foldedUnparsed = st.bytesUnparsed;
    conn.foldedGapBytes = st.gapBytes;
    conn.foldedRetrans = st.retransmittedBytes;
    s.takeSnapLoss(p);
  }

  private protoStats(protocol: string): ProtocolStatsDelta {
    let p = this.protocols.get(protocol);
    if (!p) {
      p = newProtocolStats(protocol);
      this.protocols.set(protocol, p);
    }
    return p;
  }

  /** The flow, protocol and event deltas since the previous call (events in event order). */
  take(): { flows: FlowDelta[]; protocols: ProtocolStatsDelta[]; events: EventDelta[] } {
    const out = {
      flows: [...this.flows.values()], protocols: [...this.protocols.values()], events: mergeEvents([this.events, [...this.firsts.values()]]),
    };
    this.flows = new Map();
    this.entries = 0;
    this.protocols = new Map();
    this.events = [];
    this.firsts = new Map();
    return out;
  }
}

function resetDeltas(conn: Conn): void {
  conn.pktsA = 0;
  conn.pktsB = 0;
  conn.bytesA = 0;
  conn.bytesB = 0;
  conn.deltaFirstTs = conn.lastTs;
}
