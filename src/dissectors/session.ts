/**
 * The per-connection application layer that the flow stage drives: it picks the protocol once,
 * reassembles TCP per direction (src/reassembly), frames PDUs with the dissector's pduLength, calls
 * decode() for each, and keeps coverage counters.
 *
 * Protocol choice (Wireshark's order): the registry's decode-as override or port table for either
 * port (when both ports name a dissector, the lower port wins: it is the well-known one); else a
 * service label for either port (same rule); then, ONCE at the first payload and only when no
 * dissector was chosen by port, the dissectors' heuristics (e.g. OPC UA on TCP/48010), and when that
 * finds nothing and no label was given, the TLS/HTTP/SSH payload tests of services.ts.
 *
 * Direction: the flow stage passes DIR_TO_SERVER / DIR_TO_CLIENT from the TCP handshake. When it
 * passes DIR_UNKNOWN and the protocol was chosen by a port table entry, the side sending from that
 * port is the server (Modbus spec: the port-502 side is the server). Otherwise DIR_UNKNOWN reaches
 * the dissector, which decides by content.
 *
 * Coverage (SessionStats): pdus = decode() calls; malformed = PDUs with at least one violation, plus
 * framing failures (bytes that cannot start a PDU) and dissector exceptions; bytesUnparsed = stream
 * bytes never framed (resyncing, partial PDUs at a gap or close, oversize PDUs, a stream stopped after
 * a dissector exception). Retransmissions are counted once (see tcpReassembler.ts). Connections whose
 * protocol has no dissector (a service label or 'unknown') are not reassembled: their stats stay 0.
 *
 * A dissector that throws (it must not) is caught, reported once as DISSECTOR_EXCEPTION (counted
 * malformed), and the whole connection stops being parsed (its state may be corrupt).
 *
 * Allocation: a session (with its two reassemblers and its sink wrapper, the session itself being the
 * reassemblers' framer) is made for a connection's first payload, and reused through SessionPool for
 * later connections once its connection ends; so are dissector states (StatePool, for dissectors with
 * resetState); nothing per segment or PDU on the normal path. A sink that counts its own violations
 * (PduSink.violationCount: the flow stage's) is handed to the dissectors directly, without the wrapper.
 */
import type { DiagnosticCode } from '../diagnosticCatalogue.js';
import type { Dissector, PduSink } from './types.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN } from './types.js';
import type { Registry, Transport } from './registry.js';
import { serviceForPayload } from './services.js';
import { TcpReassembler } from '../reassembly/tcpReassembler.js';
import type { PduFramer, ReassemblerCheckpoint, ReassemblerOptions } from '../reassembly/tcpReassembler.js';

export interface SessionStats {
  pdus: number;
  malformed: number;
  bytesUnparsed: number;
  gaps: number;
  gapBytes: number;
  retransmittedBytes: number;
  outOfOrder: number;
}

/** Violation code of a dissector exception. */
export const DISSECTOR_EXCEPTION = 'DISSECTOR_EXCEPTION';
/** Violation code when bytes cannot start a PDU and the dissector gave no more precise violation. */
export const FRAMING_INVALID = 'FRAMING_INVALID';

/**
 * Forwards to a sink that does not count its violations (PduSink.violationCount) and counts them (to
 * count malformed PDUs); also used to forward violations only, when diagnosing a framing failure.
 */
class CountingSink implements PduSink {
  target: PduSink | null = null;
  violationCount = 0;
  /** When true only violations are forwarded (diagnosing a framing failure). */
  violationsOnly = false;

  fn(space: number, code: number, kind: number, variant?: number): void {
    if (!this.violationsOnly) this.target!.fn(space, code, kind, variant);
  }
  range(table: number, start: number, count: number, write: boolean): void {
    if (!this.violationsOnly) this.target!.range(table, start, count, write);
  }
  object(space: number, key: number | string, write: boolean): void {
    if (!this.violationsOnly) this.target!.object(space, key, write);
  }
  identity(who: number, key: string, value: string): void {
    if (!this.violationsOnly) this.target!.identity(who, key, value);
  }
  attribute(key: string, value: string): void {
    if (!this.violationsOnly) this.target!.attribute(key, value);
  }
  originator(who: number): void {
    if (!this.violationsOnly) this.target!.originator(who);
  }
  violation(code: DiagnosticCode, message: string, at: number): void {
    this.violationCount++;
    this.target!.violation(code, message, at);
  }
  pduStart(buf: Buffer, off: number): void {
    this.target!.pduStart?.(buf, off);
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * What a session carries into a later run (AppSession.checkpoint / resume): the protocol choice and the
 * stream positions, as plain data. NOT carried: the dissector's own state (createState(): pending
 * S7/ENIP requests, OPC UA chunks, DNP3 fragments) and the reassemblers' buffered bytes; a resumed
 * session starts them afresh, so a PDU or a request/response pair that straddles the run boundary is
 * parsed as at the start of a capture taken mid-connection (resync at the next segment start).
 */
export interface SessionCheckpoint {
  protocol: string;
  /** id of the chosen dissector, or null */
  dissector: string | null;
  serverPort: number;
  refined: boolean;
  carriedKnown: boolean;
  dead: boolean;
  dirA: number;
  dirB: number;
  ra: ReassemblerCheckpoint | null;
  rb: ReassemblerCheckpoint | null;
}

export class AppSession implements PduFramer {
  /** protocol id: a dissector id, a service label, or 'unknown' (see the file comment). */
  protocol: string;
  dissector: Dissector | null;
  /** the port whose table entry chose the dissector/label (tells the server side), or -1 */
  serverPort: number;
  private readonly _stats: SessionStats = {
    pdus: 0,
    malformed: 0,
    bytesUnparsed: 0,
    gaps: 0,
    gapBytes: 0,
    retransmittedBytes: 0,
    outOfOrder: 0,
  };

  private registry: Registry;
  private transport: Transport;
  private portA: number;
  private portB: number;
  private isnA: number;
  private isnB: number;
  private state: unknown = null;
  /**
   * States of ended connections to reuse (Dissector.resetState): the SessionPool's, shared by its
   * sessions; a session made alone keeps its own (made when it is first reset).
   */
  states: StatePool | null = null;
  private refined = false;
  private carriedKnown = false;
  /** A dissector threw: the connection is no longer parsed. */
  private dead = false;
  /** The TCP reassemblers (kept by a pooled session for its next connection) and whether this connection uses them. */
  private ra: TcpReassembler | null = null;
  private rb: TcpReassembler | null = null;
  private tcp = false;
  private readonly sink = new CountingSink();
  /**
   * What decode() reports into: the caller's sink itself when it counts its violations (the flow
   * stage's ConnSink: one call per report, and the dissectors see one sink class), else `sink`.
   */
  private out: PduSink = this.sink;
  /** Direction of the segment being processed (for the framer callbacks). */
  private curDir: number = DIR_UNKNOWN;
  /** Bytes not parsed outside the reassemblers (after a dissector exception). */
  private extraUnparsed = 0;
  /** Last direction seen from each side (for PDUs delivered at close). */
  private dirA: number = DIR_UNKNOWN;
  private dirB: number = DIR_UNKNOWN;
  readonly reassemblerOptions: Partial<ReassemblerOptions> | undefined;
  /** Snap-length losses: cut datagrams, the longest cut frame, and what takeSnapLoss() already handed out. */
  private readonly snap = { udpSegments: 0, udpBytes: 0, caplen: 0, takenSegments: 0, takenBytes: 0 };

  /**
   * @param isnA, isnB SYN sequence numbers of side A / B when seen (-1 or undefined otherwise).
   * @param reassembly optional limits for the TCP reassemblers (DEFAULT_REASSEMBLER_OPTIONS otherwise).
   */
  constructor(
    registry: Registry,
    transport: Transport,
    portA: number,
    portB: number,
    isnA?: number,
    isnB?: number,
    reassembly?: Partial<ReassemblerOptions>,
  ) {
    this.reassemblerOptions = reassembly;
    this.registry = registry;
    this.transport = transport;
    this.portA = portA;
    this.portB = portB;
    this.isnA = isnA ?? -1;
    this.isnB = isnB ?? -1;
    this.dissector = null;
    this.protocol = 'unknown';
    this.serverPort = -1;
    this.choose();
  }

  /**
   * Make this session a new connection's (SessionPool): every field as the constructor leaves it,
   * the reassemblers kept (reset when the connection first needs them).
   */
  reset(registry: Registry, transport: Transport, portA: number, portB: number, isnA: number, isnB: number): void {
    this.registry = registry;
    this.transport = transport;
    this.portA = portA;
    this.portB = portB;
    this.isnA = isnA;
    this.isnB = isnB;
    const st = this._stats;
    st.pdus = 0;
    st.malformed = 0;
    st.bytesUnparsed = 0;
    st.gaps = 0;
    st.gapBytes = 0;
    st.retransmittedBytes = 0;
    st.outOfOrder = 0;
    this.releaseState();
    this.refined = false;
    this.carriedKnown = false;
    this.dead = false;
    this.tcp = false;
    const k = this.sink;
    k.target = null;
    k.violationCount = 0;
    k.violationsOnly = false;
    this.out = k;
    this.curDir = DIR_UNKNOWN;
    this.extraUnparsed = 0;
    this.dirA = DIR_UNKNOWN;
    this.dirB = DIR_UNKNOWN;
    const sn = this.snap;
    sn.udpSegments = 0;
    sn.udpBytes = 0;
    sn.caplen = 0;
    sn.takenSegments = 0;
    sn.takenBytes = 0;
    this.choose();
  }

  /** The protocol from the ports (see the file comment). */
  private choose(): void {
    const { registry, transport, portA, portB } = this;
    const da = registry.byPort(transport, portA);
    const db = portB === portA ? undefined : registry.byPort(transport, portB);
    const useB = db !== undefined && (da === undefined || portB < portA);
    const d = useB ? db : da;
    if (d) {
      this.dissector = d;
      this.protocol = d.id;
      this.serverPort = useB ? portB : portA;
      return;
    }
    this.dissector = null;
    const la = registry.serviceForPort(transport, portA);
    const lb = portB === portA ? undefined : registry.serviceForPort(transport, portB);
    const labelB = lb !== undefined && (la === undefined || portB < portA);
    const label = labelB ? lb : la;
    this.protocol = label ?? 'unknown';
    this.serverPort = label === undefined ? -1 : labelB ? portB : portA;
  }

  /**
   * one TCP segment from side A (fromA) or B; dir = DIR_TO_SERVER | DIR_TO_CLIENT | DIR_UNKNOWN.
   * `cut`: payload bytes the capture's snap length cut off after the `len` present ones, `caplen` the
   * captured length of that frame (see TcpReassembler.segment).
   */
  tcpSegment(fromA: boolean, dir: number, seq: number, flags: number, buf: Buffer, off: number, len: number, sink: PduSink, cut = 0, caplen = 0): void {
    if (!this.refined && len > 0) this.refine(buf, off, len);
    if (this.dissector === null) return;
    if (!this.tcp) this.startTcp();
    const cur = this.direction(fromA, dir);
    if (fromA) this.dirA = cur;
    else this.dirB = cur;
    this.curDir = cur;
    this.setSink(sink);
    if (cut > 0 && caplen > this.snap.caplen) this.snap.caplen = caplen;
    (fromA ? this.ra : this.rb)!.segment(seq, flags, buf, off, len, cut);
  }

  /** One datagram; `cut` > 0: the snap length cut it (it is counted, not decoded: its PDU is incomplete). */
  udpDatagram(fromA: boolean, dir: number, buf: Buffer, off: number, len: number, sink: PduSink, cut = 0, caplen = 0): void {
    if (!this.refined && len > 0) this.refine(buf, off, len);
    const d = this.dissector;
    if (d === null) return;
    if (cut > 0) {
      this.snap.udpSegments++;
      this.snap.udpBytes += len + cut;
      if (caplen > this.snap.caplen) this.snap.caplen = caplen;
      return;
    }
    if (this.state === null) this.state = this.newState(d);
    if (this.dead) {
      this._stats.bytesUnparsed += len;
      return;
    }
    this.setSink(sink);
    this.decodePdu(buf, off, len, this.direction(fromA, dir));
  }

  /** end of the connection (or of the run): partial PDUs become unparsed bytes */
  close(sink: PduSink): void {
    if (!this.tcp) return;
    this.setSink(sink);
    this.curDir = this.direction(true, this.dirA);
    this.ra!.close();
    this.curDir = this.direction(false, this.dirB);
    this.rb!.close();
    this.syncStats();
  }

  /** This session as plain data (see SessionCheckpoint). */
  checkpoint(): SessionCheckpoint {
    return {
      protocol: this.protocol,
      dissector: this.dissector?.id ?? null,
      serverPort: this.serverPort,
      refined: this.refined,
      carriedKnown: this.carriedKnown,
      dead: this.dead,
      dirA: this.dirA,
      dirB: this.dirB,
      ra: this.tcp ? this.ra!.checkpoint() : null,
      rb: this.tcp ? this.rb!.checkpoint() : null,
    };
  }

  /**
   * Continue a session of an earlier run from its checkpoint(): same protocol and dissector (when the
   * registry still has it), streams at the same positions; counters start at zero.
   */
  resume(cp: SessionCheckpoint): void {
    const d = cp.dissector === null ? null : (this.registry.byId(cp.dissector) ?? null);
    this.dissector = d;
    this.protocol = cp.protocol;
    this.serverPort = cp.serverPort;
    this.refined = cp.refined;
    this.carriedKnown = cp.carriedKnown;
    this.dead = cp.dead;
    this.dirA = cp.dirA;
    this.dirB = cp.dirB;
    if (d !== null && cp.ra !== null && cp.rb !== null && this.transport === 'tcp') {
      this.startTcp();
      this.ra!.resume(cp.ra);
      this.rb!.resume(cp.rb);
    }
  }

  /** Heuristic refinement, once, at the first payload. */
  private refine(buf: Buffer, off: number, len: number): void {
    this.refined = true;
    if (this.dissector !== null) return;
    for (const h of this.registry.heuristics(this.transport)) {
      let hit = false;
      try {
        hit = h.heuristic!(buf, off, len);
      } catch {
        hit = false; // a heuristic must not throw; one that does simply does not match
      }
      if (hit) {
        this.dissector = h;
        this.protocol = h.id;
        this.serverPort = -1;
        return;
      }
    }
    if (this.protocol === 'unknown') {
      const label = serviceForPayload(buf, off, len);
      if (label !== undefined) this.protocol = label;
    }
  }

  /** The sink of the segment or datagram being processed (see `out`). */
  private setSink(sink: PduSink): void {
    this.sink.target = sink;
    this.out = sink.violationCount !== undefined ? sink : this.sink;
  }

  /** DIR_UNKNOWN becomes a known direction when a port table entry chose the protocol. */
  private direction(fromA: boolean, dir: number): number {
    if (dir !== DIR_UNKNOWN || this.serverPort < 0 || this.portA === this.portB) return dir;
    return (fromA ? this.portA : this.portB) === this.serverPort ? DIR_TO_CLIENT : DIR_TO_SERVER;
  }

  private startTcp(): void {
    this.state = this.newState(this.dissector!);
    this.tcp = true;
    if (this.ra !== null && this.rb !== null) {
      this.ra.reset(this.isnA);
      this.rb.reset(this.isnB);
      return;
    }
    this.ra = new TcpReassembler(this, this.isnA, this.reassemblerOptions);
    this.rb = new TcpReassembler(this, this.isnB, this.reassemblerOptions);
  }

  /** A fresh state of dissector `d`: one of an ended connection, reset, when there is one. */
  private newState(d: Dissector): unknown {
    if (d.resetState !== undefined && this.states !== null) {
      const spare = this.states.take(d);
      if (spare !== undefined) {
        d.resetState(spare);
        return spare;
      }
    }
    return d.createState();
  }

  /** The connection has ended (SessionPool.release, reset): its dissector state goes to `states` for reuse. */
  releaseState(): void {
    const d = this.dissector;
    // Not a state a throwing dissector left (it may be corrupt: see the file comment).
    if (this.state !== null && d !== null && d.resetState !== undefined && !this.dead) (this.states ??= new StatePool()).put(d, this.state);
    this.state = null;
  }

  // The reassemblers' framer (PduFramer) is the session itself: no closures per connection.

  /** PduFramer.pduLength: the dissector's framing (a throwing dissector kills the session). */
  pduLength(buf: Buffer, off: number, avail: number): number {
    if (this.dead) return -1;
    const d = this.dissector!;
    if (!d.pduLength) return avail; // no framing: each in-order chunk is one PDU
    try {
      return d.pduLength(buf, off, avail);
    } catch (e) {
      this.die(e);
      return -1;
    }
  }

  /** PduFramer.onPdu: one PDU of the current direction. */
  onPdu(buf: Buffer, off: number, len: number): void {
    if (this.dead) this.extraUnparsed += len;
    else this.decodePdu(buf, off, len, this.curDir);
  }

  /** PduFramer.resync: a plausible PDU start: pduLength > 0 and, when it ends inside the segment, the next one does not fail. */
  resync(buf: Buffer, off: number, avail: number): boolean {
    if (this.dead) return false;
    const n = this.pduLength(buf, off, avail);
    if (n <= 0) return false;
    if (n >= avail) return true;
    return this.pduLength(buf, off + n, avail - n) >= 0;
  }

  /** PduFramer.onFramingError. */
  onFramingError(buf: Buffer, off: number, avail: number): void {
    if (this.dead) return;
    this._stats.malformed++;
    // Let the dissector say what is wrong (violations only); fall back to a generic code.
    const s = this.sink;
    const before = s.violationCount;
    s.pduStart(buf, off);
    s.violationsOnly = true;
    try {
      this.dissector!.decode(this.state, buf, off, avail, this.curDir, s);
    } catch {
      // diagnosis only: an exception here is not worth more than the generic violation below
    }
    s.violationsOnly = false;
    if (s.violationCount === before) {
      s.violation(FRAMING_INVALID, `${this.protocol}: bytes cannot start a PDU; the stream resyncs`, 0);
    }
  }

  private decodePdu(buf: Buffer, off: number, len: number, dir: number): void {
    const s = this.out;
    const before = s.violationCount;
    this._stats.pdus++;
    s.pduStart?.(buf, off);
    try {
      this.dissector!.decode(this.state, buf, off, len, dir, s);
    } catch (e) {
      this.die(e);
      return;
    }
    if (s.violationCount !== before) this._stats.malformed++;
    if (!this.carriedKnown && this.dissector!.carried) this.learnCarried();
  }

  /** Once the dissector says what the connection carries, the session reports that protocol. */
  private learnCarried(): void {
    const id = this.dissector!.carried!(this.state);
    if (id === undefined) return;
    this.carriedKnown = true;
    if (id !== this.protocol && this.registry.byId(id)) this.protocol = id;
  }

  private die(e: unknown): void {
    if (this.dead) return;
    this.dead = true;
    this._stats.malformed++;
    this.sink.violation(DISSECTOR_EXCEPTION, `${this.protocol}: ${errorMessage(e)}`, 0);
  }

  /**
   * The snap-length losses since the previous call, added into `into` (segments and bytes summed, the
   * longest cut frame kept), for the flow stage's per-protocol statistics.
   */
  takeSnapLoss(into: { snapCutSegments: number; snapLostBytes: number; snapCaplen: number }): void {
    const sn = this.snap;
    const tcp = this.tcp;
    const segments = sn.udpSegments + (tcp ? this.ra!.stats.snapCutSegments + this.rb!.stats.snapCutSegments : 0);
    const bytes = sn.udpBytes + (tcp ? this.ra!.stats.snapLostBytes + this.rb!.stats.snapLostBytes : 0);
    into.snapCutSegments += segments - sn.takenSegments;
    into.snapLostBytes += bytes - sn.takenBytes;
    if (segments > 0 && sn.caplen > into.snapCaplen) into.snapCaplen = sn.caplen;
    sn.takenSegments = segments;
    sn.takenBytes = bytes;
  }

  /** Coverage counters, brought up to date from the reassemblers when read (not per segment). */
  get stats(): SessionStats {
    if (this.tcp) this.syncStats();
    return this._stats;
  }

  private syncStats(): void {
    const a = this.ra!.stats;
    const b = this.rb!.stats;
    const st = this._stats;
    st.bytesUnparsed = a.unparsedBytes + b.unparsedBytes + this.extraUnparsed;
    st.gaps = a.gaps + b.gaps;
    st.gapBytes = a.gapBytes + b.gapBytes;
    st.retransmittedBytes = a.retransmittedBytes + b.retransmittedBytes;
    st.outOfOrder = a.outOfOrder + b.outOfOrder;
  }
}

/**
 * Sessions of ended connections, reset() for later ones (a plant opens hundreds of thousands of short
 * sessions: each would otherwise be garbage with its reassemblers, promoted with the connection).
 * Bounded by the high-water mark of live sessions. Only sessions with the default reassembler options.
 */
export class SessionPool {
  private readonly free: AppSession[] = [];
  /** Dissector states of ended connections, shared by the pool's sessions (whichever dissector each had last). */
  private readonly states = new StatePool();

  open(registry: Registry, transport: Transport, portA: number, portB: number, isnA: number, isnB: number): AppSession {
    const s = this.free.pop();
    if (s === undefined) {
      const n = new AppSession(registry, transport, portA, portB, isnA, isnB);
      n.states = this.states;
      return n;
    }
    s.reset(registry, transport, portA, portB, isnA, isnB);
    return s;
  }

  /** A session no connection refers to any more. */
  release(s: AppSession): void {
    if (s.states === this.states) s.releaseState();
    if (s.reassemblerOptions === undefined) this.free.push(s);
  }

  get size(): number {
    return this.free.length;
  }
}

/**
 * Dissector states of ended connections, by dissector, for later connections of the same dissector
 * (Dissector.resetState). Each state is in one live session or here: bounded by the high-water mark of
 * live sessions of each dissector.
 */
export class StatePool {
  private readonly byDissector = new Map<Dissector, unknown[]>();

  put(d: Dissector, state: unknown): void {
    let list = this.byDissector.get(d);
    if (list === undefined) this.byDissector.set(d, (list = []));
    list.push(state);
  }

  /** A state `d` made for an ended connection (not reset yet), or undefined. */
  take(d: Dissector): unknown {
    const list = this.byDissector.get(d);
    return list === undefined ? undefined : list.pop();
  }
}
