/**
 * One bidirectional transport connection (TCP connection, UDP or ICMP conversation) while it is live.
 * Never allocated per packet; an evicted Conn goes to the aggregator's free list and is reset() for a
 * later connection (plants open hundreds of thousands of short sessions). Counters are deltas since the last fold into the
 * flow aggregates; identity (ports, sides, initiator decision) lasts for the connection's life.
 */
import type { AppSession } from '../dissectors/session.js';
import type { ConnEvent } from './eventDelta.js';

export type InitiatorEvidence = 'syn' | 'syn-ack' | 'protocol' | 'forward-open' | 'port' | 'first-sender';

/** Per-(space, code, variant) PDU counters: requests, responses, exceptions. */
export interface FnCounter {
  space: number;
  code: number;
  variant: number;
  requests: number;
  responses: number;
  exceptions: number;
  /**
   * What its requests are as engineering events (eventDelta.ts: EVENT_NONE, EVENT_EACH, EVENT_FIRST),
   * decided once when the counter is made; absent: none.
   */
  ev?: number;
  /** the event its requests were last recorded as (EVENT_FIRST: the first one, later ones counted on it) */
  event?: ConnEvent | null;
}

export interface ObjectCounter {
  space: number;
  key: number | string;
  reads: number;
  writes: number;
}

/**
 * A connection's counters of one kind (functions, ranges, objects, attributes) since its last fold,
 * keyed: one entry kept inline (a short session mostly polls one function, one range, one unit),
 * a Map once a second key appears. Owned by its Conn and reused with it (Conn.reset): the value
 * object of a cleared inline entry is kept as `spare`, so a connection that follows costs no
 * allocation. Readers that want a Map (the live state, tests) get one through asMap().
 */
export class Counters<K, V> {
  /** Past one key: all entries. */
  map: Map<K, V> | null = null;
  /** The single entry while `map` is null. */
  has0 = false;
  k0: K | undefined = undefined;
  v0: V | undefined = undefined;
  /** A value object of an earlier connection, for the caller to reuse (never referenced elsewhere). */
  spare: V | null = null;
  /**
   * A second-to-last-hit cache for the caller (ConnSink.fn: ENIP, OPC UA and COTP report a carrier and
   * a service per PDU, alternating two keys): key and value, forgotten when the entries are replaced
   * or cleared (setMap, clear).
   */
  prevKey: K | undefined = undefined;
  prevValue: V | null = null;

  get size(): number {
    return this.map !== null ? this.map.size : this.has0 ? 1 : 0;
  }

  get(k: K): V | undefined {
    if (this.map !== null) return this.map.get(k);
    return this.has0 && this.k0 === k ? this.v0 : undefined;
  }

  set(k: K, v: V): void {
    if (this.map !== null) this.map.set(k, v);
    else if (!this.has0 || this.k0 === k) {
      this.has0 = true;
      this.k0 = k;
      this.v0 = v;
    } else {
      // Two set() calls: the Map constructor's iterable path costs several times as much.
      const m = new Map<K, V>();
      m.set(this.k0!, this.v0!);
      m.set(k, v);
      this.map = m;
      this.has0 = false;
      this.k0 = undefined;
      this.v0 = undefined;
    }
  }

  /** The entries as a Map (the inline entry moves into it), or null when there are none. */
  asMap(): Map<K, V> | null {
    if (this.map === null && this.has0) {
      const m = new Map<K, V>();
      m.set(this.k0!, this.v0!);
      this.map = m;
      this.has0 = false;
      this.k0 = undefined;
      this.v0 = undefined;
    }
    return this.map;
  }

  /** Replace the entries by `m` (null: none). */
  setMap(m: Map<K, V> | null): void {
    this.prevKey = undefined;
    this.prevValue = null;
    this.map = m;
    this.has0 = false;
    this.k0 = undefined;
    this.v0 = undefined;
  }

  /** No entries (the inline value object becomes the spare). */
  clear(): void {
    if (this.has0 && this.v0 !== null && typeof this.v0 === 'object') this.spare = this.v0;
    this.setMap(null);
  }

  /** Take the spare value object, if any. */
  takeSpare(): V | null {
    const s = this.spare;
    this.spare = null;
    return s;
  }
}

export class Conn {
  slot = 0;
  /**
   * Host ids of side A and side B (canonical key order, not initiator order); -1 until needed: hosts
   * are interned when a connection is folded into a flow (see FlowAggregator.hostId), so a flood from
   * millions of spoofed sources does not fill the host table.
   */
  hostA = -1;
  hostB = -1;
  /** IP version of both addresses. */
  version = 0;
  portA = 0;
  portB = 0;
  proto = 0;
  /** Set once a SYN (1 = A sent it, 0 = B) or a SYN-ACK (3 = A sent it, 2 = B) was seen; -1 otherwise. */
  syn = -1;
  isnA = -1;
  isnB = -1;
  /** Which side sent the first packet we saw. */
  firstFromA = false;
  /** Side A is the client according to the protocol (first request/response seen): 1 yes, 0 no, -1 unknown. */
  protoClientIsA = -1;
  /**
   * Side A originates this connection by an earlier one (a CIP Forward Open reported through
   * PduSink.originator, for class-1 I/O): 1 yes, 0 no, -1 unknown. Decided when the session opens.
   */
  originatorIsA = -1;
  /** InitiatorDecider.generation when the originator was last looked up (-1 never). */
  originatorGeneration = -1;
  /** Initiator decision, fixed at the first fold: 1 A initiated, 0 B initiated, -1 not yet. */
  initiatorIsA = -1;
  evidence: InitiatorEvidence = 'first-sender';
  /** Protocol id fixed at the first fold (port label until a payload refines it). */
  protocol = '';
  /** Flow key string of the flow this connection folds into (set when it first folds into a flow). */
  flowKey = '';
  /** The responder's port (0 without ports), decided with the initiator. */
  respPort = 0;
  /** TCP: FIN seen from A (1) / B (2), RST (4). */
  closeFlags = 0;
  /** The responder side answered (sent anything other than a RST): not a failed attempt. */
  answeredA = false;
  answeredB = false;
  payloadSeen = false;
  /** This connection has been counted in `connections` already. */
  counted = false;

  firstTs = 0;
  lastTs = 0;
  /** Deltas since the last fold. */
  pktsA = 0;
  pktsB = 0;
  bytesA = 0;
  bytesB = 0;
  deltaFirstTs = 0;
  /** Hour activity: current hour and its counts, plus finished hours as flat [hour, pkts, bytes, ...]. */
  hour = -1;
  hourPkts = 0;
  hourBytes = 0;
  hours: number[] | null = null;
  /** UTC day (floor(unix seconds / 86400)) of the current `fns`; earlier days' counters in pastFns. */
  day = -1;
  pastFns: Array<{ day: number; fns: Map<number, FnCounter> }> | null = null;

  /** MAC addresses (48-bit numbers) seen as source of A's / B's packets, -1 none. */
  macA = -1;
  macB = -1;

  session: AppSession | null = null;
  /** Application-layer counters since the last fold (see Counters; `fns` etc. show them as Maps). */
  readonly fnCounters = new Counters<number, FnCounter>();
  readonly rangeCounters = new Counters<number, { n: number }>();
  readonly objectCounters = new Counters<string | number, ObjectCounter>();
  readonly attributeValues = new Counters<string, string>();
  /** Last-hit caches for the per-PDU sink calls (polling repeats the same function and range). */
  lastFnKey = -1;
  lastFn: FnCounter | null = null;
  lastRangeKey = -1;
  lastRange: { n: number } | null = null;
  lastObjectKey: number | string = -1;
  lastObject: ObjectCounter | null = null;
  /** Engineering events since the last fold (rare: program/control requests, first writes; eventDelta.ts). */
  events: ConnEvent[] | null = null;
  /** Session stats already folded (to fold deltas). */
  foldedPdus = 0;
  foldedMalformed = 0;
  foldedUnparsed = 0;
  foldedGapBytes = 0;
  foldedRetrans = 0;
  violationsDelta = 0;

  constructor(slot: number, version: number, portA: number, portB: number, proto: number, fromA: boolean, ts: number) {
    this.slot = slot;
    this.version = version;
    this.portA = portA;
    this.portB = portB;
    this.proto = proto;
    this.firstFromA = fromA;
    this.firstTs = ts;
    this.lastTs = ts;
    this.deltaFirstTs = ts;
  }

  /**
   * Make this object a new connection (reused from the free list): every field as the constructor
   * leaves it. A field added to Conn is reset here too.
   */
  reset(slot: number, version: number, portA: number, portB: number, proto: number, fromA: boolean, ts: number): void {
    this.slot = slot;
    this.hostA = -1;
    this.hostB = -1;
    this.version = version;
    this.portA = portA;
    this.portB = portB;
    this.proto = proto;
    this.syn = -1;
    this.isnA = -1;
    this.isnB = -1;
    this.firstFromA = fromA;
    this.protoClientIsA = -1;
    this.originatorIsA = -1;
    this.originatorGeneration = -1;
    this.initiatorIsA = -1;
    this.evidence = 'first-sender';
    this.protocol = '';
    this.flowKey = '';
    this.respPort = 0;
    this.closeFlags = 0;
    this.answeredA = false;
    this.answeredB = false;
    this.payloadSeen = false;
    this.counted = false;
    this.firstTs = ts;
    this.lastTs = ts;
    this.pktsA = 0;
    this.pktsB = 0;
    this.bytesA = 0;
    this.bytesB = 0;
    this.deltaFirstTs = ts;
    this.hour = -1;
    this.hourPkts = 0;
    this.hourBytes = 0;
    if (this.hours !== null) this.hours.length = 0;
    this.day = -1;
    this.pastFns = null;
    this.macA = -1;
    this.macB = -1;
    this.session = null;
    this.fnCounters.clear();
    this.rangeCounters.clear();
    this.objectCounters.clear();
    this.attributeValues.clear();
    this.lastFnKey = -1;
    this.lastFn = null;
    this.lastRangeKey = -1;
    this.lastRange = null;
    this.lastObjectKey = -1;
    this.lastObject = null;
    this.events = null;
    this.foldedPdus = 0;
    this.foldedMalformed = 0;
    this.foldedUnparsed = 0;
    this.foldedGapBytes = 0;
    this.foldedRetrans = 0;
    this.violationsDelta = 0;
  }

  /** The function counters of the current day as a Map, or null when there are none (not for the hot path). */
  get fns(): Map<number, FnCounter> | null {
    return this.fnCounters.asMap();
  }
  set fns(m: Map<number, FnCounter> | null) {
    this.fnCounters.setMap(m);
  }
  get ranges(): Map<number, { n: number }> | null {
    return this.rangeCounters.asMap();
  }
  set ranges(m: Map<number, { n: number }> | null) {
    this.rangeCounters.setMap(m);
  }
  get objects(): Map<string | number, ObjectCounter> | null {
    return this.objectCounters.asMap();
  }
  set objects(m: Map<string | number, ObjectCounter> | null) {
    this.objectCounters.setMap(m);
  }
  get attributes(): Map<string, string> | null {
    return this.attributeValues.asMap();
  }
  set attributes(m: Map<string, string> | null) {
    this.attributeValues.setMap(m);
  }

  /** Count one packet (the per-packet hot path). */
  count(fromA: boolean, bytes: number, ts: number): void {
    if (fromA) {
      this.pktsA++;
      this.bytesA += bytes;
    } else {
      this.pktsB++;
      this.bytesB += bytes;
    }
    if (ts > this.lastTs) this.lastTs = ts;
    const h = Math.floor(ts / 3600);
    if (h !== this.hour) {
      if (this.hourPkts > 0) (this.hours ??= []).push(this.hour, this.hourPkts, this.hourBytes);
      this.hour = h;
      this.hourPkts = 0;
      this.hourBytes = 0;
      const d = Math.floor(h / 24);
      if (d !== this.day) this.newDay(d);
    }
    this.hourPkts++;
    this.hourBytes += bytes;
  }

  /** A packet of another UTC day: the function counters so far belong to the day before. */
  private newDay(d: number): void {
    if (this.fnCounters.size > 0) {
      (this.pastFns ??= []).push({ day: this.day, fns: this.fnCounters.asMap()! });
      this.fnCounters.setMap(null);
      this.lastFn = null;
      this.lastFnKey = -1;
    }
    this.day = d;
  }

  /** Packets since the last fold. */
  get deltaPackets(): number {
    return this.pktsA + this.pktsB;
  }
}

/** Key of one Modbus-style range: table, write flag, start, count (all small integers). */
export function rangeKey(table: number, write: boolean, start: number, count: number): number {
  return ((table * 2 + (write ? 1 : 0)) * 65536 + (start & 0xffff)) * 65536 + (count & 0xffff);
}

export function decodeRangeKey(key: number): { table: number; write: boolean; start: number; count: number } {
  const count = key % 65536;
  const rest = (key - count) / 65536;
  const start = rest % 65536;
  const tw = (rest - start) / 65536;
  return { table: Math.floor(tw / 2), write: tw % 2 === 1, start, count };
}

/** Key of a function counter: space (< 64), variant (< 65536), code (< 2^24). */
export function fnKey(space: number, code: number, variant: number): number {
  return (space * 65536 + variant) * 16777216 + code;
}
