/**
 * Test helpers: the TCP/UDP segments of a capture as tshark sees them (the oracle), and a small
 * emulation of the flow stage that drives one AppSession per connection the way src/flows will:
 * created at the first payload-carrying packet, with the ISNs of the SYNs seen before it; side A is
 * the SYN sender (or the first sender when no SYN was seen); DIR_TO_SERVER/DIR_TO_CLIENT from the
 * handshake, DIR_UNKNOWN without one.
 */
import { tshark } from '../util/tshark.js';
import type { PduSink } from '../../src/dissectors/types.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN } from '../../src/dissectors/types.js';
import { AppSession } from '../../src/dissectors/session.js';
import type { Registry } from '../../src/dissectors/registry.js';

export interface TsharkSegment {
  frame: number;
  stream: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** Raw (absolute) sequence number. */
  seq: number;
  flags: number;
  payload: Buffer;
  /** tshark marks it tcp.analysis.retransmission. */
  retransmission: boolean;
}

export { tshark };

/** Every TCP segment of a capture (payload-less ones too), in frame order. */
export function tsharkTcpSegments(path: string): TsharkSegment[] {
  const out = tshark([
    '-r', path, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=|',
    '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'ip.dst', '-e', 'ipv6.dst', '-e', 'tcp.srcport', '-e', 'tcp.dstport',
    '-e', 'tcp.seq_raw', '-e', 'tcp.flags', '-e', 'tcp.analysis.retransmission', '-e', 'tcp.payload',
  ]);
  const segs: TsharkSegment[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const f = line.split('|');
    // ICMP errors quoting a TCP header repeat the fields: keep the first value of each.
    const first = (s: string | undefined): string => (s ?? '').split(',')[0]!;
    segs.push({
      frame: Number(f[0]),
      stream: Number(first(f[1])),
      src: first(f[2]) || first(f[3]),
      dst: first(f[4]) || first(f[5]),
      srcPort: Number(first(f[6])),
      dstPort: Number(first(f[7])),
      seq: Number(first(f[8])),
      flags: Number(first(f[9])),
      retransmission: first(f[10]) !== '',
      payload: Buffer.from(first(f[11]).replace(/:/g, ''), 'hex'),
    });
  }
  return segs;
}

interface Conn {
  aAddr: string;
  aPort: number;
  handshake: boolean;
  isnA: number;
  isnB: number;
  session: AppSession | null;
}

/**
 * Replays segments through one AppSession per tcp.stream (flow-stage emulation, see file comment).
 * `sinkFor(stream)` gives the sink of a connection. Sessions are closed at the end. Returns them by stream.
 */
export function replayTcp(
  segs: readonly TsharkSegment[],
  registry: Registry,
  sinkFor: (stream: number) => PduSink,
): Map<number, AppSession> {
  const conns = new Map<number, Conn>();
  for (const s of segs) {
    let c = conns.get(s.stream);
    const syn = (s.flags & 0x02) !== 0;
    const ack = (s.flags & 0x10) !== 0;
    if (!c) {
      // SYN without ACK: the sender is the initiator; a SYN-ACK: the receiver is.
      const aIsSrc = !(syn && ack);
      c = {
        aAddr: aIsSrc ? s.src : s.dst,
        aPort: aIsSrc ? s.srcPort : s.dstPort,
        handshake: syn,
        isnA: -1,
        isnB: -1,
        session: null,
      };
      conns.set(s.stream, c);
    }
    const fromA = s.src === c.aAddr && s.srcPort === c.aPort;
    if (syn && c.session === null) {
      if (fromA) c.isnA = s.seq;
      else c.isnB = s.seq;
    }
    if (c.session === null) {
      if (s.payload.length === 0) continue;
      const portB = fromA ? s.dstPort : s.srcPort;
      c.session = new AppSession(registry, 'tcp', c.aPort, portB, c.isnA, c.isnB);
    }
    const dir = c.handshake ? (fromA ? DIR_TO_SERVER : DIR_TO_CLIENT) : DIR_UNKNOWN;
    c.session.tcpSegment(fromA, dir, s.seq, s.flags, s.payload, 0, s.payload.length, sinkFor(s.stream));
  }
  const out = new Map<number, AppSession>();
  for (const [stream, c] of conns) {
    if (c.session) {
      c.session.close(sinkFor(stream));
      out.set(stream, c.session);
    }
  }
  return out;
}
