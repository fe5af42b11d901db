import fc from 'fast-check';
import { decodeS7ObjectKey, describeS7Object, formatS7BlockKey, formatS7ObjectKey, formatSzlKey, s7BlockKey, s7ObjectKey, s7comm, szlKey } from '../../../src/dissectors/s7comm/index.js';
import { TS_BIT, TS_BYTE, TS_DWORD, TS_WORD } from '../../../src/dissectors/s7comm/s7ObjectKey.js';

describe('s7ObjectKey', () => {
  const KNOWN_AREAS = [0x03, 0x05, 0x06, 0x07, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87];
  const IN_DB = new Set([0x84, 0x85]);

  test('s7ObjectKey(known area, db, address, X/B/W/D size, count) is a number below 2^48 that round-trips through decodeS7ObjectKey', () => {
    const item = fc.record({
      area: fc.constantFrom(...KNOWN_AREAS),
      db: fc.integer({ min: 0, max: 0xffff }),
      byte: fc.integer({ min: 0, max: 0xffff }),
      bit: fc.integer({ min: 0, max: 7 }),
      size: fc.constantFrom(TS_BIT, TS_BYTE, TS_WORD, TS_DWORD),
      count: fc.integer({ min: 1, max: 128 }),
    });
    fc.assert(
      fc.property(item, ({ area, db, byte, bit, size, count }) => {
        const b = size === TS_BIT ? bit : 0;
        const key = s7ObjectKey(area, db, byte * 8 + b, size, count);
        expect(typeof key).toBe('number');
        expect(Number.isSafeInteger(key) && (key as number) >= 0 && (key as number) < 2 ** 48).toBe(true);
        expect(decodeS7ObjectKey(key as number)).toEqual({ area, db: IN_DB.has(area) ? db : 0, address: byte * 8 + b, size, count });
      }),
      { numRuns: 1000, seed: 62443 },
    );
  });

  test('s7ObjectKey(counters and timers, any count up to 1024) round-trips; other items are keyed by their rendering', () => {
    expect(decodeS7ObjectKey(s7ObjectKey(0x1c, 0, 5, 0x1c, 1) as number)).toEqual({ area: 0x1c, db: 0, address: 5, size: 0x1c, count: 1 });
    expect(decodeS7ObjectKey(s7ObjectKey(0x1d, 0, 65535, 0x1d, 1024) as number)).toEqual({ area: 0x1d, db: 0, address: 65535, size: 0x1d, count: 1024 });
    expect(s7ObjectKey(0x99, 0, 97, TS_BIT, 1)).toBe('area 0x99 12.1');
    expect(s7ObjectKey(0x84, 1, 0, 0x0f, 1)).toBe('DB1.DBX0.0 DATE_AND_TIME');
    expect(s7ObjectKey(0x84, 1, 8, 0x42, 3)).toBe('DB1.DBX1.0 size 0x42[3]');
    expect(s7ObjectKey(0x84, 1, 0x10000 * 8, TS_BYTE, 1)).toBe('DB1.DBB65536');
    expect(s7ObjectKey(0x83, 0, 0, TS_BYTE, 1025)).toBe('MB0[1025]');
    expect(s7ObjectKey(0x83, 0, 0, TS_BIT, 129)).toBe('M0.0[129]');
    expect(s7ObjectKey(0x84, 2, 0, TS_WORD, 0)).toBe('DB2.DBW0[0]');
  });

  test('formatS7ObjectKey(every area and transport size) renders the ANY pointer as engineers write it', () => {
    const f = (area: number, db: number, byte: number, bit: number, size: number, count = 1): string => formatS7ObjectKey(s7ObjectKey(area, db, byte * 8 + bit, size, count));
    expect(f(0x84, 10, 4, 0, TS_BIT)).toBe('DB10.DBX4.0');
    expect(f(0x83, 0, 100, 3, TS_BIT)).toBe('M100.3');
    expect(f(0x81, 0, 0, 1, TS_BIT)).toBe('I0.1');
    expect(f(0x82, 0, 2, 0, TS_BIT)).toBe('Q2.0');
    expect(f(0x84, 10, 4, 0, TS_BYTE)).toBe('DB10.DBB4');
    expect(f(0x83, 0, 100, 0, TS_BYTE)).toBe('MB100');
    expect(f(0x81, 0, 0, 0, TS_BYTE)).toBe('IB0');
    expect(f(0x82, 0, 2, 0, 0x03)).toBe('QB2'); // CHAR
    expect(f(0x84, 10, 4, 0, TS_WORD)).toBe('DB10.DBW4');
    expect(f(0x83, 0, 100, 0, 0x05)).toBe('MW100'); // INT
    expect(f(0x81, 0, 0, 0, TS_WORD)).toBe('IW0');
    expect(f(0x84, 10, 4, 0, TS_DWORD)).toBe('DB10.DBD4');
    expect(f(0x83, 0, 100, 0, 0x08)).toBe('MD100'); // REAL
    expect(f(0x85, 3, 6, 0, 0x07)).toBe('DI3.DID6'); // DINT
    expect(f(0x86, 0, 0, 0, TS_WORD)).toBe('LW0');
    expect(f(0x80, 0, 256, 0, TS_WORD)).toBe('PW256');
    expect(formatS7ObjectKey(s7ObjectKey(0x1c, 0, 5, 0x1c, 1))).toBe('C5');
    expect(formatS7ObjectKey(s7ObjectKey(0x1d, 0, 3, 0x1d, 1))).toBe('T3');
    expect(f(0x84, 10, 0, 0, TS_BYTE, 20)).toBe('DB10.DBB0[20]');
    expect(formatS7ObjectKey(s7ObjectKey(0x1d, 0, 0, 0x1d, 8))).toBe('T0[8]');
    expect(f(0x83, 0, 1, 2, TS_BIT, 3)).toBe('M1.2[3]');
    // The DB number is part of the item only in the DB and DI areas.
    expect(f(0x83, 7, 1, 0, TS_BYTE)).toBe('MB1');
    expect(formatS7ObjectKey('DB1.DBX0.0 DATE_AND_TIME')).toBe('DB1.DBX0.0 DATE_AND_TIME');
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

  test('describeS7Object(variable, block, szl keys) renders DB10.DBX4.0, MB100, OB1, FC3, DB10 and SZL ids in their own spaces', () => {
    expect(s7comm.objectSpaces).toEqual(['variable', 'block', 'szl']);
    expect(describeS7Object(0, s7ObjectKey(0x84, 10, (4 << 3) | 0, TS_BIT, 1))).toBe('DB10.DBX4.0');
    expect(describeS7Object(0, s7ObjectKey(0x83, 0, 100 << 3, TS_BYTE, 1))).toBe('MB100');
    expect(describeS7Object(1, s7BlockKey(0x08, 1))).toBe('OB1');
    expect(describeS7Object(1, s7BlockKey(0x0c, 3))).toBe('FC3');
    expect(describeS7Object(1, s7BlockKey(0x0a, 10))).toBe('DB10');
    expect(formatS7BlockKey(s7BlockKey(0x41, 7))).toBe('block 0x41 7');
    expect(describeS7Object(2, szlKey(0x0011, 0x0001))).toBe('SZL 0x0011 index 0x0001');
    expect(formatSzlKey(szlKey(0x001c, 0))).toBe('SZL 0x001c index 0x0000');
    // No rendering is a bare number.
    for (const k of [s7ObjectKey(0x84, 1, 8, TS_BIT, 1) as number, s7BlockKey(0x0e, 99999), szlKey(0xffff, 0xffff)]) {
      for (const space of [0, 1, 2]) expect(describeS7Object(space, k)).not.toMatch(/^\d+$/);
    }
  });
});
