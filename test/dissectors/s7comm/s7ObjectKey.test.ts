import fc from 'fast-check';
import { decodeS7ObjectKey, formatS7ObjectKey, s7BlockKey, s7ObjectKey, szlKey } from '../../../src/dissectors/s7comm/index.js';

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
});
