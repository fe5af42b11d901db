/**
 * ConnSink's per-connection caches (src/flows/connSink.ts): the last and the previous function
 * counter (two keys alternating per PDU), and what happens to them when the counters are folded away.
 */
import { ConnSink } from '../../src/flows/connSink.js';
import { InitiatorDecider } from '../../src/flows/decideInitiator.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { KIND_REQUEST, KIND_RESPONSE } from '../../src/dissectors/types.js';
import type { Conn } from '../../src/flows/conn.js';
import { ConnFixture } from './connFixture.js';

function setup() {
  const fx = new ConnFixture();
  const sink = new ConnSink(fx.hosts, new InitiatorDecider(createRegistry([]), fx.hosts), () => {});
  const conn = fx.conn('10.30.1.50', 50123, '10.20.1.10', 44818);
  sink.cur = conn;
  sink.curFromA = conn.firstFromA;
  return { sink, conn };
}

function counts(conn: Conn): number[][] {
  return [...(conn.fns?.values() ?? [])].map((f) => [f.space, f.code, f.requests, f.responses]);
}

/** What foldConn does with a folded connection's function counters. */
function foldAway(conn: Conn): void {
  conn.fnCounters.clear();
  conn.lastFn = null;
  conn.lastFnKey = -1;
}

describe('ConnSink function counter caches', () => {
  test('a carrier and a service alternating per PDU (ENIP, OPC UA) count on their own counters', () => {
    const { sink, conn } = setup();
    for (let i = 0; i < 5; i++) {
      sink.fn(1, 0x6f, KIND_REQUEST);
      sink.fn(0, 0x4c, KIND_REQUEST);
      sink.fn(1, 0x6f, KIND_RESPONSE);
      sink.fn(0, 0x4c, KIND_RESPONSE);
    }
    sink.fn(0, 0x4d, KIND_REQUEST);
    sink.fn(1, 0x6f, KIND_REQUEST);
    expect(counts(conn)).toEqual([[1, 0x6f, 6, 5], [0, 0x4c, 5, 5], [0, 0x4d, 1, 0]]);
  });

  test('after the counters are folded away the previous counter is forgotten: later PDUs count on new ones', () => {
    const { sink, conn } = setup();
    sink.fn(1, 0x6f, KIND_REQUEST);
    sink.fn(0, 0x4c, KIND_REQUEST);
    foldAway(conn);
    // Inline spare reuse: the new key takes the folded inline counter; the old previous key must not.
    sink.fn(0, 0x4e, KIND_REQUEST);
    sink.fn(1, 0x6f, KIND_REQUEST);
    sink.fn(0, 0x4e, KIND_REQUEST);
    sink.fn(1, 0x6f, KIND_RESPONSE);
    expect(counts(conn)).toEqual([[0, 0x4e, 2, 0], [1, 0x6f, 1, 1]]);
    expect(conn.fnCounters.prevValue).not.toBeNull();
    conn.reset(conn.slot, 4, 1, 2, 6, true, 0);
    expect([conn.fnCounters.prevKey, conn.fnCounters.prevValue]).toEqual([undefined, null]);
  });
});
