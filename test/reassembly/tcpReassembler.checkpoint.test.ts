import { TcpReassembler, type PduFramer } from '../../src/reassembly/tcpReassembler.js';

const SYN = 0x02;
const ACK = 0x10;

/** 0x7e, payload length, payload (as in tcpReassembler.test.ts). */
class ToyFramer implements PduFramer {
  pdus: string[] = [];
  pduLength(buf: Buffer, off: number, avail: number): number {
    if (avail < 1) return 0;
    if (buf[off] !== 0x7e) return -1;
    if (avail < 2) return 0;
    return 2 + buf[off + 1]!;
  }
  onPdu(buf: Buffer, off: number, len: number): void {
    this.pdus.push(buf.toString('hex', off, off + len));
  }
}

const pdu = (id: number, n: number): Buffer => Buffer.from([0x7e, n, ...Array.from({ length: n }, (_, i) => (id + i) & 0xff)]);

describe('TcpReassembler checkpoint', () => {
  test('resume(checkpoint() at a PDU boundary) frames the next segment at once and counts a copy of old data as retransmitted', () => {
    const a = new TcpReassembler(new ToyFramer(), 99);
    a.segment(99, SYN, Buffer.alloc(0), 0, 0);
    const p1 = pdu(1, 3);
    a.segment(100, ACK, p1, 0, p1.length);
    const cp = a.checkpoint();
    expect(cp).toMatchObject({ started: true, synced: true, next: 100 + p1.length });
    const f = new ToyFramer();
    const b = new TcpReassembler(f);
    b.resume(cp);
    b.segment(100, ACK, p1, 0, p1.length); // retransmission of what the earlier run had
    const p2 = pdu(2, 4);
    b.segment(100 + p1.length, ACK, p2, 0, p2.length);
    expect(f.pdus).toEqual([p2.toString('hex')]);
    expect(b.stats.retransmittedBytes).toBe(p1.length);
    expect(b.stats.unparsedBytes).toBe(0);
  });

  test('resume(checkpoint() inside a PDU) drops the partial PDU and resyncs at the next segment start', () => {
    const a = new TcpReassembler(new ToyFramer(), 99);
    const p1 = pdu(1, 10);
    a.segment(100, ACK, p1, 0, 5); // half of p1
    const cp = a.checkpoint();
    expect(cp.synced).toBe(false);
    const f = new ToyFramer();
    const b = new TcpReassembler(f);
    b.resume(cp);
    b.segment(105, ACK, p1, 5, p1.length - 5); // the rest: not a PDU start
    const p2 = pdu(2, 2);
    b.segment(100 + p1.length, ACK, p2, 0, p2.length);
    expect(f.pdus).toEqual([p2.toString('hex')]);
    expect(b.stats.unparsedBytes).toBe(p1.length - 5);
  });
});
