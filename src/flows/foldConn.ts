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

/** Add one connection's function counter (of UTC day `day`) to a flow delta's functions; named at its first fold into the delta. */
function addFnCounter(m: Map<number, FlowFunctionDelta>, k: number, d: Dissector | null, c: FnCounter, day: number): void {
  let e = m.get(k);
  if (e === undefined) {
    e = describeFunction(d, c, day);
    m.set(k, e);
    return;
  }
  e.requests += c.requests;
  e.responses += c.responses;
  e.exceptions += c.exceptions;
  const n = e.days.get(day);
  if (n === undefined) e.days.set(day, { requests: c.requests, responses: c.responses, exceptions: c.exceptions });
  else {
    n.requests += c.requests;
    n.responses += c.responses;
    n.exceptions += c.exceptions;
  }
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

export class FlowFolder {
  private flows = new Map<string, FlowDelta>();
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
    if (deltaPkts === 0 && !conn.fns && !conn.pastFns && conn.counted) return;
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
    if (conn.flowKey === '') {
      conn.flowKey = `${this.hosts.ip(conn, initIsA)}|${this.hosts.ip(conn, !initIsA)}|${transport}|${conn.respPort}|${conn.protocol}`;
    }
    let f = this.flows.get(conn.flowKey);
    if (f === undefined) {
      f = emptyFlowDelta({
        key: conn.flowKey, src: this.hosts.ip(conn, initIsA), dst: this.hosts.ip(conn, !initIsA), transport, port: conn.respPort, protocol: conn.protocol,
        firstTs: conn.deltaFirstTs, lastTs: conn.lastTs,
      });
      this.flows.set(conn.flowKey, f);
    } else {
      // With no packet since the last fold, deltaFirstTs = lastTs: a time the flow already has.
      if (conn.deltaFirstTs < f.firstTs) f.firstTs = conn.deltaFirstTs;
      if (conn.lastTs > f.lastTs) f.lastTs = conn.lastTs;
    }
    return f;
  }

  /** Add the connection's counters since its last fold to its flow's delta `f` (clearing them on the connection). */
  private addConn(f: FlowDelta, conn: Conn): void {
    const initIsA = conn.initiatorIsA === 1;
    if (conn.hourPkts > 0) {
      (conn.hours ??= []).push(conn.hour, conn.hourPkts, conn.hourBytes);
      conn.hourPkts = 0;
      conn.hourBytes = 0;
    }
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
      } else f.hours.set(hs[i]!, [hs[i + 1]!, hs[i + 2]!]);
    }
    if (conn.hours !== null) conn.hours.length = 0;

    const d = conn.session?.dissector ?? null;
    if (conn.pastFns !== null) {
      for (const p of conn.pastFns) for (const [k, c] of p.fns) addFnCounter(f.functions, k, d, c, p.day);
      conn.pastFns = null;
    }
    if (conn.fns !== null) {
      for (const [k, c] of conn.fns) addFnCounter(f.functions, k, d, c, conn.day);
      conn.fns = null;
      conn.lastFn = null;
      conn.lastFnKey = -1;
    }
    if (conn.ranges !== null) {
      for (const [k, c] of conn.ranges) f.ranges.set(k, (f.ranges.get(k) ?? 0) + c.n);
      conn.ranges = null;
      conn.lastRange = null;
      conn.lastRangeKey = -1;
    }
    if (conn.objects !== null) {
      for (const o of conn.objects.values()) {
        const spaceName = objectSpaceName(d, o.space);
        const key = renderObjectKey(d, o);
        const k = `${spaceName}\u0000${key}`;
        const e = f.objects.get(k);
        if (e) {
          e.reads += o.reads;
          e.writes += o.writes;
        } else f.objects.set(k, { spaceName, key, reads: o.reads, writes: o.writes });
      }
      conn.objects = null;
      conn.lastObject = null;
      conn.lastObjectKey = -1;
    }
    if (conn.attributes !== null) {
      for (const [k, v] of conn.attributes) {
        const s = f.attributes.get(k);
        if (s) s.add(v);
        else f.attributes.set(k, new Set([v]));
      }
      conn.attributes = null;
    }
    if (conn.events !== null) {
      for (const e of conn.events) {
        const ev = describeEvent(d, e, f);
        if (e.cls === EVENT_FIRST) addFirst(this.firsts, ev);
        else this.events.push(ev);
      }
      conn.events = null;
    }
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
