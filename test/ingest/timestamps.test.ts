import {
  isDateTime,
  isoTime,
  isPlausibleTime,
  isResumeTime,
  MAX_DATE_SEC,
  pcapngTime,
  PLAUSIBLE_FROM_SEC,
  PLAUSIBLE_UNTIL_SEC,
  tsResolution,
  type TimeOut,
} from '../../src/ingest/timestamps.js';

test('isDateTime(sec, nsec) accepts what a Date holds and nothing else', () => {
  expect(isDateTime(0, 0)).toBe(true);
  expect(isDateTime(-1, 999999999)).toBe(true);
  expect(isDateTime(MAX_DATE_SEC - 1, 999999999)).toBe(true);
  expect(Number.isNaN(new Date((MAX_DATE_SEC - 1) * 1000 + 999).getTime())).toBe(false);
  for (const [sec, nsec] of [
    [MAX_DATE_SEC, 0],
    [-MAX_DATE_SEC, 0],
    [2 ** 60, 0],
    [1.5, 0],
    [NaN, 0],
    [Infinity, 0],
    [0, 1e9],
    [0, -1],
    [0, 0.5],
  ]) {
    expect([sec, nsec, isDateTime(sec, nsec)]).toEqual([sec, nsec, false]);
  }
});

test('isPlausibleTime(sec) is true in [1990, 2100) only; isoTime renders a date or falls back to seconds', () => {
  expect(isPlausibleTime(PLAUSIBLE_FROM_SEC)).toBe(true);
  expect(isPlausibleTime(PLAUSIBLE_FROM_SEC - 1)).toBe(false);
  expect(isPlausibleTime(PLAUSIBLE_UNTIL_SEC - 1)).toBe(true);
  expect(isPlausibleTime(PLAUSIBLE_UNTIL_SEC)).toBe(false);
  expect(isoTime(PLAUSIBLE_FROM_SEC)).toBe('1990-01-01T00:00:00.000Z');
  expect(isoTime(PLAUSIBLE_UNTIL_SEC)).toBe('2100-01-01T00:00:00.000Z');
  expect(isoTime(1e15)).toBe('1000000000000000 s');
});

test('isResumeTime(sec, prevSec) keeps within a day of the last good time, or inside 1990..2100 before any', () => {
  expect(isResumeTime(1700000000, 1700000000 + 86400)).toBe(true);
  expect(isResumeTime(1700000000, 1700000000 + 86401)).toBe(false);
  expect(isResumeTime(5, 7)).toBe(true); // a 1970 capture resyncs near its own times
  expect(isResumeTime(5, NaN)).toBe(false);
  expect(isResumeTime(1700000000, NaN)).toBe(true);
  expect(isResumeTime(2 ** 60, 2 ** 60)).toBe(false);
});

test('tsResolution(if_tsresol) decodes powers of 10 and 2, and refuses units no 64-bit count can mean', () => {
  expect(tsResolution(6)).toEqual({ kind: 0, units: 1e6, mul: 1000 });
  expect(tsResolution(9)).toEqual({ kind: 0, units: 1e9, mul: 1 });
  expect(tsResolution(0x80 | 20)).toEqual({ kind: 1, units: 2 ** 20, mul: 20 });
  expect(tsResolution(12)?.kind).toBe(2);
  expect(tsResolution(0x80 | 40)?.kind).toBe(2);
  expect(tsResolution(20)).toBeNull();
  expect(tsResolution(0x7f)).toBeNull();
  expect(tsResolution(0x80 | 64)).toBeNull();
});

/** Reference: exact BigInt conversion of units to (sec, floor ns). */
function reference(t: bigint, resol: number, offset: number): [number, number] {
  const n = BigInt(resol & 0x7f);
  const units = (resol & 0x80) !== 0 ? 1n << n : 10n ** n;
  return [Number(t / units) + offset, Number(((t % units) * 1000000000n) / units)];
}

test('pcapngTime(hi, lo) equals the exact BigInt conversion for every resolution kind, with and without if_tsoffset', () => {
  const out: TimeOut = { tsSec: 0, tsNsec: 0 };
  let x = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < 2000; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    const resol = [0, 1, 3, 6, 9, 0x80, 0x80 | 10, 0x80 | 20, 0x80 | 32, 12, 0x80 | 40][i % 11];
    const t = resol === 9 || resol === 12 || resol === (0x80 | 32) || resol === (0x80 | 40) ? x : x >> BigInt(i % 40);
    const offset = i % 3 === 0 ? 86400 : 0;
    pcapngTime(Number(t >> 32n), Number(t & 0xffffffffn), tsResolution(resol)!, offset, out);
    const [sec, nsec] = reference(t, resol, offset);
    if (Number.isSafeInteger(sec)) expect([resol, t, out.tsSec, out.tsNsec]).toEqual([resol, t, sec, nsec]);
    else expect(isDateTime(out.tsSec, out.tsNsec)).toBe(false);
  }
});
