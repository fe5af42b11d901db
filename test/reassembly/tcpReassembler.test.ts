import fc from 'fast-check';
import { TcpReassembler, type PduFramer, type ReassemblerOptions } from '../../src/reassembly/tcpReassembler.js';

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;

/**
 * A toy framing for the tests: 0x7e, payload length (1 byte), payload. PDU i of a test stream carries
 * bytes that name it, so delivered PDUs can be compared as hex strings.
 */
class ToyFramer implements PduFramer {
  pdus: string[] = [];
  framingErrors = 0;
  pduLength(buf: Buffer, off: number, avail: number): number {
    if (avail < 1) return 0;
    if (buf[off] !== 0x7e) return -1;
    if (avail < 2) return 0;
    return 2 + buf[off + 1]!;
  }
  onPdu(buf: Buffer, off: number, len: number): void {
    this.pdus.push(buf.toString('hex', off, off + len));
  }
  onFramingError(): void {
    this.framingErrors++;
  }
}

function pdu(id: number, payloadLen: number): Buffer {
  const b = Buffer.alloc(2 + payloadLen);
  b[0] = 0x7e;
  b[1] = payloadLen;
  for (let i = 0; i < payloadLen; i++) b[2 + i] = (id * 31 + i) & 0xff;
  return b;
}

function stream(n: number, seed = 1): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) out.push(pdu(i, ((i * 7 + seed * 13) % 40) + 1));
  return out;
}

const hex = (bs: Buffer[]): string[] => bs.map((b) => b.toString('hex'));

function make(isn = -1, opts?: Partial<ReassemblerOptions>): { r: TcpReassembler; f: ToyFramer } {
  const f = new ToyFramer();
  return { r: new TcpReassembler(f, isn, opts), f };
}

/** Feed `data` (first byte at sequence number `first`) as segments [start, end) relative to data. */
function feed(r: TcpReassembler, data: Buffer, first: number, segs: Array<[number, number]>, flags = ACK): void {
  for (const [a, b] of segs) r.segment((first + a) >>> 0, flags, data, a, b - a);
}

describe('TcpReassembler', () => {
  test('TcpReassembler.segment(several PDUs in one segment) delivers each once, nothing buffered', () => {
    const { r, f } = make(1000);
    const pdus = stream(3);
    const data = Buffer.concat(pdus);
    r.segment(1001, ACK, data, 0, data.length);
    expect(f.pdus).toEqual(hex(pdus));
    expect(r.pendingBytes).toBe(0);
    expect(r.stats).toMatchObject({ bytes: data.length, pdus: 3, retransmittedBytes: 0, unparsedBytes: 0, gaps: 0 });
  });

  test('TcpReassembler.segment(PDUs split into 1-byte segments) delivers the same PDUs', () => {
    const { r, f } = make(5);
    const pdus = stream(4);
    const data = Buffer.concat(pdus);
    for (let i = 0; i < data.length; i++) r.segment(6 + i, ACK, data, i, 1);
    expect(f.pdus).toEqual(hex(pdus));
    expect(r.stats).toMatchObject({ bytes: data.length, pdus: 4, unparsedBytes: 0 });
  });

  test('TcpReassembler.segment(SYN then data) starts at ISN + 1', () => {
    const { r, f } = make();
    const pdus = stream(2);
    const data = Buffer.concat(pdus);
    r.segment(777, SYN, data, 0, 0);
    r.segment(778, ACK, data, 0, data.length);
    expect(f.pdus).toEqual(hex(pdus));
    expect(r.isSynced).toBe(true);
  });

  test('TcpReassembler.segment(a retransmitted segment) is not delivered twice and counts its bytes', () => {
    const { r, f } = make(0);
    const pdus = stream(3);
    const data = Buffer.concat(pdus);
    const cut = pdus[0]!.length + 1; // the second segment starts inside PDU 1
    feed(r, data, 1, [[0, cut]]);
    feed(r, data, 1, [[0, cut]]); // retransmission
    feed(r, data, 1, [[cut, data.length]]);
    feed(r, data, 1, [[cut, data.length]]); // retransmission
    expect(f.pdus).toEqual(hex(pdus));
    expect(r.stats.retransmittedBytes).toBe(data.length);
    expect(r.stats.bytes).toBe(data.length);
  });

  test('TcpReassembler.segment(overlapping segments) delivers the new bytes only', () => {
    const { r, f } = make(0);
    const pdus = stream(5);
    const data = Buffer.concat(pdus);
    feed(r, data, 1, [[0, 30], [20, 60], [50, data.length]]);
    expect(f.pdus).toEqual(hex(pdus));
    expect(r.stats.retransmittedBytes).toBe(20);
  });

  test('TcpReassembler.segment(out of order segments) buffers them and delivers in order when the hole fills', () => {
    const { r, f } = make(0);
    const pdus = stream(6);
    const data = Buffer.concat(pdus);
    const a = 25;
    const b = 70;
    feed(r, data, 1, [[b, data.length], [a, b]]);
    expect(f.pdus).toEqual([]);
    expect(r.bufferedSegments).toBe(2);
    feed(r, data, 1, [[0, a]]);
    expect(f.pdus).toEqual(hex(pdus));
    expect(r.stats).toMatchObject({ outOfOrder: 2, gaps: 0, retransmittedBytes: 0, bytes: data.length });
    expect(r.bufferedSegments).toBe(0);
  });

  test('TcpReassembler.segment(a lost segment) becomes a gap after N segments, drops the partial PDU and resyncs', () => {
    const { r, f } = make(0, { gapAfterSegments: 2 });
    const pdus = stream(8);
    const data = Buffer.concat(pdus);
    const starts: number[] = [];
    let o = 0;
    for (const p of pdus) {
      starts.push(o);
      o += p.length;
    }
    // seg1: PDU0 + half of PDU1; lost: rest of PDU1 + half of PDU2; seg3: rest of PDU2 + PDU3 (mid-PDU start);
    // seg4..: PDU4.. from a PDU boundary.
    const half1 = starts[1]! + 3;
    const half2 = starts[2]! + 2;
    feed(r, data, 1, [[0, half1], [half2, starts[4]!], [starts[4]!, starts[5]!], [starts[5]!, starts[6]!], [starts[6]!, data.length]]);
    expect(f.pdus).toEqual(hex([pdus[0]!, pdus[4]!, pdus[5]!, pdus[6]!, pdus[7]!]));
    expect(r.stats.gaps).toBe(1);
    expect(r.stats.gapBytes).toBe(half2 - half1);
    // unparsed: the partial PDU1 (3 bytes) + the mid-PDU segment skipped while resyncing.
    expect(r.stats.unparsedBytes).toBe(3 + (starts[4]! - half2));
  });

  test('TcpReassembler.close(with a hole and a partial PDU) counts the gap and the unparsed bytes', () => {
    const { r, f } = make(0);
    const pdus = stream(3);
    const data = Buffer.concat(pdus);
    feed(r, data, 1, [[0, 10], [20, 30]]);
    r.close();
    expect(r.stats.gaps).toBe(1);
    expect(r.stats.gapBytes).toBe(10);
    expect(f.pdus.length).toBe(0);
    expect(r.stats.bytes + r.stats.gapBytes).toBe(30);
    expect(r.stats.unparsedBytes).toBe(20);
  });

  test('TcpReassembler.segment(sequence numbers wrapping past 2^32) reassembles across the wrap', () => {
    const isn = 0xfffffff0;
    const { r, f } = make(isn);
    const pdus = stream(6);
    const data = Buffer.concat(pdus);
    const first = (isn + 1) >>> 0;
    // 7-byte segments; the 3rd of them crosses 2^32. Deliver two of them out of order.
    const segs: Array<[number, number]> = [];
    for (let a = 0; a < data.length; a += 7) segs.push([a, Math.min(a + 7, data.length)]);
    [segs[2], segs[3]] = [segs[3]!, segs[2]!];
    feed(r, data, first, segs);
    expect(f.pdus).toEqual(hex(pdus));
    expect(r.stats).toMatchObject({ outOfOrder: 1, gaps: 0, bytes: data.length });
  });

  test('TcpReassembler.segment(mid-stream start inside a PDU) skips to the first segment that starts a PDU', () => {
    const { r, f } = make();
    const pdus = stream(4);
    const data = Buffer.concat(pdus);
    const p1 = pdus[0]!.length;
    feed(r, data, 50_000, [[3, p1], [p1, data.length]]);
    expect(f.pdus).toEqual(hex(pdus.slice(1)));
    expect(r.stats.unparsedBytes).toBe(p1 - 3);
  });

  test('TcpReassembler.segment(mid-stream start on a PDU boundary) frames from the first byte', () => {
    const { r, f } = make();
    const pdus = stream(3);
    const data = Buffer.concat(pdus);
    feed(r, data, 123, [[0, data.length]]);
    expect(f.pdus).toEqual(hex(pdus));
  });

  test('TcpReassembler.segment(bytes that cannot start a PDU) reports a framing error and resyncs at a segment start', () => {
    const { r, f } = make(0);
    const pdus = stream(2);
    const junk = Buffer.from('GET / HTTP/1.1\r\n', 'latin1');
    const data = Buffer.concat([pdus[0]!, junk, pdus[1]!]);
    const a = pdus[0]!.length;
    const b = a + junk.length;
    feed(r, data, 1, [[0, a + 4], [a + 4, b], [b, data.length]]);
    expect(f.framingErrors).toBe(1);
    expect(f.pdus).toEqual(hex(pdus));
    expect(r.stats.unparsedBytes).toBe(junk.length);
  });

  test('TcpReassembler.segment(FIN with a partial PDU) counts the partial PDU as unparsed', () => {
    const { r, f } = make(0);
    const p = pdu(1, 20);
    r.segment(1, ACK | FIN, p, 0, 10);
    expect(r.pendingBytes).toBe(0);
    expect(r.stats.unparsedBytes).toBe(10);
    expect(f.pdus).toEqual([]);
  });

  test('TcpReassembler.segment(FIN before the last data, reordered) still delivers the data', () => {
    const { r, f } = make(0);
    const pdus = stream(2);
    const data = Buffer.concat(pdus);
    const a = 5;
    r.segment(1, ACK, data, 0, a);
    r.segment(1 + data.length, ACK | FIN, data, 0, 0); // the FIN overtakes the last data segment
    expect(r.pendingBytes).toBe(a);
    r.segment(1 + a, ACK, data, a, data.length - a);
    expect(f.pdus).toEqual(hex(pdus));
    expect(r.stats).toMatchObject({ unparsedBytes: 0, gaps: 0 });
  });

  test('TcpReassembler.segment(RST) closes: a hole becomes a gap', () => {
    const { r } = make(0);
    const data = Buffer.concat(stream(3));
    feed(r, data, 1, [[0, 5], [10, 20]]);
    r.segment(21, RST, data, 0, 0);
    expect(r.stats.gaps).toBe(1);
    expect(r.stats.gapBytes).toBe(5);
    expect(r.bufferedSegments).toBe(0);
  });

  test('TcpReassembler.segment(more out-of-order segments than slots) declares the hole a gap', () => {
    const { r, f } = make(0, { maxOutOfOrderSegments: 2 });
    const pdus = stream(6);
    const data = Buffer.concat(pdus);
    const b0 = pdus[0]!.length;
    const b1 = b0 + pdus[1]!.length;
    const b2 = b1 + pdus[2]!.length;
    const b3 = b2 + pdus[3]!.length;
    // PDU0 lost; PDU1..3 arrive out of order in three segments: the third does not fit.
    feed(r, data, 1, [[b0, b1], [b1, b2], [b2, b3]]);
    expect(r.stats.gaps).toBe(1);
    expect(r.stats.gapBytes).toBe(b0);
    expect(f.pdus).toEqual(hex(pdus.slice(1, 4)));
  });

  test('TcpReassembler.segment(a PDU larger than maxPduBytes) skips it as unparsed and frames the next', () => {
    const { r, f } = make(0, { maxPduBytes: 16 });
    const big = pdu(1, 40);
    const small = pdu(2, 3);
    const data = Buffer.concat([big, small, small]);
    feed(r, data, 1, [[0, 10], [10, 30], [30, data.length]]);
    expect(f.pdus).toEqual(hex([small, small]));
    expect(r.stats.unparsedBytes).toBe(big.length);
  });

  test('TcpReassembler.segment(header split before the length byte) probes until the length is known', () => {
    const { r, f } = make(0);
    const pdus = stream(3);
    const data = Buffer.concat(pdus);
    const a = pdus[0]!.length + 1; // segment ends right after the 0x7e of PDU 1
    feed(r, data, 1, [[0, a], [a, data.length]]);
    expect(f.pdus).toEqual(hex(pdus));
  });

  test('TcpReassembler.segment(random segmentation, reordering, duplication) delivers every PDU once, in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 80 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 })), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (n, isn, cuts, swaps, dups) => {
          const pdus = stream(n, isn & 7);
          const data = Buffer.concat(pdus);
          const segs: Array<[number, number]> = [];
          let o = 0;
          for (let i = 0; o < data.length; i++) {
            const l = Math.min(cuts[i % cuts.length]!, data.length - o);
            segs.push([o, o + l]);
            o += l;
          }
          // Reorder within a small window (well under the slot bound) and duplicate some segments.
          for (const [i, d] of swaps) {
            const a = i % segs.length;
            const b = Math.min(a + d, segs.length - 1);
            [segs[a], segs[b]] = [segs[b]!, segs[a]!];
          }
          let dupBytes = 0;
          for (const i of dups) {
            const s = segs[i % segs.length]!;
            segs.splice((i % segs.length) + 1, 0, s);
            dupBytes += s[1] - s[0];
          }
          const { r, f } = make(isn, { gapAfterSegments: 1000 });
          feed(r, data, (isn + 1) >>> 0, segs);
          r.close();
          expect(f.pdus).toEqual(hex(pdus));
          expect(r.stats.gaps).toBe(0);
          expect(r.stats.unparsedBytes).toBe(0);
          expect(r.stats.bytes).toBe(data.length);
          expect(r.stats.retransmittedBytes).toBe(dupBytes);
        },
      ),
      { numRuns: 500, seed: 62443 },
    );
  });
});

describe('TcpReassembler and the snap length', () => {
  test('TcpReassembler.segment(a segment cut by the snap length) frames the PDUs complete before the cut, counts the cut one as lost, resyncs at the next segment', () => {
    const { r, f } = make(1000);
    const pdus = [pdu(1, 3), pdu(2, 20), pdu(3, 4)];
    const seg1 = Buffer.concat([pdus[0]!, pdus[1]!]);
    // 5 + 8 bytes present, 14 cut off: PDU 1 complete, PDU 2 cut.
    r.segment(1001, ACK, seg1, 0, 13, seg1.length - 13);
    r.segment(1001 + seg1.length, ACK, pdus[2]!, 0, pdus[2]!.length);
    expect(f.pdus).toEqual(hex([pdus[0]!, pdus[2]!]));
    expect(r.stats).toMatchObject({ snapCutSegments: 1, snapLostBytes: seg1.length - 5, gaps: 0, gapBytes: 0, unparsedBytes: 0 });
  });

  test('TcpReassembler.segment(every segment cut to its header) loses every PDU to the snap length, none to gaps', () => {
    const { r, f } = make(1000);
    const pdus = stream(6);
    let seq = 1001;
    for (const p of pdus) {
      r.segment(seq, ACK, p, 0, 0, p.length);
      seq += p.length;
    }
    r.close();
    expect(f.pdus).toEqual([]);
    const total = pdus.reduce((n, p) => n + p.length, 0);
    expect(r.stats).toMatchObject({ pdus: 0, snapCutSegments: 6, snapLostBytes: total, gaps: 0, gapBytes: 0, unparsedBytes: 0 });
  });

  test('TcpReassembler.segment(a cut segment after a hole) counts the hole as a gap at once and a retransmitted cut segment as retransmitted', () => {
    const { r } = make(1000);
    const data = Buffer.concat(stream(4));
    r.segment(1001, ACK, data, 0, 10);
    r.segment(1001 + 20, ACK, data, 20, 5, 5); // 10 bytes missing before it
    expect(r.stats).toMatchObject({ gaps: 1, gapBytes: 10, snapCutSegments: 1, snapLostBytes: 5 });
    r.segment(1001 + 20, ACK, data, 20, 5, 5);
    expect(r.stats).toMatchObject({ snapCutSegments: 1, retransmittedBytes: 10 });
  });
});
