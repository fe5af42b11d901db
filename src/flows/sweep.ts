/**
 * When live connections end: a packet after the idle timeout (capture time) starts a new connection,
 * decided per packet so counts do not depend on when a sweep runs or on sharding; sweeps fold and
 * drop idle connections, and under memory pressure (the table past maxConnections) also those that
 * carried no payload (floods, scans, half-open handshakes), then the least recently active.
 */
import { IPPROTO_TCP } from '../decode/packet.js';
import type { Conn } from './conn.js';

/** Idle timeouts in capture seconds. */
export const IDLE_CLOSED = 30;
export const IDLE_PROBE = 60;
export const IDLE_DATAGRAM = 300;
export const IDLE_ESTABLISHED = 3600;
/** A sweep is considered every this many packets, and runs at most once a minute of capture time. */
export const SWEEP_EVERY_PACKETS = 1 << 12;
export const SWEEP_EVERY_SECONDS = 60;

/** Seconds of silence after which a connection is over (its next packet starts a new one). */
export function idleLimit(c: Conn): number {
  if (c.closeFlags & 4 || (c.closeFlags & 3) === 3) return IDLE_CLOSED;
  if (!c.payloadSeen) return IDLE_PROBE;
  if (c.proto === IPPROTO_TCP) return IDLE_ESTABLISHED;
  return IDLE_DATAGRAM;
}

/**
 * Evict idle connections of `conns` at capture time `now`; with `pressure`, also payload-less ones
 * and then the least recently active, until `live()` is at most `target`. `evict` folds and drops one;
 * `order` orders ties (by default the connections' start).
 */
export function sweepConns(
  conns: ReadonlyArray<Conn | undefined>,
  now: number,
  pressure: boolean,
  target: number,
  live: () => number,
  evict: (c: Conn) => void,
  order: (a: Conn, b: Conn) => number = (a, b) => a.firstTs - b.firstTs,
): void {
  // Evicted in `order` (a connection's start, not its table slot): which failed attempts pass the
  // scan threshold first must not depend on the table's history (slots differ from run to run).
  const idle: Conn[] = [];
  for (let i = 0; i < conns.length; i++) {
    const c = conns[i];
    if (c !== undefined && now - c.lastTs > idleLimit(c)) idle.push(c);
  }
  if (idle.length > 1) idle.sort(order);
  for (const c of idle) evict(c);
  if (!pressure || live() <= target) return;
  const quiet: Conn[] = [];
  for (let i = 0; i < conns.length; i++) {
    const c = conns[i];
    if (c !== undefined && !c.payloadSeen) quiet.push(c);
  }
  quiet.sort(order);
  for (let i = 0; i < quiet.length && live() > target; i++) evict(quiet[i]!);
  if (live() <= target) return;
  const rest: Conn[] = [];
  for (const c of conns) if (c !== undefined) rest.push(c);
  rest.sort((a, b) => a.lastTs - b.lastTs || order(a, b));
  for (let i = 0; i < rest.length && live() > target; i++) evict(rest[i]!);
}
