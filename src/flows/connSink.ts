/**
 * The PduSink the dissectors report into: it counts each PDU on the live connection being decoded
 * (functions, ranges, objects, attributes, with one-entry caches because polling repeats itself),
 * turns violations into located diagnostics, and keeps identities and Forward Open originators.
 * The hot path: nothing is allocated for an ordinary PDU (a new counter only for a new code).
 * Engineering events (eventDelta.ts) cost one comparison per request: each function counter knows,
 * from its creation, whether its requests are events; an event records the current frame and the
 * first object or range the request names.
 */
import type { DiagnosticCode } from '../diagnosticCatalogue.js';
import type { Diagnostic } from '../diagnostics.js';
import type { CaptureRecord } from '../ingest/record.js';
import { KIND_REQUEST, KIND_RESPONSE, WHO_SENDER, type Dissector, type PduSink } from '../dissectors/types.js';
import { fnKey, rangeKey, type Conn, type FnCounter, type ObjectCounter } from './conn.js';
import type { ConnHosts } from './connHosts.js';
import type { InitiatorDecider } from './decideInitiator.js';
import { EVENT_FIRST, EVENT_NONE, MAX_CONN_EVENTS, eventClassOf, type ConnEvent } from './eventDelta.js';
import type { IdentityDelta } from './flowDelta.js';

/** Where the current packet is, for diagnostics. Set by the caller before each onPacket(). */
export interface PacketLocation {
  file: string;
  frame: number;
  fileOffset: number;
}

/** Bounds of the per-connection maps (a hostile peer must not grow them without end). */
const MAX_RANGES = 4096;
const MAX_OBJECTS = 4096;
const MAX_ATTRIBUTES = 64;
const MAX_IDENTITY_VALUE = 512;
/** Event classes remembered per dissector (a stream of ever new codes must not grow the cache without end). */
const MAX_EVENT_CLASSES = 4096;

export class ConnSink implements PduSink {
  /** Location of the packet being processed (set by the caller; read for diagnostics). */
  loc: PacketLocation = { file: '', frame: 0, fileOffset: 0 };
  /** Current connection and direction while a dissector runs. */
  cur: Conn | null = null;
  curFromA = true;
  /** The record being processed (null while closing connections) and capture time. */
  curRec: CaptureRecord | null = null;
  now = 0;
  /** violation() calls so far (PduSink.violationCount: the sessions then report here directly). */
  violationCount = 0;
  /** The identities since the last take, in first-seen order, and found by host id, protocol, key and value. */
  private identities: IdentityDelta[] = [];
  private identityIndex = new Map<number | string, Map<string, Map<string, Map<string, IdentityDelta>>>>();
  /** Where the PDU being decoded is (for violation offsets). */
  private pduBuf: Buffer | null = null;
  private pduOff = 0;
  /** The event the current PDU made, to attach the object or range it names (null for most PDUs). */
  private pduEvent: ConnEvent | null = null;
  private readonly hosts: ConnHosts;
  private readonly initiators: InitiatorDecider;
  private readonly onDiagnostic: (d: Diagnostic) => void;

  constructor(hosts: ConnHosts, initiators: InitiatorDecider, onDiagnostic: (d: Diagnostic) => void) {
    this.hosts = hosts;
    this.initiators = initiators;
    this.onDiagnostic = onDiagnostic;
  }

  fn(space: number, code: number, kind: number, variant = 0): void {
    const conn = this.cur;
    this.pduEvent = null;
    if (conn === null) return;
    if (conn.protoClientIsA < 0 && (kind === KIND_REQUEST || kind === KIND_RESPONSE)) {
      conn.protoClientIsA = (kind === KIND_REQUEST) === this.curFromA ? 1 : 0;
    }
    const k = space === 0 && variant === 0 ? code : fnKey(space, code, variant);
    let f: FnCounter | undefined;
    if (k === conn.lastFnKey && conn.lastFn !== null) f = conn.lastFn;
    else if (k === conn.fnCounters.prevKey && conn.fnCounters.prevValue !== null) {
      f = conn.fnCounters.prevValue;
      this.shiftFn(conn, k, f);
    } else {
      const fns = conn.fnCounters;
      f = fns.get(k);
      if (f === undefined) {
        const ev = this.eventClass(conn, k, space, code, variant);
        f = fns.takeSpare() ?? undefined;
        if (f === undefined) f = { space, code, variant, requests: 0, responses: 0, exceptions: 0, ev, event: null };
        else {
          f.space = space;
          f.code = code;
          f.variant = variant;
          f.requests = 0;
          f.responses = 0;
          f.exceptions = 0;
          f.ev = ev;
          f.event = null;
        }
        fns.set(k, f);
      }
      this.shiftFn(conn, k, f);
    }
    if (kind === KIND_REQUEST) {
      f.requests++;
      if (f.ev) this.noteEvent(conn, f);
    } else if (kind === KIND_RESPONSE) f.responses++;
    else f.exceptions++;
  }

  /**
   * `f` (key k) becomes the connection's last function counter, the one before it the counters'
   * previous one (lastFn is always one of the current counters: whoever clears them clears it).
   */
  private shiftFn(conn: Conn, k: number, f: FnCounter): void {
    if (conn.lastFn !== null) {
      const fns = conn.fnCounters;
      fns.prevKey = conn.lastFnKey;
      fns.prevValue = conn.lastFn;
    }
    conn.lastFnKey = k;
    conn.lastFn = f;
  }

  /** Whether requests of this code are events (once per new counter: the dissector names the code's class). */
  private eventClass(conn: Conn, k: number, space: number, code: number, variant: number): number {
    const d = conn.session?.dissector;
    if (!d) return EVENT_NONE;
    // describe() is a pure function of the code: asked once per dissector and key, not per connection.
    let m = this.evDissector === d ? this.evClasses : this.eventClasses.get(d);
    if (m === undefined) this.eventClasses.set(d, (m = new Map()));
    this.evDissector = d;
    this.evClasses = m;
    let ev = m.get(k);
    if (ev === undefined) {
      ev = eventClassOf(d.describe(space, code, variant).opClass);
      if (m.size >= MAX_EVENT_CLASSES) m.clear();
      m.set(k, ev);
    }
    return ev;
  }
  /** Event classes by dissector and function key (fn's k), and the last dissector's. */
  private readonly eventClasses = new Map<Dissector, Map<number, number>>();
  private evDissector: Dissector | null = null;
  private evClasses: Map<number, number> | undefined = undefined;

  /**
   * A request that is an engineering event: a new event at the current frame, or (the first of its
   * code already recorded on this connection since the last fold; or past MAX_CONN_EVENTS) counted on
   * the one before. PDUs decoded while connections close (no current frame) make no event.
   */
  private noteEvent(conn: Conn, f: FnCounter): void {
    if (this.curRec === null) return;
    const prev = f.event ?? null;
    let evs = conn.events;
    if (prev !== null && (f.ev === EVENT_FIRST || (evs !== null && evs.length >= MAX_CONN_EVENTS))) {
      prev.count++;
      return;
    }
    if (evs === null) evs = conn.events = [];
    const e: ConnEvent = {
      space: f.space, code: f.code, variant: f.variant, cls: f.ev!, ts: this.now, file: this.loc.file, frame: this.loc.frame,
      count: 1, objectSpace: -1, objectKey: '', moreObjects: 0, rangeKey: -1,
    };
    evs.push(e);
    f.event = e;
    this.pduEvent = e;
  }

  range(table: number, start: number, count: number, write: boolean): void {
    const conn = this.cur;
    if (conn === null) return;
    const k = rangeKey(table, write, start, count);
    if (this.pduEvent !== null && this.pduEvent.rangeKey < 0) this.pduEvent.rangeKey = k;
    if (k === conn.lastRangeKey && conn.lastRange !== null) {
      conn.lastRange.n++;
      return;
    }
    const r = conn.rangeCounters;
    let c = r.get(k);
    if (c === undefined) {
      if (r.size >= MAX_RANGES) return;
      c = r.takeSpare() ?? { n: 0 };
      c.n = 0;
      r.set(k, c);
    }
    c.n++;
    conn.lastRangeKey = k;
    conn.lastRange = c;
  }

  object(space: number, key: number | string, write: boolean): void {
    const conn = this.cur;
    if (conn === null) return;
    const ev = this.pduEvent;
    if (ev !== null) {
      if (ev.objectSpace < 0) {
        ev.objectSpace = space;
        ev.objectKey = key;
      } else ev.moreObjects++;
    }
    const k = typeof key === 'number' ? space * 2 ** 48 + key : `${space}\u0000${key}`;
    let c: ObjectCounter | undefined;
    if (k === conn.lastObjectKey && conn.lastObject !== null) c = conn.lastObject;
    else {
      const o = conn.objectCounters;
      c = o.get(k);
      if (c === undefined) {
        if (o.size >= MAX_OBJECTS) return;
        c = o.takeSpare() ?? undefined;
        if (c === undefined) c = { space, key, reads: 0, writes: 0 };
        else {
          c.space = space;
          c.key = key;
          c.reads = 0;
          c.writes = 0;
        }
        o.set(k, c);
      }
      conn.lastObjectKey = k;
      conn.lastObject = c;
    }
    if (write) c.writes++;
    else c.reads++;
  }

  identity(who: number, key: string, value: string): void {
    const conn = this.cur;
    if (conn === null) return;
    const side = (who === WHO_SENDER) === this.curFromA;
    const protocol = conn.session?.protocol ?? 'unknown';
    const v = value.length > MAX_IDENTITY_VALUE ? value.slice(0, MAX_IDENTITY_VALUE) : value;
    // Nested maps on the parts, the address as a number (IPv4) rather than its text: no key string
    // built per report, and nothing interned until a fact is new (most reports repeat a known one).
    const byValue = this.identityValues(this.hosts.addrKey(conn, side), protocol, key);
    const e = byValue.get(v);
    if (e !== undefined) {
      e.count++;
      e.lastTs = this.now;
    } else {
      const ip = this.hosts.ip(conn, side);
      const d: IdentityDelta = { ip, protocol, key, value: v, count: 1, firstTs: this.now, lastTs: this.now, file: this.loc.file, frame: this.loc.frame };
      byValue.set(v, d);
      this.identities.push(d);
    }
  }

  /** The identities of one address (ConnHosts.addrKey), protocol and key, by value (made on first use). */
  private identityValues(host: number | string, protocol: string, key: string): Map<string, IdentityDelta> {
    let byProtocol = this.identityIndex.get(host);
    if (byProtocol === undefined) this.identityIndex.set(host, (byProtocol = new Map()));
    let byKey = byProtocol.get(protocol);
    if (byKey === undefined) byProtocol.set(protocol, (byKey = new Map()));
    let byValue = byKey.get(key);
    if (byValue === undefined) byKey.set(key, (byValue = new Map()));
    return byValue;
  }

  attribute(key: string, value: string): void {
    const conn = this.cur;
    if (conn === null) return;
    const a = conn.attributeValues;
    if (a.size < MAX_ATTRIBUTES) a.set(key, value);
  }

  originator(who: number): void {
    const conn = this.cur;
    if (conn === null) return;
    this.initiators.noteOriginator(conn, (who === WHO_SENDER) === this.curFromA);
  }

  violation(code: DiagnosticCode, message: string, at: number): void {
    this.violationCount++;
    const conn = this.cur;
    if (conn !== null) conn.violationsDelta++;
    // The faulty byte's offset in the file when the PDU lies in the current frame's bytes; a PDU
    // rebuilt from several segments points at the record of the frame that completed it.
    const rec = this.curRec;
    const exact = rec !== null && this.pduBuf === rec.data && this.pduOff >= rec.offset && this.pduOff + at <= rec.offset + rec.caplen;
    this.onDiagnostic({
      code,
      severity: 'warning',
      message: exact ? message : `${message} (byte ${at} of a PDU reassembled from several segments)`,
      file: this.loc.file,
      frame: this.loc.frame,
      offset: exact ? rec.dataFileOffset + (this.pduOff - rec.offset) + at : this.loc.fileOffset,
      protocol: conn?.session?.protocol,
    });
  }

  pduStart(buf: Buffer, off: number): void {
    this.pduBuf = buf;
    this.pduOff = off;
    this.pduEvent = null;
  }

  /** A diagnostic about the current frame itself (not a PDU). */
  frameDiagnostic(code: DiagnosticCode, severity: 'error' | 'warning' | 'note', message: string): void {
    this.onDiagnostic({ code, severity, message, file: this.loc.file, frame: this.loc.frame, offset: this.loc.fileOffset });
  }

  /** The identities seen since the previous call. */
  takeIdentities(): IdentityDelta[] {
    const out = this.identities;
    this.identities = [];
    this.identityIndex = new Map();
    return out;
  }
}
