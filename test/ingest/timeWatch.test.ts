import type { Severity } from '../../src/diagnostics.js';
import { TimeWatch } from '../../src/ingest/timeWatch.js';

function watch(): { w: TimeWatch; seen: Array<[string, Severity, number | undefined, number | undefined]> } {
  const seen: Array<[string, Severity, number | undefined, number | undefined]> = [];
  return { w: new TimeWatch((code, severity, _m, frame, offset) => seen.push([code, severity, frame, offset])), seen };
}

test('TimeWatch.check(1970, 1980 and 2200 times) warns once at the first, then one note with the count at finish()', () => {
  const { w, seen } = watch();
  w.check(0, 5, 1, 24);
  w.check(0, 1700000000, 2, 100);
  w.check(0, 315532800, 3, 200); // 1980: also far back
  w.check(0, 7258118400, 4, 300);
  expect(seen).toEqual([
    ['CAPTURE_IMPLAUSIBLE_TIME', 'warning', 1, 24],
    ['CAPTURE_TIME_BACKWARDS', 'warning', 3, 200],
  ]);
  w.finish();
  expect(seen.slice(2)).toEqual([['CAPTURE_IMPLAUSIBLE_TIME', 'note', 1, 24]]);
});

test('TimeWatch.check(two interfaces) compares each with its own previous time; newSection() forgets them', () => {
  const { w, seen } = watch();
  w.check(0, 1700000000, 1, 0);
  w.check(1, 1600000000, 2, 0);
  w.check(0, 1700000000 - 86400, 3, 0); // exactly a day back: not "far"
  expect(seen).toEqual([]);
  expect(w.last(1)).toBe(1600000000);
  w.newSection();
  expect(Number.isNaN(w.last(0))).toBe(true);
  w.check(0, 1500000000, 4, 0);
  expect(seen).toEqual([]);
  w.check(0, 1500000000 - 86401, 5, 40);
  expect(seen).toEqual([['CAPTURE_TIME_BACKWARDS', 'warning', 5, 40]]);
  w.finish();
  expect(seen).toHaveLength(1);
});
