import { UsageError } from '../../src/cli/commands/command.js';
import { parseTimeOption } from '../../src/cli/timeOption.js';

describe('parseTimeOption', () => {
  const last = Date.UTC(2026, 1, 22, 12) / 1000;
  test('parseTimeOption(date | date-time | duration) gives unix seconds; a date as --until means its end', () => {
    expect(parseTimeOption('since', '2026-02-01', last)).toBe(Date.UTC(2026, 1, 1) / 1000);
    expect(parseTimeOption('until', '2026-02-01', last, true)).toBeCloseTo(Date.UTC(2026, 1, 2) / 1000, 3);
    expect(parseTimeOption('since', '2026-02-01T06:00:00Z', last)).toBe(Date.UTC(2026, 1, 1, 6) / 1000);
    expect(parseTimeOption('since', '14d', last)).toBe(last - 14 * 86400);
    expect(parseTimeOption('since', '36h', last)).toBe(last - 36 * 3600);
    expect(parseTimeOption('since', '14d', null)).toBeUndefined();
  });

  test('parseTimeOption(anything else) is a usage error naming the option', () => {
    for (const bad of ['yesterday', '2026-13-01', '2026-02-01 06:00', '5w']) expect(() => parseTimeOption('since', bad, last)).toThrow(UsageError);
    expect(() => parseTimeOption('until', 'soon', last)).toThrow("--until 'soon': expected");
  });
});
