import fc from 'fast-check';
import { decodeS7ObjectKey, describeS7Object, formatS7BlockKey, formatS7ObjectKey, formatSzlKey, s7BlockKey, s7ObjectKey, s7comm, szlKey } from '../../../src/dissectors/s7comm/index.js';

describe('s7ObjectKey', () => {
  test('s7ObjectKey(area, db, address) round-trips through decodeS7ObjectKey and stays an exact integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffffff }), (area, db, address) => {
        const key = s7ObjectKey(area, db, address);
        expect(Number.isSafeInteger(key)).toBe(true);
        expect(decodeS7ObjectKey(key)).toEqual({ area, db, address });
      }),
      { numRuns: 500, seed: 62443 },
    );
  });

  test('formatS7ObjectKey(DB1 bit 10.2, M0.0, Q1.0, counter 5, area 0x99) renders S7 notation', () => {
    expect(formatS7ObjectKey(s7ObjectKey(0x84, 1, (10 << 3) | 2))).toBe('DB1.DBX10.2');
    expect(formatS7ObjectKey(s7ObjectKey(0x83, 0, 0))).toBe('M0.0');
    expect(formatS7ObjectKey(s7ObjectKey(0x82, 0, 8))).toBe('Q1.0');
    expect(formatS7ObjectKey(s7ObjectKey(0x1c, 0, 5))).toBe('C5');
    expect(formatS7ObjectKey(s7ObjectKey(0x99, 0, 97))).toBe('area 0x99 12.1');
  });

  test('s7BlockKey(type, number up to 99999) and szlKey(id, index) give distinct keys to distinct inputs', () => {
    const pair = fc.tuple(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 99999 }));
    fc.assert(
      fc.property(pair, pair, ([t1, n1], [t2, n2]) => {
        expect(s7BlockKey(t1, n1) === s7BlockKey(t2, n2)).toBe(t1 === t2 && n1 === n2);
      }),
      { numRuns: 500, seed: 62443 },
    );
    expect(s7BlockKey(0x0a, 1)).toBe(0x0a * 0x100000 + 1);
    expect(szlKey(0x0011, 1)).toBe(0x00110001);
    expect(szlKey(0x0011, 1)).not.toBe(szlKey(0x0111, 1));
  });

  test('describeS7Object(variable, block, szl keys) renders DB10.DBX4.0, M100.0, OB1, FC3, DB10 and SZL ids in their own spaces', () => {
    expect(s7comm.objectSpaces).toEqual(['variable', 'block', 'szl']);
    expect(describeS7Object(0, s7ObjectKey(0x84, 10, (4 << 3) | 0))).toBe('DB10.DBX4.0');
    expect(describeS7Object(0, s7ObjectKey(0x83, 0, 100 << 3))).toBe('M100.0');
    expect(describeS7Object(1, s7BlockKey(0x08, 1))).toBe('OB1');
    expect(describeS7Object(1, s7BlockKey(0x0c, 3))).toBe('FC3');
    expect(describeS7Object(1, s7BlockKey(0x0a, 10))).toBe('DB10');
    expect(formatS7BlockKey(s7BlockKey(0x41, 7))).toBe('block 0x41 7');
    expect(describeS7Object(2, szlKey(0x0011, 0x0001))).toBe('SZL 0x0011 index 0x0001');
    expect(formatSzlKey(szlKey(0x001c, 0))).toBe('SZL 0x001c index 0x0000');
    // No rendering is a bare number.
    for (const k of [s7ObjectKey(0x84, 1, 8), s7BlockKey(0x0e, 99999), szlKey(0xffff, 0xffff)]) {
      for (const space of [0, 1, 2]) expect(describeS7Object(space, k)).not.toMatch(/^\d+$/);
    }
  });
});
