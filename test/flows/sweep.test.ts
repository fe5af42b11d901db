import type { Conn } from '../../src/flows/conn.js';
import { IDLE_CLOSED, IDLE_DATAGRAM, IDLE_ESTABLISHED, IDLE_PROBE, idleLimit, sweepConns } from '../../src/flows/sweep.js';
import { ConnFixture } from './connFixture.js';

describe('sweep', () => {
  const fx = new ConnFixture();

  test('idleLimit(conn) is 30 s once closed (RST or both FINs), 60 s without payload, 1 h for TCP, 5 min for datagrams', () => {
    const tcp = fx.conn('10.0.0.1', 40000, '10.0.0.2', 502, 6);
    expect(idleLimit(tcp)).toBe(IDLE_PROBE);
    tcp.payloadSeen = true;
    expect(idleLimit(tcp)).toBe(IDLE_ESTABLISHED);
    tcp.closeFlags = 1;
    expect(idleLimit(tcp)).toBe(IDLE_ESTABLISHED);
    tcp.closeFlags = 3;
    expect(idleLimit(tcp)).toBe(IDLE_CLOSED);
    tcp.closeFlags = 4;
    expect(idleLimit(tcp)).toBe(IDLE_CLOSED);
    const udp = fx.conn('10.0.0.1', 40000, '10.0.0.2', 2222, 17);
    udp.payloadSeen = true;
    expect(idleLimit(udp)).toBe(IDLE_DATAGRAM);
  });

  test('sweepConns(idle and busy connections) evicts the idle ones; under pressure payload-less first, then the least recently active', () => {
    const mk = (lastTs: number, payload: boolean): Conn => {
      const c = fx.conn('10.0.1.1', 40000 + Math.round(lastTs), '10.0.1.2', 502, 6, lastTs);
      c.payloadSeen = payload;
      return c;
    };
    const now = 10_000;
    const idle = mk(now - 4000, true);
    const busy = [mk(now - 10, true), mk(now - 20, true), mk(now - 5, false), mk(now - 30, true)];
    const conns: Array<Conn | undefined> = [idle, ...busy];
    const evicted: Conn[] = [];
    const evict = (c: Conn): void => {
      evicted.push(c);
      conns[conns.indexOf(c)] = undefined;
    };
    const live = (): number => conns.filter((c) => c !== undefined).length;
    sweepConns(conns, now, false, 0, live, evict);
    expect(evicted).toEqual([idle]);
    sweepConns(conns, now, true, 2, live, evict);
    // payload-less (now - 5) first, then the oldest (now - 30)
    expect(evicted).toEqual([idle, busy[2], busy[3]]);
    expect(live()).toBe(2);
  });
});
