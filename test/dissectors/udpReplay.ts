/**
 * Test helpers: the UDP datagrams of a capture as tshark sees them, replayed through one AppSession per
 * udp.stream (side A = the first sender, DIR_UNKNOWN as the flow stage passes it for UDP).
 */
import { AppSession } from '../../src/dissectors/session.js';
import type { Registry } from '../../src/dissectors/registry.js';
import type { PduSink } from '../../src/dissectors/types.js';
import { DIR_UNKNOWN } from '../../src/dissectors/types.js';
import { tshark } from './tsharkTcp.js';

export interface TsharkDatagram {
  frame: number;
  stream: number;
  src: string;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

/** Every UDP datagram with a payload, in frame order (`filter` narrows it, e.g. 'udp.port == 20000'). */
export function tsharkUdpDatagrams(path: string, filter = 'udp'): TsharkDatagram[] {
  const out = tshark(['-r', path, '-Y', `(${filter}) && !icmp && udp.length > 8`, '-T', 'fields', '-E', 'separator=|',
    '-e', 'frame.number', '-e', 'udp.stream', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.payload']);
  const ds: TsharkDatagram[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const f = line.split('|');
    ds.push({
      frame: Number(f[0]),
      stream: Number(f[1]),
      src: f[2] || f[3]!,
      srcPort: Number(f[4]),
      dstPort: Number(f[5]),
      payload: Buffer.from(f[6]!.replace(/:/g, ''), 'hex'),
    });
  }
  return ds;
}

export function replayUdp(ds: readonly TsharkDatagram[], registry: Registry, sinkFor: (stream: number) => PduSink): Map<number, AppSession> {
  const sessions = new Map<number, { a: string; aPort: number; s: AppSession }>();
  for (const d of ds) {
    let c = sessions.get(d.stream);
    if (!c) sessions.set(d.stream, (c = { a: d.src, aPort: d.srcPort, s: new AppSession(registry, 'udp', d.srcPort, d.dstPort) }));
    const fromA = d.src === c.a && d.srcPort === c.aPort;
    c.s.udpDatagram(fromA, DIR_UNKNOWN, d.payload, 0, d.payload.length, sinkFor(d.stream));
  }
  return new Map([...sessions].map(([k, v]) => [k, v.s]));
}
