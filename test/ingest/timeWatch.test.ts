import type { Severity } from '../../src/diagnostics.js';
import { TimeWatch } from '../../src/ingest/timeWatch.js';

function watch(): { w: TimeWatch; seen: Array<[string, Severity, number | undefined, number | undefined]> } {
  const seen: Array<[string, Severity, number | undefined, number | undefined]> = [];
  return { w: new TimeWatch((code, severity, _m, frame, offset) => seen.push([code, severity, frame, offset])), seen };
}

test('TimeWatch.odd(1970, 1980 and 2200 times) warns once per kind at the first, then one note with the count at finish()', () => {
  const { w, seen } = watch();
  w.odd(0, 5, NaN, 1, 24);
  w.odd(0, 315532800, 1700000000, 3, 200); // 1980: implausible, and far back
  w.odd(0, 7258118400, 315532800, 4, 300);
  expect(seen).toEqual([
    ['CAPTURE_IMPLAUSIBLE_TIME', 'warning', 1, 24],
    ['CAPTURE_TIME_BACKWARDS', 'warning', 3, 200],
  ]);
  expect(w.last(0)).toBe(7258118400);
  w.finish();
  expect(seen.slice(2)).toEqual([['CAPTURE_IMPLAUSIBLE_TIME', 'note', 1, 24]]);
});

test('TimeWatch.odd(a plausible time exactly a day back) says nothing: only more than a day back is far', () => {
  const { w, seen } = watch();
  w.odd(1, 1700000000 - 86400, 1700000000, 7, 0);
  w.odd(1, 1700000000 - 2 * 86400 - 1, 1700000000 - 86400, 8, 40);
  expect(seen).toEqual([['CAPTURE_TIME_BACKWARDS', 'warning', 8, 40]]);
  expect(Number.isNaN(w.last(0))).toBe(true);
  w.setLast(0, 5);
  expect(w.last(0)).toBe(5);
  w.finish();
  expect(seen).toHaveLength(1);
});
