import { ConnSink } from '../../src/flows/connSink.js';
import { InitiatorDecider } from '../../src/flows/decideInitiator.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_RECEIVER, WHO_SENDER } from '../../src/dissectors/types.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { record } from '../util/frameBuilder.js';
import { ConnFixture } from './connFixture.js';

function setup() {
  const fx = new ConnFixture();
  const decider = new InitiatorDecider(createRegistry([]), fx.hosts);
  const diags: Diagnostic[] = [];
  const sink = new ConnSink(fx.hosts, decider, (d) => diags.push(d));
  const conn = fx.conn('10.30.1.50', 50123, '10.20.1.10', 44818);
  sink.cur = conn;
  sink.curFromA = conn.firstFromA;
  return { fx, decider, diags, sink, conn };
}

describe('ConnSink', () => {
  test('ConnSink.fn(requests, responses, exceptions) counts per (space, code, variant); the first request tells the client side', () => {
    const { sink, conn } = setup();
    sink.fn(0, 3, KIND_REQUEST);
    sink.fn(0, 3, KIND_REQUEST);
    sink.curFromA = !sink.curFromA;
    sink.fn(0, 3, KIND_RESPONSE);
    sink.fn(0, 3, KIND_EXCEPTION);
    sink.fn(1, 3, KIND_REQUEST);
    sink.fn(0, 3, KIND_REQUEST, 7);
    const fns = [...conn.fns!.values()].map((f) => [f.space, f.code, f.variant, f.requests, f.responses, f.exceptions]);
    expect(fns).toEqual([[0, 3, 0, 2, 1, 1], [1, 3, 0, 1, 0, 0], [0, 3, 7, 1, 0, 0]]);
    expect(conn.protoClientIsA).toBe(conn.firstFromA ? 1 : 0);
  });

  test('ConnSink.object(same number in two spaces, a string key) keeps them apart and counts reads and writes', () => {
    const { sink, conn } = setup();
    sink.object(0, 65537, false);
    sink.object(1, 65537, true);
    sink.object(0, 65537, false);
    sink.object(1, 'Setpoint', true);
    expect([...conn.objects!.values()]).toEqual([
      { space: 0, key: 65537, reads: 2, writes: 0 },
      { space: 1, key: 65537, reads: 0, writes: 1 },
      { space: 1, key: 'Setpoint', reads: 0, writes: 1 },
    ]);
  });

  test('ConnSink.originator(WHO_SENDER / WHO_RECEIVER) tells the decider which side originates', () => {
    const { sink, conn, decider } = setup();
    sink.originator(WHO_SENDER);
    expect(decider.originatorSide(conn)).toBe(conn.firstFromA ? 1 : 0);
    const other = setup();
    other.sink.originator(WHO_RECEIVER);
    expect(other.decider.originatorSide(other.conn)).toBe(other.conn.firstFromA ? 0 : 1);
  });

  test('ConnSink.identity(WHO_SENDER) is about the sender, counted once per value, with the first location', () => {
    const { sink } = setup();
    sink.loc = { file: 'a.pcap', frame: 7, fileOffset: 100 };
    sink.identity(WHO_SENDER, 'vendor', 'Rockwell');
    sink.loc = { file: 'a.pcap', frame: 9, fileOffset: 200 };
    sink.identity(WHO_SENDER, 'vendor', 'Rockwell');
    sink.identity(WHO_RECEIVER, 'vendor', 'x'.repeat(600));
    const ids = sink.takeIdentities();
    expect(ids.map((i) => [i.ip, i.value.length, i.count, i.frame])).toEqual([['10.30.1.50', 8, 2, 7], ['10.20.1.10', 512, 1, 9]]);
    expect(sink.takeIdentities()).toEqual([]);
  });

  test('ConnSink.violation(at) points at the file byte of a PDU in the current frame, else at the frame', () => {
    const { sink, diags } = setup();
    const rec = record(Buffer.alloc(100), 1_767_600_000, 3);
    rec.dataFileOffset = 5000;
    sink.curRec = rec;
    sink.loc = { file: 'a.pcap', frame: 3, fileOffset: 4984 };
    sink.pduStart(rec.data, 54);
    sink.violation('FRAMING_INVALID', 'bad', 4);
    sink.pduStart(Buffer.alloc(10), 0);
    sink.violation('FRAMING_INVALID', 'bad', 4);
    expect(diags.map((d) => [d.offset, d.message])).toEqual([[5058, 'bad'], [4984, 'bad (byte 4 of a PDU reassembled from several segments)']]);
  });

  test('ConnSink.range / object / attribute stop growing at their bounds', () => {
    const { sink, conn } = setup();
    for (let i = 0; i < 5000; i++) {
      sink.range(4, i, 1, false);
      sink.object(0, i, false);
      sink.attribute(`k${i}`, 'v');
    }
    expect(conn.ranges!.size).toBe(4096);
    expect(conn.objects!.size).toBe(4096);
    expect(conn.attributes!.size).toBe(64);
  });
});
