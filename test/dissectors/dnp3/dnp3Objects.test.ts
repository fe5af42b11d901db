import fc from 'fast-check';
import { RecordingSink } from '../../util/recordingSink.js';
import { describeDnp3Object, dnp3ObjectKey, OBJ_ALL, OBJ_COUNT, OBJ_INDEX, OBJ_RANGE, readDnp3Objects } from '../../../src/dissectors/dnp3/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** The rendered objects and the violations of one walk over `body`. */
function walk(body: string, hasData: boolean): { objects: string[]; violations: string[] } {
  const b = hex(body);
  const sink = new RecordingSink();
  readDnp3Objects(b, 0, b.length, hasData, true, false, sink, 0);
  return { objects: sink.objects.map((o) => describeDnp3Object(o.key)), violations: sink.violations.map((v) => `${v.code} @${v.at}`) };
}

describe('readDnp3Objects', () => {
  test('readDnp3Objects(READ class 1 2 3 0 poll) records g60v2 g60v3 g60v4 g60v1', () => {
    expect(walk('3c 02 06 3c 03 06 3c 04 06 3c 01 06', false)).toEqual({ objects: ['g60v2', 'g60v3', 'g60v4', 'g60v1'], violations: [] });
  });

  test('readDnp3Objects(READ with 1- and 2-octet start-stop and a count) records indexes and counts', () => {
    expect(walk('01 02 00 00 0f  1e 01 01 14 01 f3 01  32 01 07 01', false).objects).toEqual(['g1v2 indexes 0-15', 'g30v1 indexes 276-499', 'g50v1 count 1']);
  });

  test('readDnp3Objects(SELECT of two CROBs with 1-octet index prefixes) records g12v1 index 3 and index 7, skipping the 11-byte objects', () => {
    const crob = '01 01 e8 03 00 00 00 00 00 00 00';
    expect(walk(`0c 01 17 02 03 ${crob} 07 ${crob}  29 02 28 01 00 05 00 64 00 00`, true)).toEqual({
      objects: ['g12v1 index 3', 'g12v1 index 7', 'g41v2 index 5'],
      violations: [],
    });
  });

  test('readDnp3Objects(a response of packed bits, then analog inputs) finds the second header after ceil(n / 8) bytes', () => {
    expect(walk('01 01 00 00 09 ff 01  1e 02 00 00 01 01 00 00 01 00 00', true)).toEqual({ objects: ['g1v1 indexes 0-9', 'g30v2 indexes 0-1'], violations: [] });
  });

  test('readDnp3Objects(WRITE of a file open with a size prefix) records g70v3 count 1 and steps over the sized object', () => {
    expect(walk('46 03 5b 01 04 00 aa bb cc dd  50 01 00 07 07 00', true)).toEqual({ objects: ['g70v3 count 1', 'g80v1 indexes 7-7'], violations: [] });
  });

  test('readDnp3Objects(cut, reserved or reversed headers) is DNP3_OBJECT_TRUNCATED, DNP3_BAD_QUALIFIER, DNP3_BAD_RANGE at the byte', () => {
    expect(walk('3c 01', false).violations).toEqual(['DNP3_OBJECT_TRUNCATED @0']);
    expect(walk('3c 01 06 01 02 01 00', false)).toEqual({ objects: ['g60v1'], violations: ['DNP3_OBJECT_TRUNCATED @6'] });
    expect(walk('01 02 0a', false).violations).toEqual(['DNP3_BAD_QUALIFIER @2']);
    expect(walk('01 02 76', false).violations).toEqual(['DNP3_BAD_QUALIFIER @2']);
    expect(walk('01 02 00 05 03', false).violations).toEqual(['DNP3_BAD_RANGE @3']);
    expect(walk('0c 01 17 01 03 01 01', true)).toEqual({ objects: ['g12v1 index 3'], violations: ['DNP3_OBJECT_TRUNCATED @5'] });
    expect(walk('1e 01 00 00 03 00', true).violations).toEqual(['DNP3_OBJECT_TRUNCATED @5']);
  });

  test('readDnp3Objects(an object of unknown size) records its header and stops quietly', () => {
    expect(walk('00 f0 00 00 00 01 02 03  3c 01 06', true)).toEqual({ objects: ['g0v240 indexes 0-0'], violations: [] });
  });
});

describe('dnp3ObjectKey', () => {
  test('dnp3ObjectKey(kind, group, variation, a, b) is a number below 2^48 that renders back, or the rendering itself when too wide', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0x7fff }), fc.integer({ min: 0, max: 0x7fff }), (g, v, a, b) => {
        for (const [kind, want] of [
          [OBJ_ALL, `g${g}v${v}`],
          [OBJ_RANGE, `g${g}v${v} indexes ${a}-${b}`],
          [OBJ_INDEX, `g${g}v${v} index ${a}`],
          [OBJ_COUNT, `g${g}v${v} count ${a}`],
        ] as const) {
          const key = dnp3ObjectKey(kind, g, v, a, b);
          expect(typeof key === 'number' && key < 2 ** 48 && Number.isSafeInteger(key)).toBe(true);
          expect(describeDnp3Object(key)).toBe(want);
        }
      }),
      { numRuns: 300, seed: 62443 },
    );
    expect(dnp3ObjectKey(OBJ_RANGE, 30, 1, 0, 70000)).toBe('g30v1 indexes 0-70000');
    expect(dnp3ObjectKey(OBJ_INDEX, 12, 1, 2 ** 31, 0)).toBe('g12v1 index 2147483648');
    expect(dnp3ObjectKey(OBJ_RANGE, 1, 2, 1, 2)).not.toBe(dnp3ObjectKey(OBJ_RANGE, 1, 2, 2, 1));
  });
});
