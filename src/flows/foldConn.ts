/**
 * Folding: a live connection's counters since its last fold become additive flow deltas (and the
 * connection's deltas start again from zero), so the store receives each packet and PDU once. Codes
 * and objects get their dissector's names here, once per connection and fold, never per PDU: code
 * and object spaces by Dissector.spaces / objectSpaces, object keys rendered by describeObject.
 *
 * A fold does few lookups: a connection's flow is found through its key cache entry (no lookup by
 * key string), and each flow's slot (FlowSlot) caches what the next fold of the flow nearly always
 * needs (its last hour entry, whether an hour or day is past the latest, each
 * function's last day counts, the order its functions came in, its objects' names). The caches stay
 * in the folder: the deltas handed over by take() are plain FlowDeltas.
 */
import type { Dissector } from '../dissectors/types.js';
import { unknownName } from '../dissectors/types.js';
import { decodeRangeKey, type Conn, type FnCounter, type ObjectCounter } from './conn.js';
import type { ConnHosts } from './connHosts.js';
import type { InitiatorDecider } from './decideInitiator.js';
import {
  emptyFlowDelta,
  entryIndexOf,
  findEntry,
  newProtocolStats,
  type FlowDelta,
  type FlowFunctionDelta,
  type FlowObjectDelta,
  type FnDays,
  type ProtocolStatsDelta,
} from './flowDelta.js';
import { EVENT_FIRST, addFirst, mergeEvents, type ConnEvent, type EventDelta, type EventKind } from './eventDelta.js';
import type { L2Tracker } from './l2Tracker.js';
import type { ProbeDetector } from './probeDetector.js';
import { transportName } from './transportName.js';

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
  const days: FnDays = [day, c.requests, c.responses, c.exceptions];
  return {
    space: c.space, code: c.code, variant: c.variant, requests: c.requests, responses: c.responses, exceptions: c.exceptions,
    spaceName, name: info.name, opClass: info.opClass, days,
  };
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

/** Add attribute value `v` of key `k` to a flow's delta (a value just added again adds nothing). */
function addAttribute(s: FlowSlot, k: string, v: string): void {
  const a = s.attributes.get(k);
  if (a === undefined) {
    const values = new Set([v]);
    s.delta.attributes.set(k, values);
    s.attributes.set(k, { values, last: v });
  } else if (a.last !== v) {
    a.values.add(v);
    a.last = v;
  }
}

/** Flow keys cached for host ids below this (a pair of ids is one number). */
const KEY_CACHE_HOSTS = 1 << 24;
/**
 * Host ids below this make a pair key below 2^30, a small integer (Smi) to V8, which a Map hashes
 * without boxing (a wider pair key is a heap number: those pairs go to a second cache).
 */
const SMI_PAIR_HOSTS = 1 << 15;
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

/**
 * A flow's delta in the current batch with the folder's caches of it. The caches live here, never on
 * the delta: take() hands over the deltas alone, so no output, merge, part or structured clone sees
 * them. Every cached entry is the delta's own entry (the same object as in its map), and only the
 * folder adds to a delta until take(), so a cache can never hold a stale entry.
 */
interface FlowSlot {
  readonly delta: FlowDelta;
  /**
   * The hour of `hourAt` (-1 none) and the index of its entry in the delta's hours: connections are
   * folded in time order, so the next fold of the flow is nearly always the same hour.
   */
  hour: number;
  hourAt: number;
  /** The delta's hours indexed by hour, once they are many (entryIndexOf); null while a scan is cheaper. */
  hourIndex: Map<number, number> | null;
  /**
   * The latest hour in the delta's hours (-1 none): a later hour is new to it without a lookup
   * (most folds of a flow bring a new hour, nearly always the latest).
   */
  maxHour: number;
  /** The delta's functions by the same keys, each with its last day's counts. */
  readonly fns: Map<number, FnSlot>;
  /**
   * The function the last fold began with (FnSlot.next: the one that followed each): connections of
   * a flow poll the same functions in the same order, so a fold mostly finds its functions without
   * a lookup. Only a guess, checked by key.
   */
  firstFn: FnSlot | null;
  /** The delta's object entries by a connection's object key (names resolved once per flow). */
  readonly objects: Map<string | number, ObjectSlot>;
  /** The object the last fold began with (ObjectSlot.next; a guess, as firstFn). */
  firstObject: ObjectSlot | null;
  /** The delta's attribute sets by key, each with the value last added (a repeated value adds nothing). */
  readonly attributes: Map<string, AttributeSlot>;
}

interface AttributeSlot {
  readonly values: Set<string>;
  last: string;
}

interface FnSlot {
  /** the key of fn in the delta's functions */
  readonly k: number;
  readonly fn: FlowFunctionDelta;
  /** The day of `dayAt` and the index of its entry in fn.days. */
  day: number;
  dayAt: number;
  /** fn.days indexed by day, once they are many (entryIndexOf); null while a scan is cheaper. */
  dayIndex: Map<number, number> | null;
  /** The latest day in fn.days (a later day is new to it without a lookup). */
  maxDay: number;
  /** The function that followed this one in the last fold that had both (see FlowSlot.firstFn). */
  next: FnSlot | null;
}

interface ObjectSlot {
  /** the connection key, and the dissector and object it stood for (checked, as in objectNames) */
  readonly k: string | number;
  readonly d: Dissector | null;
  readonly space: number;
  readonly rawKey: number | string;
  /** the delta's objects entry of it */
  readonly entry: FlowObjectDelta;
  /** The object that followed this one in the last fold that had both (see FlowSlot.firstObject). */
  next: ObjectSlot | null;
}

/** A flow key cache entry: the key of (host pair, proto, port, protocol) and its slot in generation `gen`. */
interface KeyEntry {
  readonly proto: number;
  readonly port: number;
  readonly protocol: string;
  readonly key: string;
  /** The flow's slot while `gen` is the folder's generation (take() starts a new one). */
  slot: FlowSlot | null;
  gen: number;
}

export class FlowFolder {
  /**
   * Flow, hour and function-day entries the flow deltas gained since the last take(): what a part
   * bounds (FlowAggregator.partDue), since it is what grows with a file's time span.
   */
  entries = 0;
  private flows = new Map<string, FlowSlot>();
  /** Bumped by take(): a key cache entry's slot is valid while its gen is this. */
  private gen = 0;
  /** Flow keys by host id pair (see keyEntry): Smi pair keys, and the wider ones. */
  private readonly keyCache = new Map<number, KeyEntry[]>();
  private readonly wideKeyCache = new Map<number, KeyEntry[]>();
  private readonly objectNameCache = new Map<Dissector | null, Map<string | number, ObjectNames>>();
  /** transportName by IP protocol number. */
  private readonly transports: string[] = [];
  /** program/control events since the last take(), and first-kind events by firstKey */
  private events: EventDelta[] = [];
  private firsts = new Map<string, EventDelta>();
  private protocols = new Map<string, ProtocolStatsDelta>();
  /** The protocols entry last looked up (null after take()). */
  private lastProtocol = '';
  private lastStats: ProtocolStatsDelta | null = null;
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
    const transport = this.transports[conn.proto] ?? (this.transports[conn.proto] = transportName(conn.proto));
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
   * The slot of the connection's flow in this batch, created at the flow's first fold (the
   * connection's own counters are added straight into its delta: no delta object per connection).
   * A connection's first fold finds it through its key cache entry, without a lookup by key.
   */
  private flowOf(conn: Conn, transport: string): FlowSlot {
    const initIsA = conn.initiatorIsA === 1;
    let s: FlowSlot | undefined;
    let ke: KeyEntry | null = null;
    if (conn.flowKey === '') {
      ke = this.keyEntry(conn, initIsA, transport);
      if (ke === null) conn.flowKey = this.buildKey(conn, initIsA, transport);
      else {
        conn.flowKey = ke.key;
        if (ke.gen === this.gen) s = ke.slot!;
      }
    }
    if (s === undefined) {
      s = this.flows.get(conn.flowKey);
      if (s === undefined) {
        const delta = emptyFlowDelta({
          key: conn.flowKey, src: this.hosts.ip(conn, initIsA), dst: this.hosts.ip(conn, !initIsA), transport, port: conn.respPort, protocol: conn.protocol,
          firstTs: conn.deltaFirstTs, lastTs: conn.lastTs,
        });
        s = { delta, hour: -1, hourAt: -1, hourIndex: null, maxHour: -1, fns: new Map(), firstFn: null, objects: new Map(), firstObject: null, attributes: new Map() };
        this.flows.set(conn.flowKey, s);
        this.entries++;
        if (ke !== null) {
          ke.slot = s;
          ke.gen = this.gen;
        }
        return s;
      }
      if (ke !== null) {
        ke.slot = s;
        ke.gen = this.gen;
      }
    }
    // With no packet since the last fold, deltaFirstTs = lastTs: a time the flow already has.
    const f = s.delta;
    if (conn.deltaFirstTs < f.firstTs) f.firstTs = conn.deltaFirstTs;
    if (conn.lastTs > f.lastTs) f.lastTs = conn.lastTs;
    return s;
  }

  /**
   * The key cache entry of a connection's flow (initiator IP|responder IP|transport|port|protocol):
   * the same key string object for every connection of the flow while the cache holds it (no string
   * built per connection, and its hash is computed once). Null for host ids past the cache.
   */
  private keyEntry(conn: Conn, initIsA: boolean, transport: string): KeyEntry | null {
    const src = this.hosts.hostId(conn, initIsA);
    const dst = this.hosts.hostId(conn, !initIsA);
    let cache: Map<number, KeyEntry[]>;
    let pair: number;
    if (src < SMI_PAIR_HOSTS && dst < SMI_PAIR_HOSTS) {
      cache = this.keyCache;
      pair = src * SMI_PAIR_HOSTS + dst;
    } else if (src < KEY_CACHE_HOSTS && dst < KEY_CACHE_HOSTS) {
      cache = this.wideKeyCache;
      pair = src * KEY_CACHE_HOSTS + dst;
    } else return null;
    let list = cache.get(pair);
    if (list === undefined) {
      if (cache.size >= KEY_CACHE_PAIRS) cache.clear();
      cache.set(pair, (list = []));
    }
    const proto = conn.proto;
    const port = conn.respPort;
    const protocol = conn.protocol;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (e.proto === proto && e.port === port && e.protocol === protocol) return e;
    }
    const e: KeyEntry = { proto, port, protocol, key: this.buildKey(conn, initIsA, transport), slot: null, gen: -1 };
    if (list.length < KEY_CACHE_PER_PAIR) list.push(e);
    return e;
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

  /** Add `pkts` packets and `bytes` bytes of hour `hour` to a flow's delta. */
  private addHour(s: FlowSlot, hour: number, pkts: number, bytes: number): void {
    const hours = s.delta.hours;
    let i = s.hourAt;
    if (s.hour !== hour || i < 0) {
      // A later hour than any is new to the delta without a search.
      if (hour <= s.maxHour) {
        if (s.hourIndex === null) s.hourIndex = entryIndexOf(hours, 3);
        i = findEntry(hours, 3, hour, s.hourIndex);
      } else i = -1;
      s.hour = hour;
      if (i < 0) {
        s.hourAt = hours.length;
        s.hourIndex?.set(hour, hours.length);
        hours.push(hour, pkts, bytes);
        this.entries++;
        if (hour > s.maxHour) s.maxHour = hour;
        return;
      }
      s.hourAt = i;
    }
    hours[i + 1] += pkts;
    hours[i + 2] += bytes;
  }

  /**
   * Add one connection's function counter (of UTC day `day`) to a flow's delta under key `k`; named
   * at its first fold into the delta. Counts the entries it adds (a function or a day: entries).
   */
  private addFn(s: FlowSlot, prev: FnSlot | null, k: number, d: Dissector | null, c: FnCounter, day: number): FnSlot {
    let fs = prev === null ? s.firstFn : prev.next;
    if (fs === null || fs.k !== k) {
      const found = s.fns.get(k);
      if (found === undefined) {
        const fn = describeFunction(d, c, day);
        s.delta.functions.set(k, fn);
        fs = { k, fn, day, dayAt: 0, dayIndex: null, maxDay: day, next: null };
        s.fns.set(k, fs);
        this.entries++;
        if (prev === null) s.firstFn = fs;
        else prev.next = fs;
        return fs;
      }
      fs = found;
      if (prev === null) s.firstFn = fs;
      else prev.next = fs;
    }
    const fn = fs.fn;
    fn.requests += c.requests;
    fn.responses += c.responses;
    fn.exceptions += c.exceptions;
    const days = fn.days;
    let i = fs.dayAt;
    if (fs.day !== day) {
      // A later day than any is new to the function without a search.
      if (day <= fs.maxDay) {
        if (fs.dayIndex === null) fs.dayIndex = entryIndexOf(days, 4);
        i = findEntry(days, 4, day, fs.dayIndex);
      } else i = -1;
      fs.day = day;
      if (i < 0) {
        fs.dayAt = days.length;
        fs.dayIndex?.set(day, days.length);
        days.push(day, c.requests, c.responses, c.exceptions);
        if (day > fs.maxDay) fs.maxDay = day;
        this.entries++;
        return fs;
      }
      fs.dayAt = i;
    }
    days[i + 1] += c.requests;
    days[i + 2] += c.responses;
    days[i + 3] += c.exceptions;
    return fs;
  }

  /** Add the connection's counters since its last fold to its flow's delta (clearing them on the connection). */
  private addConn(s: FlowSlot, conn: Conn): void {
    const f = s.delta;
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
    const hs = conn.hours;
    if (hs !== null) {
      for (let i = 0; i < hs.length; i += 3) this.addHour(s, hs[i]!, hs[i + 1]!, hs[i + 2]!);
      hs.length = 0;
    }
    // The current hour last, as if it ended now (not pushed onto conn.hours: most connections never
    // see a second hour, and their list stays unallocated).
    if (conn.hourPkts > 0) {
      this.addHour(s, conn.hour, conn.hourPkts, conn.hourBytes);
      conn.hourPkts = 0;
      conn.hourBytes = 0;
    }

    const d = conn.session?.dissector ?? null;
    let prev: FnSlot | null = null;
    const past = conn.pastFns;
    if (past !== null) {
      for (let i = 0; i < past.length; i++) {
        const p = past[i]!;
        for (const [k, c] of p.fns) prev = this.addFn(s, prev, k, d, c, p.day);
      }
      conn.pastFns = null;
    }
    const fc = conn.fnCounters;
    if (fc.map !== null) {
      for (const [k, c] of fc.map) prev = this.addFn(s, prev, k, d, c, conn.day);
    } else if (fc.has0) this.addFn(s, prev, fc.k0!, d, fc.v0!, conn.day);
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
      let prevObject: ObjectSlot | null = null;
      for (const [k, o] of oc.map) prevObject = this.addObject(s, prevObject, d, k, o);
    } else if (oc.has0) this.addObject(s, null, d, oc.k0!, oc.v0!);
    if (oc.map !== null || oc.has0) {
      oc.clear();
      conn.lastObject = null;
      conn.lastObjectKey = -1;
    }
    const ac = conn.attributeValues;
    if (ac.map !== null) {
      for (const [k, v] of ac.map) addAttribute(s, k, v);
    } else if (ac.has0) addAttribute(s, ac.k0!, ac.v0!);
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

  /**
   * Add an object counter (connection key `k`) to a flow's delta, its names resolved once per flow
   * and key (objectNames), not at every fold; found by the order guess (firstObject) when it holds.
   */
  private addObject(s: FlowSlot, prev: ObjectSlot | null, d: Dissector | null, k: string | number, o: ObjectCounter): ObjectSlot {
    let os = prev === null ? s.firstObject : prev.next;
    if (os === null || os.k !== k || os.space !== o.space || os.rawKey !== o.key || os.d !== d) {
      os = s.objects.get(k) ?? null;
      if (os === null || os.space !== o.space || os.rawKey !== o.key || os.d !== d) {
        const n = this.objectNames(d, k, o);
        const objects = s.delta.objects;
        let entry = objects.get(n.full);
        const added = entry === undefined;
        if (entry === undefined) objects.set(n.full, (entry = { spaceName: n.spaceName, key: n.key, reads: o.reads, writes: o.writes }));
        os = { k, d, space: o.space, rawKey: o.key, entry, next: null };
        s.objects.set(k, os);
        if (prev === null) s.firstObject = os;
        else prev.next = os;
        if (added) return os;
      } else if (prev === null) s.firstObject = os;
      else prev.next = os;
    }
    os.entry.reads += o.reads;
    os.entry.writes += o.writes;
    return os;
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
    if (protocol === this.lastProtocol && this.lastStats !== null) return this.lastStats;
    let p = this.protocols.get(protocol);
    if (!p) {
      p = newProtocolStats(protocol);
      this.protocols.set(protocol, p);
    }
    this.lastProtocol = protocol;
    this.lastStats = p;
    return p;
  }

  /** The flow, protocol and event deltas since the previous call (events in event order). */
  take(): { flows: FlowDelta[]; protocols: ProtocolStatsDelta[]; events: EventDelta[] } {
    const out = {
      flows: Array.from(this.flows.values(), (s) => s.delta),
      protocols: [...this.protocols.values()],
      events: mergeEvents([this.events, [...this.firsts.values()]]),
    };
    this.flows = new Map();
    this.gen++;
    this.entries = 0;
    this.protocols = new Map();
    this.lastStats = null;
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
