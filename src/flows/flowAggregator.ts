/**
 * Flow aggregation: decoded packets -> live connections -> flow deltas.
 *
 * A flow is (initiator IP, responder IP, transport, responder port, protocol)
 * (../shared/design/INTERFACES.md "What a flow is"). Packets update a live Conn (found through the
 * allocation-free ConnTable); a Conn is folded into the flow deltas when it is evicted and at every
 * takeBatch() (once per capture file), so the store receives one delta per file and nothing is
 * counted twice. The initiator is decided at a connection's first fold, from the strongest evidence
 * seen: the TCP handshake (SYN, else SYN-ACK), the EtherNet/IP Forward Open originator (class-1 I/O),
 * the protocol (the side that sends requests), well-known ports, and last the first sender.
 *
 * Memory is bounded: connections idle past a timeout (capture time) are folded and dropped, and when
 * the table passes maxConnections the least recently active are folded first. Hosts that make many
 * failed attempts (no payload, no answer) are summarised as scans instead of one flow per target, and
 * targets that receive failed attempts from many hosts (a flood from spoofed sources, a sweep by many
 * hosts) as floods instead of one flow per source.
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
import { macToString } from '../decode/format.js';
import type { Diagnostic, DiagnosticCode } from '../diagnostics.js';
import {
  DIR_TO_CLIENT,
  DIR_TO_SERVER,
  DIR_UNKNOWN,
  KIND_REQUEST,
  KIND_RESPONSE,
  WHO_SENDER,
  type PduSink,
} from '../dissectors/types.js';
import type { Registry } from '../dissectors/registry.js';
import { AppSession } from '../dissectors/session.js';
import { Conn, fnKey, rangeKey, type FnCounter, type InitiatorEvidence, type ObjectCounter } from './conn.js';
import { ConnTable } from './connTable.js';
import { DistinctCounter } from './distinctCounter.js';
import { HostTable } from './hostTable.js';

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
  onDiagnostic?: (d: Diagnostic) => void;
}

/** Where the current packet is, for diagnostics. Set by the caller before each onPacket(). */
export interface PacketLocation {
  file: string;
  frame: number;
  fileOffset: number;
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
  /** hour (since epoch) -> [packets, bytes] */
  hours: Map<number, [number, number]>;
  /** by fnKey(space, code, variant) */
  functions: Map<number, FnCounter & { spaceName: string; name: string; opClass: string }>;
  /** rangeKey -> requests */
  ranges: Map<number, number>;
  /** `${spaceName}\u0000${key}` -> counts */
  objects: Map<string, ObjectCounter & { spaceName: string }>;
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
}

export interface FrameCounters {
  frames: number;
  ipPackets: number;
  arpPackets: number;
  otherL2: number;
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
  counters: FrameCounters;
  liveConnections: number;
}

const TRANSPORT_NAMES: Record<number, string> = {
  1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'icmpv6', 89: 'ospf',
  103: 'pim', 112: 'vrrp', 132: 'sctp',
};

/**
 * The shard of an unordered address pair (4 words each, IPv4 in word 3), for aggregating one capture
 * in parallel: every connection between two hosts (an ENIP Forward Open and its class-1 I/O too)
 * falls in one shard. XOR makes it symmetric in source and destination.
 */
export function pairShard(s: Uint32Array | number[], d: Uint32Array | number[], shards: number): number {
  let h = (s[3]! ^ d[3]!) ^ Math.imul(s[2]! ^ d[2]!, 0x27d4eb2d) ^ Math.imul(s[1]! ^ d[1]!, 0x165667b1) ^ (s[0]! ^ d[0]!);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= h >>> 13;
  // Range reduction with integer math: a uint32 % n would be a floating-point modulo in V8.
  return ((h >>> 16) * shards) >>> 16;
}

/** pairShard of two IPv4 addresses (as unsigned 32-bit numbers). */
export function ipv4PairShard(a: number, b: number, shards: number): number {
  let h = a ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= h >>> 13;
  return ((h >>> 16) * shards) >>> 16;
}

export function transportName(proto: number): string {
  return TRANSPORT_NAMES[proto] ?? `ip-${proto}`;
}

function newCounters(): FrameCounters {
  return { frames: 0, ipPackets: 0, arpPackets: 0, otherL2: 0, truncated: 0, malformed: 0, unsupportedLinktype: 0, bytes: 0, firstTs: Infinity, lastTs: -Infinity };
}

/** Idle timeouts in capture seconds. */
const IDLE_CLOSED = 30;
const IDLE_PROBE = 60;
const IDLE_DATAGRAM = 300;
const IDLE_ESTABLISHED = 3600;
const SWEEP_EVERY_PACKETS = 1 << 16;
/** Addresses whose failed attempts are counted at once (scan/flood detection memory bound). */
const PROBE_MAP_LIMIT = 1 << 18;
export const DEFAULT_MAX_CONNECTIONS = 100_000;
const EMPTY_HOURS: readonly number[] = [];

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Seconds of silence after which a connection is over (its next packet starts a new one). */
function idleLimit(c: Conn): number {
  if (c.closeFlags & 4 || (c.closeFlags & 3) === 3) return IDLE_CLOSED;
  if (!c.payloadSeen) return IDLE_PROBE;
  if (c.proto === IPPROTO_TCP) return IDLE_ESTABLISHED;
  return IDLE_DATAGRAM;
}
const SWEEP_EVERY_SECONDS = 60;

export class FlowAggregator implements PduSink {
  readonly hosts = new HostTable();
  private readonly table = new ConnTable(1 << 14);
  private conns: Array<Conn | undefined> = [];
  private readonly registry: Registry;
  private readonly maxConnections: number;
  private readonly scanThreshold: number;
  private readonly onDiagnostic: (d: Diagnostic) => void;

  private flows = new Map<string, FlowDelta>();
  private identities = new Map<string, IdentityDelta>();
  private macs = new Map<string, MacDelta>();
  private arp = new Map<string, MacDelta>();
  private l2 = new Map<number, Map<number, L2Delta>>();
  private scans = new Map<string, ScanDelta & { peerSet: DistinctCounter; portSet: Set<number> }>();
  private protocols = new Map<string, ProtocolStatsDelta>();
  private counters = newCounters();
  /**
   * Failed attempts made by (probesFrom) and received by (probesTo) an address, over the run, for
   * scan and flood detection; bounded (see countProbe). Addresses past the threshold are kept apart.
   */
  private probesFrom = new Map<number | string, number>();
  private probesTo = new Map<number | string, number>();
  private scanners = new Set<number | string>();
  private flooded = new Set<number | string>();
  /** Forward Open originator -> target host pairs ("a:b"), for class-1 I/O initiators. */
  private forwardOpens = new Set<string>();
  /** IPv4/IPv6 fragment id -> ports of the first fragment, to attribute later fragments. */
  private fragments = new Map<string, number>();

  private packetsSinceSweep = 0;
  private lastSweepTs = -Infinity;
  private now = 0;

  /** Location of the packet being processed (set by the caller; read for diagnostics). */
  loc: PacketLocation = { file: '', frame: 0, fileOffset: 0 };
  /** Current connection and direction while a dissector runs (PduSink context). */
  private cur: Conn | null = null;
  private curFromA = true;
  /** The record being processed and where the PDU being decoded is (for violation offsets). */
  private curRec: CaptureRecord | null = null;
  private pduBuf: Buffer | null = null;
  private pduOff = 0;
  private readonly addrTmp = new Uint32Array(4);

  constructor(opts: FlowAggregatorOptions) {
    this.registry = opts.registry;
    this.maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.scanThreshold = opts.scanThreshold ?? 256;
    this.onDiagnostic = opts.onDiagnostic ?? (() => {});
  }

  get liveConnections(): number {
    return this.table.size;
  }

  /** Account one frame (the hot path). `res` is decodePacket()'s result for `pkt`. */
  onPacket(rec: CaptureRecord, pkt: DecodedPacket, res: DecodeResult): void {
    const ts = rec.tsSec + rec.tsNsec / 1e9;
    this.now = ts;
    this.curRec = rec;
    this.countFrame(rec, ts, res, pkt.ipVersion !== 0);

    if (res === DECODE.ARP) {
      if (pkt.arpSenderMacOff >= 0 && pkt.arpSenderIp !== 0) this.noteArp(rec, pkt, ts);
      return;
    }
    if (res === DECODE.OTHER_L2) {
      this.noteL2(rec, pkt, ts);
      return;
    }
    if (res === DECODE.UNSUPPORTED_LINKTYPE) return;
    if (pkt.ipVersion === 0) {
      if (res === DECODE.TRUNCATED || res === DECODE.MALFORMED) {
        this.diag(res === DECODE.TRUNCATED ? 'FRAME_TRUNCATED' : 'FRAME_MALFORMED', 'warning', 'frame ends or breaks inside its link-layer header');
      }
      return;
    }

    let sport = pkt.srcPort;
    let dport = pkt.dstPort;
    const proto = pkt.proto;
    if (pkt.fragment !== 0 && (proto === IPPROTO_TCP || proto === IPPROTO_UDP)) {
      const fk = `${pkt.ipVersion}|${pkt.src.join('.')}|${pkt.dst.join('.')}|${proto}|${pkt.ipId}`;
      if (pkt.fragment === 1) {
        if (this.fragments.size > 65536) this.fragments.clear();
        this.fragments.set(fk, sport * 65536 + dport);
      } else {
        const p = this.fragments.get(fk);
        if (p !== undefined) {
          sport = Math.floor(p / 65536);
          dport = p % 65536;
        }
      }
    }

    const table = this.table;
    let slot = table.lookup(pkt.ipVersion, pkt.src, sport, pkt.dst, dport, proto);
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
        slot = conn.slot;
      }
      // A new TCP connection reusing the 5-tuple of a closed (or finished) one. A retransmitted SYN
      // of a connection that has carried nothing yet is not a new connection.
      if (proto === IPPROTO_TCP && (pkt.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN && (conn.closeFlags !== 0 || conn.payloadSeen)) {
        this.evict(conn);
        conn = this.newConn(pkt, sport, dport, proto, ts);
        slot = conn.slot;
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
      if ((f & TCP_SYN) !== 0) {
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
      if (pkt.payloadLen > 0 || (conn.session !== null && (f & (TCP_FIN | TCP_RST)) !== 0)) {
        if (pkt.payloadLen > 0) conn.payloadSeen = true;
        const s = conn.session ?? this.openSession(conn, 'tcp');
        this.cur = conn;
        this.curFromA = fromA;
        s.tcpSegment(fromA, this.dirOf(conn, fromA), pkt.tcpSeq, f, rec.data, pkt.payloadOff, pkt.payloadLen, this);
        this.cur = null;
      }
    } else if (proto === IPPROTO_UDP) {
      if (fromA) conn.answeredA = true;
      else conn.answeredB = true;
      if (pkt.payloadLen > 0 && pkt.fragment !== 2) {
        conn.payloadSeen = true;
        const s = conn.session ?? this.openSession(conn, 'udp');
        this.cur = conn;
        this.curFromA = fromA;
        s.udpDatagram(fromA, this.dirOf(conn, fromA), rec.data, pkt.payloadOff, pkt.payloadLen, this);
        this.cur = null;
      }
    } else {
      if (fromA) conn.answeredA = true;
      else conn.answeredB = true;
      conn.payloadSeen = true;
      if ((proto === IPPROTO_ICMP && pkt.icmpType === 8) || (proto === IPPROTO_ICMPV6 && pkt.icmpType === 128)) {
        if (conn.protoClientIsA < 0) conn.protoClientIsA = fromA ? 1 : 0;
      }
    }

    if (pkt.srcMacOff >= 0) {
      if (fromA) {
        if (conn.macA < 0) conn.macA = rec.data.readUIntBE(pkt.srcMacOff, 6);
      } else if (conn.macB < 0) conn.macB = rec.data.readUIntBE(pkt.srcMacOff, 6);
    }

    if (++this.packetsSinceSweep >= SWEEP_EVERY_PACKETS) this.maybeSweep();
  }

  /** Frame counters. */
  private countFrame(rec: CaptureRecord, ts: number, res: DecodeResult, ip: boolean): void {
    const c = this.counters;
    c.frames++;
    c.bytes += rec.origlen;
    if (ts < c.firstTs) c.firstTs = ts;
    if (ts > c.lastTs) c.lastTs = ts;
    if (ip) c.ipPackets++;
    if (res === DECODE.ARP) c.arpPackets++;
    else if (res === DECODE.OTHER_L2 || (!ip && res === DECODE.IP)) c.otherL2++;
    else if (res === DECODE.UNSUPPORTED_LINKTYPE) c.unsupportedLinktype++;
    else if (res === DECODE.TRUNCATED) c.truncated++;
    else if (res === DECODE.MALFORMED) c.malformed++;
  }

  private newConn(pkt: DecodedPacket, sport: number, dport: number, proto: number, ts: number): Conn {
    const table = this.table;
    // Make room first: the new connection (no payload yet) must not be a candidate.
    if (table.size >= this.maxConnections) this.sweep(true);
    const slot = table.insert(pkt.ipVersion, pkt.src, sport, pkt.dst, dport, proto);
    const fromA = table.fromA;
    const conn = fromA
      ? new Conn(slot, pkt.ipVersion, sport, dport, proto, true, ts)
      : new Conn(slot, pkt.ipVersion, dport, sport, proto, false, ts);
    this.conns[slot] = conn;
    return conn;
  }

  /** The host id of a connection's side, interned on first use (the connection must be live). */
  private hostId(conn: Conn, sideA: boolean): number {
    let id = sideA ? conn.hostA : conn.hostB;
    if (id < 0) {
      this.table.addrOf(conn.slot, sideA, this.addrTmp);
      id = this.hosts.intern(conn.version, this.addrTmp);
      if (sideA) conn.hostA = id;
      else conn.hostB = id;
    }
    return id;
  }

  /** A number or string standing for a side's address, without interning it (probe counting). */
  private addrKey(conn: Conn, sideA: boolean): number | string {
    const w = this.addrTmp;
    this.table.addrOf(conn.slot, sideA, w);
    // IPv4 as a signed 32-bit number: a small integer in V8 (a uint32 above 2^31 would be boxed).
    return conn.version === 4 ? w[3]! | 0 : `${w[0]}:${w[1]}:${w[2]}:${w[3]}`;
  }

  private openSession(conn: Conn, transport: 'tcp' | 'udp'): AppSession {
    const s = new AppSession(this.registry, transport, conn.portA, conn.portB, conn.isnA, conn.isnB);
    conn.session = s;
    return s;
  }

  /** Direction hint for a dissector: from the handshake when seen, else from the port that chose the dissector. */
  private dirOf(conn: Conn, fromA: boolean): number {
    let clientIsA = -1;
    if (conn.syn === 1 || conn.syn === 2) clientIsA = 1;
    else if (conn.syn === 0 || conn.syn === 3) clientIsA = 0;
    else if (conn.session !== null && conn.session.serverPort >= 0 && conn.portA !== conn.portB) {
      clientIsA = conn.session.serverPort === conn.portB ? 1 : 0;
    }
    if (clientIsA < 0) return DIR_UNKNOWN;
    return (clientIsA === 1) === fromA ? DIR_TO_SERVER : DIR_TO_CLIENT;
  }

  // ---------------------------------------------------------------- PduSink (dissector events)

  fn(space: number, code: number, kind: number, variant = 0): void {
    const conn = this.cur;
    if (conn === null) return;
    if (conn.protoClientIsA < 0 && (kind === KIND_REQUEST || kind === KIND_RESPONSE)) {
      conn.protoClientIsA = (kind === KIND_REQUEST) === this.curFromA ? 1 : 0;
    }
    const k = space === 0 && variant === 0 ? code : fnKey(space, code, variant);
    let f: FnCounter | undefined;
    if (k === conn.lastFnKey && conn.lastFn !== null) f = conn.lastFn;
    else {
      let fns = conn.fns;
      if (fns === null) fns = conn.fns = new Map();
      f = fns.get(k);
      if (f === undefined) {
        f = { space, code, variant, requests: 0, responses: 0, exceptions: 0 };
        fns.set(k, f);
      }
      conn.lastFnKey = k;
      conn.lastFn = f;
    }
    if (kind === KIND_REQUEST) {
      f.requests++;
      // EtherNet/IP Forward Open / Large Forward Open: remember the originator for class-1 I/O.
      if (space === 0 && (code === 0x54 || code === 0x5b) && conn.session?.protocol === 'enip') {
        const a = this.hostId(conn, true);
        const b = this.hostId(conn, false);
        const from = this.curFromA ? a : b;
        const to = this.curFromA ? b : a;
        this.forwardOpens.add(`${from}:${to}`);
      }
    } else if (kind === KIND_RESPONSE) f.responses++;
    else f.exceptions++;
  }

  range(table: number, start: number, count: number, write: boolean): void {
    const conn = this.cur;
    if (conn === null) return;
    const k = rangeKey(table, write, start, count);
    if (k === conn.lastRangeKey && conn.lastRange !== null) {
      conn.lastRange.n++;
      return;
    }
    let r = conn.ranges;
    if (r === null) r = conn.ranges = new Map();
    let c = r.get(k);
    if (c === undefined) {
      if (r.size >= 4096) return;
      c = { n: 0 };
      r.set(k, c);
    }
    c.n++;
    conn.lastRangeKey = k;
    conn.lastRange = c;
  }

  object(space: number, key: number | string, write: boolean): void {
    const conn = this.cur;
    if (conn === null) return;
    const k = typeof key === 'number' ? space * 4294967296 + key : `${space}\u0000${key}`;
    let c: ObjectCounter | undefined;
    if (k === conn.lastObjectKey && conn.lastObject !== null) c = conn.lastObject;
    else {
      let o = conn.objects;
      if (o === null) o = conn.objects = new Map();
      c = o.get(k);
      if (c === undefined) {
        if (o.size >= 4096) return;
        c = { space, key, reads: 0, writes: 0 };
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
    const senderIsA = this.curFromA;
    const host = this.hostId(conn, (who === WHO_SENDER) === senderIsA);
    const ip = this.hosts.ips[host]!;
    const protocol = conn.session?.protocol ?? 'unknown';
    const v = value.length > 512 ? value.slice(0, 512) : value;
    const k = `${ip}\u0000${protocol}\u0000${key}\u0000${v}`;
    const e = this.identities.get(k);
    if (e) {
      e.count++;
      e.lastTs = this.now;
    } else {
      this.identities.set(k, { ip, protocol, key, value: v, count: 1, firstTs: this.now, lastTs: this.now, file: this.loc.file, frame: this.loc.frame });
    }
  }

  attribute(key: string, value: string): void {
    const conn = this.cur;
    if (conn === null) return;
    let a = conn.attributes;
    if (a === null) a = conn.attributes = new Map();
    if (a.size < 64) a.set(key, value);
  }

  violation(code: DiagnosticCode, message: string, at: number): void {
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
  }

  private diag(code: DiagnosticCode, severity: 'error' | 'warning', message: string): void {
    this.onDiagnostic({ code, severity, message, file: this.loc.file, frame: this.loc.frame, offset: this.loc.fileOffset });
  }

  // ---------------------------------------------------------------- non-IP frames

  private noteArp(rec: CaptureRecord, pkt: DecodedPacket, ts: number): void {
    const ipw = pkt.arpSenderIp >>> 0;
    const ip = `${ipw >>> 24}.${(ipw >>> 16) & 255}.${(ipw >>> 8) & 255}.${ipw & 255}`;
    const mac = macToString(rec.data, pkt.arpSenderMacOff);
    const k = `${ip}|${mac}`;
    const e = this.arp.get(k);
    if (e) {
      e.packets++;
      if (ts < e.firstTs) e.firstTs = ts;
      if (ts > e.lastTs) e.lastTs = ts;
    } else this.arp.set(k, { ip, mac, packets: 1, firstTs: ts, lastTs: ts });
  }

  private noteL2(rec: CaptureRecord, pkt: DecodedPacket, ts: number): void {
    if (pkt.srcMacOff < 0) return;
    const mac = rec.data.readUIntBE(pkt.srcMacOff, 6);
    let byType = this.l2.get(pkt.etherType);
    if (!byType) {
      byType = new Map();
      this.l2.set(pkt.etherType, byType);
    }
    const e = byType.get(mac);
    if (e) {
      e.packets++;
      e.bytes += rec.origlen;
      if (ts > e.lastTs) e.lastTs = ts;
    } else if (byType.size < 65536) {
      byType.set(mac, { mac: macToString(rec.data, pkt.srcMacOff), etherType: pkt.etherType, packets: 1, bytes: rec.origlen, firstTs: ts, lastTs: ts });
    }
  }

  // ---------------------------------------------------------------- folding

  /** Decide (once) who initiated a connection, and its protocol and flow key. */
  private decide(conn: Conn): void {
    if (conn.initiatorIsA >= 0) return;
    let aInit = -1;
    let ev: InitiatorEvidence = 'first-sender';
    if (conn.syn === 1 || conn.syn === 0) {
      aInit = conn.syn;
      ev = 'syn';
    } else if (conn.syn === 2 || conn.syn === 3) {
      aInit = conn.syn === 2 ? 1 : 0; // the SYN-ACK sender is the responder
      ev = 'syn-ack';
    }
    const transport = transportName(conn.proto);
    let protocol = conn.session?.protocol;
    if (protocol === undefined || protocol === 'unknown') protocol = this.portLabel(conn, transport) ?? protocol;
    if (aInit < 0 && protocol === 'cip-io') {
      const a = this.hostId(conn, true);
      const b = this.hostId(conn, false);
      if (this.forwardOpens.has(`${a}:${b}`)) aInit = 1;
      else if (this.forwardOpens.has(`${b}:${a}`)) aInit = 0;
      if (aInit >= 0) ev = 'forward-open';
    }
    if (aInit < 0 && conn.protoClientIsA >= 0) {
      aInit = conn.protoClientIsA;
      ev = 'protocol';
    }
    if (aInit < 0) {
      const serverIsB = this.serverSideByPort(conn, transport);
      if (serverIsB >= 0) {
        aInit = serverIsB;
        ev = 'port';
      }
    }
    if (aInit < 0) aInit = conn.firstFromA ? 1 : 0;
    conn.initiatorIsA = aInit;
    conn.evidence = ev;
    if (protocol === undefined) {
      protocol = conn.proto === IPPROTO_TCP || conn.proto === IPPROTO_UDP ? 'unknown' : transport;
    }
    conn.protocol = protocol;
    conn.respPort = conn.proto === IPPROTO_TCP || conn.proto === IPPROTO_UDP ? (aInit === 1 ? conn.portB : conn.portA) : 0;
    // The flow key needs the addresses as text; a failed attempt may end up in a scan or flood
    // summary instead, so its key is built (and its hosts interned) only if it becomes a flow (fold).
  }

  /** Protocol label from the ports alone (dissector port table, then service labels). */
  private portLabel(conn: Conn, transport: string): string | undefined {
    if (transport !== 'tcp' && transport !== 'udp') return undefined;
    const t = transport;
    const lo = Math.min(conn.portA, conn.portB);
    const hi = Math.max(conn.portA, conn.portB);
    return (
      this.registry.byPort(t, lo)?.id ?? this.registry.byPort(t, hi)?.id ??
      this.registry.serviceForPort(t, lo) ?? this.registry.serviceForPort(t, hi)
    );
  }

  /** 1 if B is the server by well-known ports (so A initiated), 0 if A is, -1 if the ports do not tell. */
  private serverSideByPort(conn: Conn, transport: string): number {
    if (transport !== 'tcp' && transport !== 'udp') return -1;
    const a = conn.portA;
    const b = conn.portB;
    if (a === b) return -1;
    if (conn.session !== null && conn.session.serverPort >= 0) return conn.session.serverPort === b ? 1 : 0;
    const t = transport;
    const knownA = this.registry.byPort(t, a) !== undefined || this.registry.serviceForPort(t, a) !== undefined;
    const knownB = this.registry.byPort(t, b) !== undefined || this.registry.serviceForPort(t, b) !== undefined;
    if (knownA !== knownB) return knownB ? 1 : 0;
    if ((a < 1024) !== (b < 1024)) return b < 1024 ? 1 : 0;
    return -1;
  }

  /** A failed attempt: no payload and no answer from the other side (port scans, dead hosts). */
  private isProbe(conn: Conn): boolean {
    if (conn.payloadSeen) return false;
    if (conn.proto !== IPPROTO_TCP && conn.proto !== IPPROTO_UDP) return false;
    const initIsA = conn.initiatorIsA === 1;
    const answered = initIsA ? conn.answeredB : conn.answeredA;
    // A SYN answered by SYN-ACK then torn down at once is still a probe (half-open scan).
    return !answered || (conn.pktsA + conn.pktsB <= 4 && conn.closeFlags !== 0);
  }

  private fold(conn: Conn): void {
    this.decide(conn);
    const deltaPkts = conn.pktsA + conn.pktsB;
    const initIsA = conn.initiatorIsA === 1;
    const transport = transportName(conn.proto);

    this.foldSessionStats(conn);

    if (deltaPkts === 0 && !conn.fns && conn.counted) return;

    if (!conn.counted && this.isProbe(conn)) {
      const initiator = this.addrKey(conn, initIsA);
      if (this.countProbe(this.probesFrom, initiator, this.scanners)) {
        this.foldScan(conn, 'scan', initIsA, transport);
        return;
      }
      const responder = this.addrKey(conn, !initIsA);
      if (this.countProbe(this.probesTo, responder, this.flooded)) {
        this.foldScan(conn, 'flood', !initIsA, transport);
        return;
      }
    }
    if (conn.hourPkts > 0) {
      (conn.hours ??= []).push(conn.hour, conn.hourPkts, conn.hourBytes);
      conn.hourPkts = 0;
      conn.hourBytes = 0;
    }
    if (conn.flowKey === '') {
      const init = this.hostId(conn, initIsA);
      const resp = this.hostId(conn, !initIsA);
      conn.flowKey = `${this.hosts.ips[init]}|${this.hosts.ips[resp]}|${transport}|${conn.respPort}|${conn.protocol}`;
    }

    let f = this.flows.get(conn.flowKey);
    if (f === undefined) {
      const parts = conn.flowKey.split('|');
      f = {
        key: conn.flowKey,
        src: parts[0]!,
        dst: parts[1]!,
        transport: parts[2]!,
        port: Number(parts[3]),
        protocol: conn.protocol,
        evidence: {},
        packetsToResponder: 0,
        packetsToInitiator: 0,
        bytesToResponder: 0,
        bytesToInitiator: 0,
        connections: 0,
        firstTs: conn.deltaFirstTs,
        lastTs: conn.lastTs,
        hours: new Map(),
        functions: new Map(),
        ranges: new Map(),
        objects: new Map(),
        attributes: new Map(),
      };
      this.flows.set(conn.flowKey, f);
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
    if (deltaPkts > 0) {
      if (conn.deltaFirstTs < f.firstTs) f.firstTs = conn.deltaFirstTs;
      if (conn.lastTs > f.lastTs) f.lastTs = conn.lastTs;
    }
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
    if (conn.fns !== null) {
      for (const [k, c] of conn.fns) {
        let e = f.functions.get(k);
        if (e === undefined) {
          const info = d ? d.describe(c.space, c.code, c.variant) : { name: `Unknown (0x${c.code.toString(16)})`, opClass: 'other' };
          const spaceName = d?.spaces[c.space] ?? String(c.space);
          e = { space: c.space, code: c.code, variant: c.variant, requests: 0, responses: 0, exceptions: 0, spaceName, name: info.name, opClass: info.opClass };
          f.functions.set(k, e);
        }
        e.requests += c.requests;
        e.responses += c.responses;
        e.exceptions += c.exceptions;
      }
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
        const spaceName = d?.spaces[o.space] ?? String(o.space);
        const k = `${spaceName}\u0000${o.key}`;
        const e = f.objects.get(k);
        if (e) {
          e.reads += o.reads;
          e.writes += o.writes;
        } else f.objects.set(k, { ...o, spaceName });
      }
      conn.objects = null;
      conn.lastObject = null;
      conn.lastObjectKey = -1;
    }
    if (conn.attributes !== null) {
      for (const [k, v] of conn.attributes) {
        let s = f.attributes.get(k);
        if (!s) f.attributes.set(k, (s = new Set()));
        s.add(v);
      }
      conn.attributes = null;
    }

    this.foldMacs(conn);
    this.resetDeltas(conn);
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
  }

  private protoStats(protocol: string): ProtocolStatsDelta {
    let p = this.protocols.get(protocol);
    if (!p) {
      p = { protocol, connections: 0, pdus: 0, malformed: 0, unparsedBytes: 0, gapBytes: 0, retransmittedBytes: 0 };
      this.protocols.set(protocol, p);
    }
    return p;
  }

  /**
   * Count one failed attempt of `addr`; true when the address is (now) past the threshold. The count
   * map is bounded: past PROBE_MAP_LIMIT addresses it starts over (addresses with few attempts, e.g.
   * the spoofed sources of a flood, are forgotten; the ones past the threshold stay in `over`).
   */
  private countProbe(counts: Map<number | string, number>, addr: number | string, over: Set<number | string>): boolean {
    if (over.has(addr)) return true;
    const n = (counts.get(addr) ?? 0) + 1;
    if (n > this.scanThreshold) {
      over.add(addr);
      counts.delete(addr);
      return true;
    }
    if (counts.size >= PROBE_MAP_LIMIT) counts.clear();
    counts.set(addr, n);
    return false;
  }

  private foldScan(conn: Conn, kind: 'scan' | 'flood', sideA: boolean, transport: string): void {
    const host = this.hosts.ips[this.hostId(conn, sideA)]!;
    const k = `${kind}|${host}|${transport}`;
    let s = this.scans.get(k);
    if (!s) {
      s = { kind, host, transport, attempts: 0, packets: 0, bytes: 0, peers: 0, ports: 0, firstTs: conn.deltaFirstTs, lastTs: conn.lastTs, peerSet: new DistinctCounter(), portSet: new Set() };
      this.scans.set(k, s);
    }
    const initIsA = conn.initiatorIsA === 1;
    s.attempts++;
    conn.counted = true;
    s.packets += conn.pktsA + conn.pktsB;
    s.bytes += conn.bytesA + conn.bytesB;
    if (conn.deltaFirstTs < s.firstTs) s.firstTs = conn.deltaFirstTs;
    if (conn.lastTs > s.lastTs) s.lastTs = conn.lastTs;
    const peer = this.addrKey(conn, !sideA);
    s.peerSet.add(typeof peer === 'number' ? peer : hashString(peer));
    if (s.portSet.size < 65536) s.portSet.add(initIsA ? conn.portB : conn.portA);
    conn.hourPkts = 0;
    conn.hourBytes = 0;
    if (conn.hours !== null) conn.hours.length = 0;
    this.resetDeltas(conn);
  }

  private foldMacs(conn: Conn): void {
    const ts = conn.lastTs;
    if (conn.macA >= 0 && conn.pktsA > 0) this.noteMac(this.hostId(conn, true), conn.macA, conn.pktsA, conn.deltaFirstTs, ts);
    if (conn.macB >= 0 && conn.pktsB > 0) this.noteMac(this.hostId(conn, false), conn.macB, conn.pktsB, conn.deltaFirstTs, ts);
  }

  private noteMac(host: number, mac: number, packets: number, first: number, last: number): void {
    const ip = this.hosts.ips[host]!;
    const macStr = mac.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
    const k = `${ip}|${macStr}`;
    const e = this.macs.get(k);
    if (e) {
      e.packets += packets;
      if (first < e.firstTs) e.firstTs = first;
      if (last > e.lastTs) e.lastTs = last;
    } else this.macs.set(k, { ip, mac: macStr, packets, firstTs: first, lastTs: last });
  }

  private resetDeltas(conn: Conn): void {
    conn.pktsA = 0;
    conn.pktsB = 0;
    conn.bytesA = 0;
    conn.bytesB = 0;
    conn.deltaFirstTs = conn.lastTs;
  }

  private evict(conn: Conn): void {
    if (conn.session !== null) {
      this.cur = conn;
      conn.session.close(this);
      this.cur = null;
    }
    this.fold(conn);
    this.table.remove(conn.slot);
    this.conns[conn.slot] = undefined;
  }

  private maybeSweep(): void {
    this.packetsSinceSweep = 0;
    if (this.table.size > this.maxConnections * 0.9 || this.now - this.lastSweepTs >= SWEEP_EVERY_SECONDS) this.sweep(false);
  }

  /**
   * Fold and drop idle connections. Under memory pressure (the table past maxConnections), also the
   * connections that carried no payload (a flood's or a scan's half-open attempts), and if that is not
   * enough, the least recently active, down to half the limit.
   */
  private sweep(pressure: boolean): void {
    this.lastSweepTs = this.now;
    const now = this.now;
    const target = Math.floor(this.maxConnections * 0.5);
    for (let i = 0; i < this.conns.length; i++) {
      const c = this.conns[i];
      if (c !== undefined && now - c.lastTs > idleLimit(c)) this.evict(c);
    }
    if (!pressure || this.table.size <= target) return;
    for (let i = 0; i < this.conns.length && this.table.size > target; i++) {
      const c = this.conns[i];
      if (c !== undefined && !c.payloadSeen) this.evict(c);
    }
    if (this.table.size <= target) return;
    const live: Conn[] = [];
    for (const c of this.conns) if (c !== undefined) live.push(c);
    live.sort((a, b) => a.lastTs - b.lastTs);
    for (let i = 0; i < live.length && this.table.size > target; i++) this.evict(live[i]!);
  }

  /**
   * Fold every live connection and hand over all deltas since the previous call (one capture file).
   * With `final`, connections are also closed (partial PDUs become unparsed bytes) and dropped.
   */
  takeBatch(final = false): FlowBatch {
    this.curRec = null; // closing connections: no current frame to locate violations in
    for (let i = 0; i < this.conns.length; i++) {
      const c = this.conns[i];
      if (c === undefined) continue;
      if (final) this.evict(c);
      else this.fold(c);
    }
    const l2: L2Delta[] = [];
    for (const m of this.l2.values()) for (const e of m.values()) l2.push(e);
    const batch: FlowBatch = {
      flows: [...this.flows.values()],
      identities: [...this.identities.values()],
      macs: [...this.macs.values()],
      arp: [...this.arp.values()],
      l2,
      scans: [...this.scans.values()].map((s) => ({
        kind: s.kind, host: s.host, transport: s.transport, attempts: s.attempts, packets: s.packets, bytes: s.bytes,
        peers: s.peerSet.count, ports: s.portSet.size, firstTs: s.firstTs, lastTs: s.lastTs,
      })),
      protocols: [...this.protocols.values()],
      counters: this.counters,
      liveConnections: this.table.size,
    };
    this.flows = new Map();
    this.identities = new Map();
    this.macs = new Map();
    this.arp = new Map();
    this.l2 = new Map();
    this.scans = new Map();
    this.protocols = new Map();
    this.counters = newCounters();
    return batch;
  }
}
