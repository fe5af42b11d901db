import { parseTimeOption } from '../../src/design/timeWindow.js';

const last = Date.parse('2026-02-22T07:49:04Z') / 1000;

describe('parseTimeOption', () => {
  test('parseTimeOption(14d, 36h) counts back from the last record', () => {
    expect(parseTimeOption('14d', last, 'since')).toEqual({ ok: true, value: last - 14 * 86400 });
    expect(parseTimeOption('36h', last, 'since')).toEqual({ ok: true, value: last - 36 * 3600 });
  });
  test('parseTimeOption(ISO date, date-time) is UTC; a date as until means the end of that day', () => {
    expect(parseTimeOption('2026-02-01', last, 'since')).toEqual({ ok: true, value: Date.parse('2026-02-01T00:00:00Z') / 1000 });
    expect(parseTimeOption('2026-02-01T06:00:00Z', last, 'since')).toEqual({ ok: true, value: Date.parse('2026-02-01T06:00:00Z') / 1000 });
    const u = parseTimeOption('2026-02-01', last, 'until');
    expect(u.ok && u.value).toBeCloseTo(Date.parse('2026-02-02T00:00:00Z') / 1000, 3);
  });
  test('parseTimeOption(junk, or a duration with an empty baseline) explains itself', () => {
    expect(parseTimeOption('yesterday', last, 'since')).toMatchObject({ ok: false, message: expect.stringMatching(/neither an ISO 8601/) });
    expect(parseTimeOption('2026-13-45', last, 'since').ok).toBe(false);
    expect(parseTimeOption('7d', null, 'since')).toMatchObject({ ok: false, message: expect.stringMatching(/no records/) });
  });
});
