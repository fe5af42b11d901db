/** The slot blob codec (src/baseline/slotBlobs.ts) on its own: mask widths, counters, damage, order. */
import { SlotBlobs } from '../../src/baseline/slotBlobs.js';

describe('SlotBlobs', () => {
  test('SlotBlobs(32 slots, 3 counters).pack/unpack round-trips slots 0 and 31 with a 4-byte mask', () => {
    const c = new SlotBlobs(32, 3, 'test blobs');
    c.clear();
    c.add(31, 1, 2, 3);
    c.add(0, 200, 0, 2 ** 52);
    c.add(31, 1, 1, 1);
    const blob = c.pack();
    expect([...blob.subarray(0, 4)]).toEqual([1, 0, 0, 0x80]);
    expect(c.unpack(blob)).toEqual([[0, 200, 0, 2 ** 52], [31, 2, 3, 4]]);
  });

  test('SlotBlobs.addBlobs(a, b) equals addBlobs(b, a) byte for byte and sums each counter', () => {
    const c = new SlotBlobs(24, 2, 'test blobs');
    const blob = (slots: Array<[number, number, number]>): Buffer => {
      c.clear();
      for (const [s, a, b] of slots) c.add(s, a, b);
      return c.pack();
    };
    const a = blob([[1, 5, 6], [23, 1, 1]]);
    const b = blob([[1, 1, 1], [2, 0, 0]]);
    const ab = c.addBlobs(a, b, 'f');
    expect(ab.equals(c.addBlobs(b, a, 'f'))).toBe(true);
    expect(c.unpack(ab)).toEqual([[1, 6, 7], [2, 0, 0], [23, 1, 1]]);
  });

  test('SlotBlobs.decode(a mask bit past the last slot, short or long blobs, non-blobs) is -1; addBlobs throws naming the function and the value', () => {
    const c = new SlotBlobs(20, 2, 'test blobs');
    expect(c.decode(Buffer.from([0, 0, 0x10]))).toBe(-1); // bit 20
    expect(c.decode(Buffer.from([0, 0, 0]))).toBe(0);
    expect(c.decode(Buffer.from([1, 0, 0, 1]))).toBe(-1);
    expect(c.decode(Buffer.from([1, 0, 0, 1, 1, 1]))).toBe(-1);
    expect(c.decode('text')).toBe(-1);
    expect(() => c.addBlobs(Buffer.from([0, 0, 0]), null, 'zs_f')).toThrow(/zs_f: the incoming value is not test blobs/);
  });

  test('SlotBlobs.add(a slot out of range) and pack(a count that is not a whole number from 0 to 2^53 - 1) throw', () => {
    const c = new SlotBlobs(24, 2, 'test blobs');
    c.clear();
    expect(() => c.add(-1, 1, 1)).toThrow(RangeError);
    c.add(0, 2 ** 53, 0);
    expect(() => c.pack()).toThrow(RangeError);
    expect(() => new SlotBlobs(33, 1, 'x')).toThrow(RangeError);
  });
});
