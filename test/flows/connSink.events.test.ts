/**
 * The event hooks of ConnSink (src/flows/connSink.ts): which requests become engineering events, at
 * which frame, with which object or range, and what is counted instead of listed.
 */
import type { AppSession } from '../../src/dissectors/session.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import { s7comm } from '../../src/dissectors/s7comm/index.js';
import { FN_PLC_STOP, FN_READ_VAR, FN_REQUEST_DOWNLOAD, FN_WRITE_VAR } from '../../src/dissectors/s7comm/s7Codes.js';
import { KIND_REQUEST, KIND_RESPONSE, type Dissector } from '../../src/dissectors/types.js';
import { ConnSink } from '../../src/flows/connSink.js';
import { InitiatorDecider } from '../../src/flows/decideInitiator.js';
import { EVENT_EACH, EVENT_FIRST, MAX_CONN_EVENTS } from '../../src/flows/eventDelta.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { record } from '../util/frameBuilder.js';
import { ConnFixture } from './connFixture.js';

function setup(d: Dissector) {
  const fx = new ConnFixture();
  const sink = new ConnSink(fx.hosts, new InitiatorDecider(createRegistry([]), fx.hosts), () => {});
  const conn = fx.conn('10.20.3.10', 50123, '10.20.1.13', 102);
  conn.session = { dissector: d, protocol: d.id } as unknown as AppSession;
  sink.cur = conn;
  sink.curFromA = conn.firstFromA;
  sink.loc = { file: 'day.pcap', frame: 0, fileOffset: 0 };
  const buf = Buffer.alloc(4);
  /** One PDU of frame `frame` at time `ts`: what the framework does before each decode(). */
  const pdu = (frame: number, ts: number): void => {
    sink.curRec = record(buf, ts, frame);
    sink.now = ts;
    sink.loc.frame = frame;
    sink.pduStart(buf, 0);
  };
  return { sink, conn, pdu };
}

describe('ConnSink events', () => {
  test('ConnSink.fn(S7 program/control requests) records each one at its frame; responses and reads make none', () => {
    const { sink, conn, pdu } = setup(s7comm);
    pdu(10, 100.5);
    sink.fn(0, FN_READ_VAR, KIND_REQUEST);
    pdu(11, 101);
    sink.fn(0, FN_PLC_STOP, KIND_REQUEST);
    pdu(12, 101.1);
    sink.fn(0, FN_PLC_STOP, KIND_RESPONSE);
    pdu(20, 102);
    sink.fn(0, FN_REQUEST_DOWNLOAD, KIND_REQUEST);
    pdu(30, 103);
    sink.fn(0, FN_REQUEST_DOWNLOAD, KIND_REQUEST);
    expect(conn.events!.map((e) => [e.code, e.cls, e.frame, e.ts, e.file, e.count])).toEqual([
      [FN_PLC_STOP, EVENT_EACH, 11, 101, 'day.pcap', 1],
      [FN_REQUEST_DOWNLOAD, EVENT_EACH, 20, 102, 'day.pcap', 1],
      [FN_REQUEST_DOWNLOAD, EVENT_EACH, 30, 103, 'day.pcap', 1],
    ]);
  });

  test('ConnSink.fn(write requests) records the first only, at its frame, and counts the later ones on it', () => {
    const { sink, conn, pdu } = setup(modbusTcp);
    for (const [frame, fc] of [[5, 16], [6, 3], [7, 16], [8, 6], [9, 16]] as const) {
      pdu(frame, 200 + frame);
      sink.fn(0, fc, KIND_REQUEST);
    }
    expect(conn.events!.map((e) => [e.code, e.cls, e.frame, e.count])).toEqual([[16, EVENT_FIRST, 5, 3], [6, EVENT_FIRST, 8, 1]]);
  });

  test('ConnSink.object/range(after an event request) attach to that event (further objects counted), not to the PDUs after it', () => {
    const { sink, conn, pdu } = setup(modbusTcp);
    pdu(1, 1);
    sink.fn(0, 16, KIND_REQUEST);
    sink.object(0, 1, true);
    sink.range(4, 400, 3, true);
    sink.object(0, 2, true); // a second object of the same PDU is counted on it
    pdu(2, 2);
    sink.fn(0, 6, KIND_REQUEST);
    pdu(3, 3);
    sink.fn(0, 3, KIND_REQUEST);
    sink.object(0, 9, false); // a read's object, after the write event of the PDU before
    const [a, b] = conn.events!;
    expect([a!.objectSpace, a!.objectKey, a!.moreObjects, a!.rangeKey >= 0]).toEqual([0, 1, 1, true]);
    expect([b!.objectSpace, b!.rangeKey]).toEqual([-1, -1]);
  });

  test('ConnSink.fn(program requests past MAX_CONN_EVENTS) counts them on the last listed event of their code', () => {
    const { sink, conn, pdu } = setup(s7comm);
    const n = MAX_CONN_EVENTS + 25;
    for (let i = 1; i <= n; i++) {
      pdu(i, i);
      sink.fn(0, FN_REQUEST_DOWNLOAD, KIND_REQUEST);
    }
    expect(conn.events!.length).toBe(MAX_CONN_EVENTS);
    expect(conn.events!.reduce((s, e) => s + e.count, 0)).toBe(n);
    expect(conn.events![MAX_CONN_EVENTS - 1]!.count).toBe(26);
  });

  test('ConnSink.fn(a request decoded while connections close, with no current frame) makes no event', () => {
    const { sink, conn, pdu } = setup(s7comm);
    pdu(1, 1);
    sink.curRec = null;
    sink.fn(0, FN_WRITE_VAR, KIND_REQUEST);
    sink.fn(0, FN_PLC_STOP, KIND_REQUEST);
    expect(conn.events).toBeNull();
    expect(conn.fns!.size).toBe(2);
  });

  test('ConnSink.fn asks a dissector for a code\'s class once, whatever the connections; each dissector its own', () => {
    const asked: string[] = [];
    const spy = (d: Dissector): Dissector => ({
      ...d,
      describe: (space: number, code: number, variant?: number) => {
        asked.push(`${d.id} ${space} ${code} ${variant ?? 0}`);
        return d.describe(space, code, variant);
      },
    });
    const s7 = spy(s7comm);
    const mb = spy(modbusTcp);
    const { sink, conn, pdu } = setup(s7);
    const fx = new ConnFixture();
    const other = fx.conn('10.20.3.11', 50124, '10.20.1.14', 502);
    other.session = { dissector: mb, protocol: mb.id } as unknown as AppSession;
    pdu(1, 10);
    sink.fn(0, FN_PLC_STOP, KIND_REQUEST);
    sink.fn(0, FN_READ_VAR, KIND_REQUEST);
    conn.fnCounters.clear();
    conn.lastFn = null;
    conn.lastFnKey = -1;
    sink.fn(0, FN_PLC_STOP, KIND_REQUEST);
    sink.cur = other;
    sink.fn(0, FN_PLC_STOP, KIND_REQUEST);
    expect(asked).toEqual([`s7comm 0 ${FN_PLC_STOP} 0`, `s7comm 0 ${FN_READ_VAR} 0`, `modbus 0 ${FN_PLC_STOP} 0`]);
    expect(conn.events!.map((e) => e.code)).toEqual([FN_PLC_STOP, FN_PLC_STOP]);
  });
});
