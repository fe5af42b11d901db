import { AppSession, SessionPool } from '../../src/dissectors/session.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import { DIR_UNKNOWN } from '../../src/dissectors/types.js';
import { RecordingSink } from '../util/recordingSink.js';

const SYN = 0x02;
const PSH_ACK = 0x18;
const FIN_ACK = 0x11;

function mbap(tid: number, pduHex: string): Buffer {
  const pdu = Buffer.from(pduHex, 'hex');
  const b = Buffer.alloc(7 + pdu.length);
  b.writeUInt16BE(tid, 0);
  b.writeUInt16BE(pdu.length + 1, 4);
  b[6] = 1;
  pdu.copy(b, 7);
  return b;
}

/** A Modbus exchange with a request split over two segments, a gap and a close. */
function drive(s: AppSession, sink: RecordingSink, isnA: number): void {
  const req = mbap(7, '03000a0004');
  s.tcpSegment(true, DIR_UNKNOWN, isnA, SYN, Buffer.alloc(0), 0, 0, sink);
  s.tcpSegment(true, DIR_UNKNOWN, isnA + 1, PSH_ACK, req, 0, 5, sink);
  s.tcpSegment(true, DIR_UNKNOWN, isnA + 6, PSH_ACK, req, 5, req.length - 5, sink);
  const resp = mbap(7, '030800010002000300');
  s.tcpSegment(false, DIR_UNKNOWN, 5000, PSH_ACK, resp, 0, resp.length, sink);
  // a segment ahead of the stream (out of order), then a partial PDU left at close
  s.tcpSegment(true, DIR_UNKNOWN, isnA + 1 + req.length + 40, PSH_ACK, req, 0, req.length, sink);
  s.tcpSegment(false, DIR_UNKNOWN, 5000 + resp.length, FIN_ACK, resp, 0, 4, sink);
  s.close(sink);
}

function run(s: AppSession, isnA: number): { sink: RecordingSink; stats: object; cp: object; protocol: string } {
  const sink = new RecordingSink();
  drive(s, sink, isnA);
  const snap = { snapCutSegments: 0, snapLostBytes: 0, snapCaplen: 0 };
  s.takeSnapLoss(snap);
  return { sink, stats: { ...s.stats, ...snap }, cp: s.checkpoint(), protocol: s.protocol };
}

describe('SessionPool', () => {
  test('a released session reset() for a new connection parses it exactly as a new AppSession', () => {
    const registry = createRegistry([modbusTcp]);
    const pool = new SessionPool();
    const used = pool.open(registry, 'tcp', 40000, 502, 100, -1);
    run(used, 100);
    pool.release(used);
    expect(pool.size).toBe(1);
    const reused = pool.open(registry, 'tcp', 40001, 502, 9000, -1);
    expect(reused).toBe(used);
    expect(pool.size).toBe(0);
    const fresh = new AppSession(registry, 'tcp', 40001, 502, 9000, -1);
    expect(run(reused, 9000)).toEqual(run(fresh, 9000));
  });

  test('a session reset() for another protocol chooses it again from the ports', () => {
    const registry = createRegistry([modbusTcp]);
    const pool = new SessionPool();
    const s = pool.open(registry, 'tcp', 40000, 502, -1, -1);
    expect(s.protocol).toBe('modbus');
    pool.release(s);
    const t = pool.open(registry, 'tcp', 40000, 40001, -1, -1);
    expect(t.dissector).toBeNull();
    expect(t.protocol).toBe(new AppSession(registry, 'tcp', 40000, 40001).protocol);
  });

  test('sessions with their own reassembler options are not pooled', () => {
    const registry = createRegistry([modbusTcp]);
    const pool = new SessionPool();
    pool.release(new AppSession(registry, 'tcp', 1, 502, -1, -1, { maxPduBytes: 100 }));
    expect(pool.size).toBe(0);
  });
});

/** A RecordingSink that counts its violations itself (PduSink.violationCount), as the flow stage's does. */
class CountedSink extends RecordingSink {
  violationCount = 0;
  override violation(code: string, message: string, at: number): void {
    this.violationCount++;
    super.violation(code, message, at);
  }
}

describe('AppSession reporting', () => {
  /** Two PDUs, the first with a violation (MBAP length 3 for a Read Holding Registers request). */
  function segments(s: AppSession, sink: RecordingSink): void {
    const bad = mbap(1, '0300');
    const good = mbap(2, '03000a0004');
    s.tcpSegment(true, DIR_UNKNOWN, 100, SYN, Buffer.alloc(0), 0, 0, sink);
    s.tcpSegment(true, DIR_UNKNOWN, 101, PSH_ACK, bad, 0, bad.length, sink);
    s.tcpSegment(true, DIR_UNKNOWN, 101 + bad.length, PSH_ACK, good, 0, good.length, sink);
    s.close(sink);
  }

  test('a sink that counts its violations is reported to directly, with the same counts as a wrapped one', () => {
    const registry = createRegistry([modbusTcp]);
    const direct = new AppSession(registry, 'tcp', 40000, 502, 100, -1);
    const counted = new CountedSink();
    segments(direct, counted);
    const wrapped = new AppSession(registry, 'tcp', 40000, 502, 100, -1);
    const plain = new RecordingSink();
    segments(wrapped, plain);
    expect(counted.violationCount).toBeGreaterThan(0);
    expect(counted.violations).toEqual(plain.violations);
    expect(counted.fns).toEqual(plain.fns);
    expect(direct.stats).toEqual(wrapped.stats);
    expect(direct.stats.malformed).toBeGreaterThan(0);
  });

  test('sessions released to a pool leave their dissector states to the next ones, which parse as new sessions do', () => {
    const registry = createRegistry([modbusTcp]);
    const pool = new SessionPool();
    const a = pool.open(registry, 'tcp', 40000, 502, 100, -1);
    const b = pool.open(registry, 'tcp', 40002, 502, 100, -1);
    run(a, 100);
    run(b, 100);
    pool.release(a);
    pool.release(b);
    const c = pool.open(registry, 'tcp', 40003, 502, 100, -1);
    const d = pool.open(registry, 'tcp', 40004, 502, 100, -1);
    expect(run(c, 100)).toEqual(run(new AppSession(registry, 'tcp', 40003, 502, 100, -1), 100));
    expect(run(d, 100)).toEqual(run(new AppSession(registry, 'tcp', 40004, 502, 100, -1), 100));
  });
});
