/**
 * Flow aggregation: decoded packets -> live connections -> flow deltas (the hot path: packet intake).
 *
 * A flow is (initiator IP, responder IP, transport, responder port, protocol) (docs/INTERFACES.md
 * "What a flow is"). Packets update a live Conn (found through the allocation-free ConnTable); the
 * application payload goes to the connection's AppSession, whose dissector reports into the ConnSink.
 * A Conn is folded into the flow deltas (foldConn.ts) when it is evicted (sweep.ts) and at every
 * takeBatch() (once per capture file), so the store receives one delta per file and nothing is
 * counted twice. Connections are not closed at the end of a run: exportState() gives what the store
 * keeps (liveState.ts) and importState() carries it into the next run, so where a run stops does not
 * change the result; idle timeouts (capture time) close them in a later run as they would in one. The initiator is decided at a connection's first fold (decideInitiator.ts); failed
 * attempts of scanners and towards flooded hosts are summarised (probeDetector.ts); ARP, non-IP
 * frames and host MACs are kept apart (l2Tracker.ts).
 *
 * Memory is bounded: connections idle past a timeout (capture time) are folded and dropped, and when
 * the table passes maxConnections the least recently active are folded first.
 */
import type { CaptureRecord } from '../ingest/record.js';
import {
  DECODE,
  DecodedPacket,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
  type DecodeResult,
} from '../decode/packet.js';
import type { Diagnostic } from '../diagnostics.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN } from '../dissectors/types.js';
import { TUNNEL_NAMES } from '../decode/tunnels.js';
import type { Registry } from '../dissectors/registry.js';
import { SessionPool, type AppSession } from '../dissectors/session.js';
import { CapturePointTally } from './capturePointTally.js';
import { Conn } from './conn.js';
import { ConnHosts } from './connHosts.js';
import { ConnSink, type PacketLocation } from './connSink.js';
import { ConnTable } from './connTable.js';
import { InitiatorDecider } from './decideInitiator.js';
import { FlowFolder } from './foldConn.js';
import { DEFAULT_PART_ENTRIES, DEFAULT_PART_FOLDS, PartHoldback, type FlowPart } from './flowPart.js';
import { FrameTally, countFrame } from './frameTally.js';
import type { FlowBatch, FrameCounters } from './flowDelta.js';
import type { HostTable } from './hostTable.js';
import { L2Tracker } from './l2Tracker.js';
import { emptyLiveState, fromLiveConn, liveConns, LiveConnPacker, resumedSession, toLiveConn, type LiveState } from './liveState.js';
import { ProbeDetector } from './probeDetector.js';
import { SWEEP_EVERY_PACKETS, SWEEP_EVERY_SECONDS, idleLimit, sweepConns } from './sweep.js';

export type { PacketLocation } from './connSink.js';
export type { FlowBatch, FlowDelta, FrameCounters, IdentityDelta, L2Delta, MacDelta, ProtocolStatsDelta, ScanDelta } from './flowDelta.js';
export type { EventDelta, EventKind } from './eventDelta.js';
export type { FlowPart } from './flowPart.js';
export { evenSplit, ipv4PairShard, ipv4PairShardIn, pairShard, pairShardIn, weightedSplit, type ShardSplit } from './pairShard.js';
export { transportName } from './transportName.js';
export { FrameTally, countFrame } from './frameTally.js';

export interface FlowAggregatorOptions {
  registry: Registry;
  /**
   * Live connections kept in memory (default 100,000, far above a plant's concurrent connections);
   * past it, connections that carried no payload (floods, scans, half-open handshakes) are folded
   * first, then the least recently active.
   */
  maxConnections?: number;
  /**
   * Failed attempts (no payload, no answer) made by one host (a scan), or received by one host (a
   * flood), before the following ones are summarised instead of kept as flows (default 256).
   */
  scanThreshold?: number;
  /**
   * Connection folds after which partDue() says the pending deltas are large, whatever they hold
   * (tests and tuning). Default: DEFAULT_PART_FOLDS folds that also gave the pending deltas
   * DEFAULT_PART_ENTRIES flow, hour and function-day entries (flowPart.ts), so a capture of many short
   * connections on the same few flows is not written again and again in small parts.
   */
  partFolds?: number;
  onDiagnostic?: (d: Diagnostic) => void;
}

export const DEFAULT_MAX_CONNECTIONS = 100_000;
/** IPv4/IPv6 fragments whose first fragment's ports are remembered. */
const MAX_FRAGMENTS = 65536;
/**
 * A run whose first packet is this many capture seconds before the newest packet of the state it
 * carries on from (an older capture ingested after newer ones) closes the carried connections first:
 * they cannot continue into the past (see importState).
 */
export const OUT_OF_ORDER_TOLERANCE = 1;

export class FlowAggregator {
  private readonly table = new ConnTable(1 << 14);
  private conns: Array<Conn | undefined> = [];
  /** Evicted connections, reset() for the next ones (bounded by the table's high-water mark). */
  private readonly freeConns: Conn[] = [];
  /** Sessions of evicted connections, for the next ones. */
  private readonly sessions = new SessionPool();
  private readonly registry: Registry;
  private readonly maxConnections: number;
  private readonly connHosts: ConnHosts;
  private readonly sink: ConnSink;
  /** Frames per tunnel the frames arrived through (the capture points of the batch). */
  private readonly capturePoints = new CapturePointTally();
  private readonly initiators: InitiatorDecider;
  private readonly l2: L2Tracker;
  private readonly probes: ProbeDetector;
  private readonly folder: FlowFolder;
  private counters = new FrameTally();
  /** Connection folds since the last takeBatch() or takePart(), and the bound partDue() checks. */
  private foldsPending = 0;
  private readonly partFolds: number;
  private readonly partEntries: number;
  /** What parts of this file took and its batch hands over (protocol counters, events). */
  private readonly held = new PartHoldback();
  /** IPv4/IPv6 fragment id -> ports of the first fragment, to attribute later fragments. */
  private fragments = new Map<string, number>();
  private packetsSinceSweep = 0;
  private lastSweepTs = -Infinity;
  private now = 0;
  /** Newest packet time of an imported state, until this run's first packet is checked against it. */
  private importedNow = -Infinity;

  constructor(opts: FlowAggregatorOptions) {
    this.registry = opts.registry;
    this.maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.partFolds = opts.partFolds ?? DEFAULT_PART_FOLDS;
    this.partEntries = opts.partFolds === undefined ? DEFAULT_PART_ENTRIES : 0;
    this.connHosts = new ConnHosts(this.table);
    this.initiators = new InitiatorDecider(this.registry, this.connHosts);
    this.sink = new ConnSink(this.connHosts, this.initiators, opts.onDiagnostic ?? (() => {}));
    this.l2 = new L2Tracker(this.connHosts);
    this.probes = new ProbeDetector(this.connHosts, opts.scanThreshold ?? 256);
    this.folder = new FlowFolder(this.connHosts, this.initiators, this.probes, this.l2);
  }

  /** Location of the packet being processed (set by the caller before each onPacket()). */
  get loc(): PacketLocation {
    return this.sink.loc;
  }
  set loc(l: PacketLocation) {
    this.sink.loc = l;
  }

  /** The hosts interned so far (those of flows). */
  get hosts(): HostTable {
    return this.connHosts.hosts;
  }

  get liveConnections(): number {
    return this.table.size;
  }

  /** Account one frame (the hot path). `res` is decodePacket()'s result for `pkt`. */
  onPacket(rec: CaptureRecord, pkt: DecodedPacket, res: DecodeResult): void {
    const ts = rec.tsSec + rec.tsNsec / 1e9;
    if (this.importedNow !== -Infinity) this.checkImported(ts);
    this.now = ts;
    const sink = this.sink;
    sink.now = ts;
    sink.curRec = rec;
    countFrame(this.counters, rec, ts, res, pkt.ipVersion !== 0);

    // The frames that make no connection (and rare cases) are handled out of line: onPacket stays
    // small, and V8 keeps its inlining budget for the per-packet calls below.
    if (res !== DECODE.IP || pkt.ipVersion === 0 || pkt.tunnelKind !== 0 || pkt.skipped !== 0) {
      if (!this.notConnection(rec, pkt, res, ts)) return;
    }

    let sport = pkt.srcPort;
    let dport = pkt.dstPort;
    const proto = pkt.proto;
    if (pkt.fragment !== 0 && (proto === IPPROTO_TCP || proto === IPPROTO_UDP)) {
      const p = this.fragmentPorts(pkt, proto);
      sport = Math.floor(p / 65536);
      dport = p % 65536;
    }

    const table = this.table;
    const slot = table.lookup(pkt.ipVersion, pkt.src, sport, pkt.dst, dport, proto);
    let conn: Conn;
    if (slot < 0) {
      conn = this.newConn(pkt, sport, dport, proto, ts);
    } else {
      conn = this.conns[slot]!;
      // A packet after the idle timeout starts a new connection. Decided here, per packet, so the
      // count does not depend on when a sweep happens to run (nor on how the work is sharded).
      if (ts - conn.lastTs > idleLimit(conn)) {
        this.evict(conn);
        conn = this.newConn(pkt, sport, dport, proto, ts);
      }
      // A new TCP connection reusing the 5-tuple of a closed (or finished) one. A retransmitted SYN
      // of a connection that has carried nothing yet is not a new connection.
      if (
        proto === IPPROTO_TCP && (pkt.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN && (conn.closeFlags !== 0 || conn.payloadSeen) &&
        this.initiators.synCanOpen(pkt.tcpFlags, pkt.payloadLen, sport, dport)
      ) {
        this.evict(conn);
        conn = this.newConn(pkt, sport, dport, proto, ts);
      }
    }
    const fromA = table.fromA;
    conn.count(fromA, rec.origlen, ts);

    if (proto === IPPROTO_TCP) {
      const f = pkt.tcpFlags;
      if ((f & TCP_RST) === 0) {
        if (fromA) conn.answeredA = true;
        else conn.answeredB = true;
      }
      if ((f & TCP_SYN) !== 0 && this.initiators.synCanOpen(f, pkt.payloadLen, sport, dport)) {
        if ((f & TCP_ACK) === 0) {
          conn.syn = fromA ? 1 : 0;
        } else if (conn.syn < 0) {
          conn.syn = fromA ? 3 : 2;
        }
        if (fromA) conn.isnA = pkt.tcpSeq;
        else conn.isnB = pkt.tcpSeq;
      }
      if ((f & TCP_FIN) !== 0) conn.closeFlags |= fromA ? 1 : 2;
      if ((f & TCP_RST) !== 0) conn.closeFlags |= 4;
      // Payload bytes the snap length cut off (the header says the segment carried more); a later IP
      // fragment carries no TCP header, so no sequence number to skip them by.
      const cut = pkt.fragment === 2 ? 0 : pkt.payloadWireLen - pkt.payloadLen;
      if (pkt.payloadLen > 0 || cut > 0 || (conn.session !== null && (f & (TCP_FIN | TCP_RST)) !== 0)) {
        if (pkt.payloadLen > 0 || cut > 0) conn.payloadSeen = true;
        const s = conn.session ?? this.openSession(conn, 'tcp');
        sink.cur = conn;
        sink.curFromA = fromA;
        s.tcpSegment(fromA, this.dirOf(conn, fromA), pkt.tcpSeq, f, rec.data, pkt.payloadOff, pkt.payloadLen, sink, cut > 0 ? cut : 0, rec.caplen);
        sink.cur = null;
      }
    } else if (proto === IPPROTO_UDP) {
      if (fromA) conn.answeredA = true;
      else conn.answeredB = true;
      const cut = pkt.fragment === 0 ? pkt.payloadWireLen - pkt.payloadLen : 0;
      if ((pkt.payloadLen > 0 || cut > 0) && pkt.fragment !== 2) {
        conn.payloadSeen = true;
        const s = conn.session ?? this.openSession(conn, 'udp');
        sink.cur = conn;
        sink.curFromA = fromA;
        s.udpDatagram(fromA, this.dirOf(conn, fromA), rec.data, pkt.payloadOff, pkt.payloadLen, sink, cut > 0 ? cut : 0, rec.caplen);
        sink.cur = null;
      }
    } else {
      if (fromA) conn.answeredA = true;
      else conn.answeredB = true;
      conn.payloadSeen = true;
      if ((proto === IPPROTO_ICMP && pkt.icmpType === 8) || (proto === IPPROTO_ICMPV6 && pkt.icmpType === 128)) {
        if (conn.protoClientIsA < 0) conn.protoClientIsA = fromA ? 1 : 0;
      }
    }

    // The initiator is decided from a connection's first DECIDE_AFTER_PACKETS packets at the latest,
    // whatever the files: a fold that comes earlier waits for it (takeBatch, waitsForFold).
    if (conn.initiatorIsA < 0 && conn.pktsA + conn.pktsB >= DECIDE_AFTER_PACKETS) this.initiators.decide(conn);
    L2Tracker.notePacketMac(conn, rec, pkt, fromA);
    if (++this.packetsSinceSweep >= SWEEP_EVERY_PACKETS) this.maybeSweep();
  }

  /**
   * A frame that is not a plain IP packet: ARP, other L2, an undecoded link type, a tunnelled or
   * encapsulated frame, or one cut or broken in its headers. Returns whether it still goes on as an
   * IP packet (a tunnelled one, or an IP packet whose L4 header is cut or broken).
   */
  private notConnection(rec: CaptureRecord, pkt: DecodedPacket, res: DecodeResult, ts: number): boolean {
    if (res === DECODE.ARP) {
      if (pkt.arpSenderMacOff >= 0 && pkt.arpSenderIp !== 0) this.l2.noteArp(rec, pkt, ts);
      return false;
    }
    if (res === DECODE.OTHER_L2) {
      if (pkt.etherType === 0 && pkt.payloadLen >= 2 && rec.data[pkt.payloadOff] === 0x42 && rec.data[pkt.payloadOff + 1] === 0x42) this.counters.stp++;
      if (pkt.tunnelKind !== 0 || pkt.skipped !== 0) this.noteEncapsulation(rec, pkt);
      this.l2.noteL2(rec, pkt, ts);
      return false;
    }
    if (res === DECODE.UNSUPPORTED_LINKTYPE) {
      this.sink.frameDiagnostic('DECODE_UNSUPPORTED_LINKTYPE', 'warning', `link type ${rec.linktype} is not decoded: frame counted, not read`);
      return false;
    }
    if (pkt.tunnelKind !== 0 || pkt.skipped !== 0) this.noteEncapsulation(rec, pkt);
    if (pkt.ipVersion === 0) {
      if (res === DECODE.TRUNCATED || res === DECODE.MALFORMED) {
        this.sink.frameDiagnostic(res === DECODE.TRUNCATED ? 'FRAME_TRUNCATED' : 'FRAME_MALFORMED', 'warning', 'frame ends or breaks inside its link-layer header');
      }
      return false;
    }
    return true;
  }

  /**
   * The ports of an IP fragment (TCP or UDP), as sport * 65536 + dport: a first fragment's own, which
   * are remembered for the later ones (which carry no L4 header) by IP version, addresses, protocol
   * and IP id; a later fragment whose first one was not seen keeps its own (0, 0).
   */
  private fragmentPorts(pkt: DecodedPacket, proto: number): number {
    const own = pkt.srcPort * 65536 + pkt.dstPort;
    const fk = `${pkt.ipVersion}|${pkt.src.join('.')}|${pkt.dst.join('.')}|${proto}|${pkt.ipId}`;
    if (pkt.fragment === 1) {
      if (this.fragments.size > MAX_FRAGMENTS) this.fragments.clear();
      this.fragments.set(fk, own);
      return own;
    }
    const p = this.fragments.get(fk);
    return p !== undefined ? p : own;
  }

  /**
   * A tunnelled frame: its tunnel is the capture point (counted per tunnel: encapsulation, outer
   * endpoints, id), not a flow of the plant; an encapsulation whose inner protocol is not decoded is a
   * DECODE_UNKNOWN_ENCAPSULATION warning (counted per frame).
   */
  private noteEncapsulation(rec: CaptureRecord, pkt: DecodedPacket): void {
    if (pkt.skipped !== 0) {
      this.sink.frameDiagnostic('DECODE_UNKNOWN_ENCAPSULATION', 'warning', `${TUNNEL_NAMES[pkt.tunnelKind] ?? 'encapsulation'} carries protocol 0x${pkt.innerType.toString(16)}, not decoded`);
    }
    if (pkt.tunnelKind !== 0) this.capturePoints.note(rec, pkt, this.now);
  }

  private newConn(pkt: DecodedPacket, sport: number, dport: number, proto: number, ts: number): Conn {
    const table = this.table;
    // Make room first: the new connection (no payload yet) must not be a candidate.
    if (table.size >= this.maxConnections) this.sweep(true);
    const slot = table.insert(pkt.ipVersion, pkt.src, sport, pkt.dst, dport, proto);
    const fromA = table.fromA;
    const a = fromA ? sport : dport;
    const b = fromA ? dport : sport;
    let conn = this.freeConns.pop();
    if (conn === undefined) conn = new Conn(slot, pkt.ipVersion, a, b, proto, fromA, ts);
    else conn.reset(slot, pkt.ipVersion, a, b, proto, fromA, ts);
    this.conns[slot] = conn;
    return conn;
  }

  private openSession(conn: Conn, transport: 'tcp' | 'udp'): AppSession {
    const s = this.sessions.open(this.registry, transport, conn.portA, conn.portB, conn.isnA, conn.isnB);
    conn.session = s;
    return s;
  }

  /**
   * Direction hint for a dissector: from the handshake when seen, else from the originator reported
   * by another connection (implicit protocols), else from the port that chose the dissector.
   */
  private dirOf(conn: Conn, fromA: boolean): number {
    let clientIsA = -1;
    if (conn.syn === 1 || conn.syn === 2) clientIsA = 1;
    else if (conn.syn === 0 || conn.syn === 3) clientIsA = 0;
    else {
      const s = conn.session;
      if (s !== null && s.dissector !== null && s.dissector.implicit === true) {
        this.initiators.refreshOriginator(conn);
        clientIsA = conn.originatorIsA;
      }
      if (clientIsA < 0 && s !== null && s.serverPort >= 0 && conn.portA !== conn.portB) {
        clientIsA = s.serverPort === conn.portB ? 1 : 0;
      }
    }
    if (clientIsA < 0) return DIR_UNKNOWN;
    return (clientIsA === 1) === fromA ? DIR_TO_SERVER : DIR_TO_CLIENT;
  }

  private evict(conn: Conn): void {
    if (conn.session !== null) {
      this.sink.cur = conn;
      conn.session.close(this.sink);
      this.sink.cur = null;
    }
    this.folder.fold(conn);
    this.foldsPending++;
    this.table.remove(conn.slot);
    this.conns[conn.slot] = undefined;
    if (conn.session !== null) this.sessions.release(conn.session);
    conn.session = null;
    this.freeConns.push(conn);
  }

  /** A total order of live connections that does not depend on their slots: start, end, ports, addresses. */
  private readonly connOrder = (a: Conn, b: Conn): number => {
    const d = a.firstTs - b.firstTs || a.lastTs - b.lastTs || a.portA - b.portA || a.portB - b.portB || a.proto - b.proto;
    if (d !== 0) return d;
    const t = this.table;
    const wa = this.orderA;
    const wb = this.orderB;
    for (const side of [true, false]) {
      t.addrOf(a.slot, side, wa);
      t.addrOf(b.slot, side, wb);
      for (let i = 0; i < 4; i++) if (wa[i] !== wb[i]) return wa[i]! - wb[i]!;
    }
    return 0;
  };
  private readonly orderA = new Uint32Array(4);
  private readonly orderB = new Uint32Array(4);

  private maybeSweep(): void {
    this.packetsSinceSweep = 0;
    if (this.table.size > this.maxConnections * 0.9 || this.now - this.lastSweepTs >= SWEEP_EVERY_SECONDS) this.sweep(false);
  }

  /** Fold and drop idle connections; under pressure also others, down to half the limit (sweep.ts). */
  private sweep(pressure: boolean): void {
    this.lastSweepTs = this.now;
    const table = this.table;
    sweepConns(this.conns, this.now, pressure, Math.floor(this.maxConnections * 0.5), () => table.size, (c) => this.evict(c), this.connOrder);
  }

  /**
   * Fold every live connection and hand over all deltas since the previous call (one capture file).
   * With `final` (the end of a run's input) the connections' sessions are also closed: a partial PDU
   * or out-of-order data still buffered becomes unparsed / gap bytes (a later run does not get those
   * bytes: see SessionCheckpoint), and each session starts again from its checkpoint. The connections
   * stay live either way (exportState()): a run's end is not a connection's end.
   * `now` (a shard of a parallel ingest: the time of the unit's last frame, whichever shard had it)
   * is the capture time the idle connections are judged at, as one aggregator over every frame would.
   */
  takeBatch(final = false, now?: number): FlowBatch {
    if (now !== undefined) {
      this.now = now;
      this.sink.now = now;
    }
    this.sink.curRec = null; // closing connections: no current frame to locate violations in
    // Connections idle past their timeout are over (their next packet would start a new one): they
    // are dropped now rather than at the next sweep, so the live state carries only live ones.
    const table = this.table;
    sweepConns(this.conns, this.now, false, 0, () => table.size, (c) => this.evict(c), this.connOrder);
    // Connections not counted yet are folded in connection order (their first fold may pass the
    // scan threshold: which attempts are summarised must not depend on table slots).
    // A connection whose first fold would decide too early (waitsForFold) waits, unless the input
    // ends here: its deltas stay on it (and in the live state); its sessions' coverage is folded.
    const first: Conn[] = [];
    for (const c of this.conns) {
      if (c === undefined || c.counted) continue;
      if (final || !waitsForFold(c)) first.push(c);
      else this.folder.foldStats(c);
    }
    if (first.length > 1) first.sort(this.connOrder);
    for (const c of first) this.folder.fold(c);
    for (let i = 0; i < this.conns.length; i++) {
      const c = this.conns[i];
      if (c === undefined || !c.counted) continue;
      const s = c.session;
      if (final && s !== null) {
        const cp = s.checkpoint();
        this.sink.cur = c;
        s.close(this.sink);
        this.sink.cur = null;
        this.folder.fold(c);
        c.session = resumedSession(this.registry, c, c.proto === IPPROTO_TCP ? 'tcp' : 'udp', cp, s);
      } else this.folder.fold(c);
    }
    const { flows, protocols, events } = this.held.finish(this.folder.take());
    this.foldsPending = 0;
    const { macs, arp, l2 } = this.l2.take();
    const batch: FlowBatch = {
      flows,
      identities: this.sink.takeIdentities(),
      macs,
      arp,
      l2,
      scans: this.probes.take(),
      protocols,
      capturePoints: this.capturePoints.take(),
      events,
      counters: { ...this.counters },
      liveConnections: this.table.size,
    };
    this.counters = new FrameTally();
    return batch;
  }

  /**
   * Whether the flow deltas pending since the last takeBatch() or takePart() are large (partFolds
   * connection folds, and partEntries entries): then the caller may hand them over in a part
   * (takePart) before the file ends.
   */
  partDue(): boolean {
    return this.foldsPending >= this.partFolds && this.folder.entries >= this.partEntries;
  }

  /**
   * A part of the current file's deltas (flowPart.ts): the flow deltas of the connections folded so
   * far (evicted ones, and live ones with a long backlog), without first folds of live connections,
   * so nothing is decided earlier than at the file's end. The file's takeBatch() hands over the rest;
   * the parts and the batch add up to what takeBatch() alone would have given.
   */
  takePart(): FlowPart {
    this.foldsPending = 0;
    // Live connections with a day or more since their last fold (a long-lived poll, class-1 I/O) are
    // folded as at a file's end, or their hours and days would grow with the file's time span. Only
    // those whose fold decides nothing: counted already, or carrying payload (never a failed attempt,
    // so not a scan/flood count) with the initiator decided; and no events pending (MAX_CONN_EVENTS
    // counts per fold).
    for (const c of this.conns) {
      if (c !== undefined && c.events === null && (c.counted || (c.payloadSeen && c.initiatorIsA >= 0)) && longBacklog(c)) this.folder.fold(c);
    }
    return this.held.part(this.folder.take());
  }

  /**
   * What a later run needs to carry on (liveState.ts): the live connections, the Forward Open
   * originators and the scan/flood counters. Call right after takeBatch() (every connection folded but
   * the attempts whose first fold waits, whose few deltas go with them).
   * Not carried: fragments awaiting their first fragment's ports, and which tunnels were reported.
   */
  exportState(): LiveState {
    const state = emptyLiveState();
    const a = new Uint32Array(4);
    const b = new Uint32Array(4);
    // Packed as they go (liveState.ts): never all of them as objects at once.
    const packer = new LiveConnPacker();
    for (const c of this.conns) {
      if (c === undefined) continue;
      this.table.addrOf(c.slot, true, a);
      this.table.addrOf(c.slot, false, b);
      packer.add(toLiveConn(c, a, b));
      if (c.lastTs > state.now) state.now = c.lastTs;
    }
    state.conns = packer.finish();
    if (this.importedNow > state.now) state.now = this.importedNow;
    state.originators = this.initiators.exportOriginators();
    state.probes = [this.probes.exportState()];
    return state;
  }

  /**
   * Carry on from an earlier run's exportState() (this shard's part: shardLiveState). Call before the
   * first packet. When the run's first packet is older than the state's newest one (by more than
   * OUT_OF_ORDER_TOLERANCE), the carried connections are closed first (they stay counted) and the
   * older capture starts its own; the scan/flood counters and originators are kept.
   */
  importState(state: LiveState): void {
    const a = new Uint32Array(4);
    const b = new Uint32Array(4);
    let carried = 0;
    for (const lc of liveConns(state)) {
      carried++;
      a.set(lc.addrA);
      b.set(lc.addrB);
      if (this.table.lookup(lc.version, a, lc.portA, b, lc.portB, lc.proto) >= 0) continue;
      const slot = this.table.insert(lc.version, a, lc.portA, b, lc.portB, lc.proto);
      this.conns[slot] = fromLiveConn(slot, lc, this.registry);
    }
    this.initiators.importOriginators(state.originators);
    for (const p of state.probes) this.probes.importState(p);
    if (carried > 0) this.importedNow = state.now;
  }

  private checkImported(ts: number): void {
    const newest = this.importedNow;
    this.importedNow = -Infinity;
    if (ts >= newest - OUT_OF_ORDER_TOLERANCE || this.table.size === 0) return;
    const n = this.table.size;
    this.sink.curRec = null;
    const carried: Conn[] = [];
    for (const c of this.conns) if (c !== undefined) carried.push(c);
    carried.sort(this.connOrder);
    for (const c of carried) this.evict(c);
    this.sink.frameDiagnostic(
      'INGEST_LIVE_STATE_CLOSED',
      'note',
      `this capture starts at ${new Date(ts * 1000).toISOString()}, before the ${n} connections carried from the previous run ` +
        `(last packet ${new Date(newest * 1000).toISOString()}): they were closed first, and connections of this capture start afresh`,
    );
  }
}

/** A connection holding a day or more of hours or per-day function counts since its last fold. */
function longBacklog(c: Conn): boolean {
  return c.pastFns !== null || (c.hours !== null && c.hours.length >= 3 * 24);
}

/** A connection's initiator is decided by its DECIDE_AFTER_PACKETS-th packet at the latest. */
export const DECIDE_AFTER_PACKETS = 32;

/**
 * Whether the first fold of a connection (which decides its initiator and whether it is a failed
 * attempt) must wait, so that neither depends on where the input is cut into files:
 *  - it may still change from a failed attempt (isProbe) to not, or back: no payload yet, not torn
 *    down (RST, or FIN both ways), and not both sides answering past a handshake's few packets (a
 *    half-open attempt whose SYN-ACK and RST fall in two files is one failed attempt);
 *  - or its initiator evidence may still grow: no handshake seen, no request or response yet, a
 *    dissector that may still report one, and fewer than DECIDE_AFTER_PACKETS packets.
 * It waits until that changes, its idle timeout, or the end of the input (takeBatch(final)).
 */
function waitsForFold(c: Conn): boolean {
  if (c.proto !== IPPROTO_TCP && c.proto !== IPPROTO_UDP) return false;
  if (!c.payloadSeen) {
    if ((c.closeFlags & 4) !== 0 || (c.closeFlags & 3) === 3) return false;
    return !(c.answeredA && c.answeredB && c.pktsA + c.pktsB > 4);
  }
  if (c.initiatorIsA >= 0 || c.syn >= 0 || c.protoClientIsA >= 0) return false;
  return c.session !== null && c.session.dissector !== null;
}
