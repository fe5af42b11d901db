import { Conn } from '../../src/flows/conn.js';

/** Every own field of a Conn, with a value unlike the constructor's. */
function scribble(c: Conn): void {
  const o = c as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'number') o[k] = v + 7;
    else if (typeof v === 'boolean') o[k] = !v;
    else if (typeof v === 'string') o[k] = `${v}x`;
    else if (v === null) o[k] = k === 'hours' ? [1, 2, 3] : new Map([[1, 1]]);
  }
}

describe('Conn', () => {
  test('conn.reset(...) leaves every field as new Conn(...) does (a reused connection carries nothing over)', () => {
    const fresh = new Conn(5, 4, 502, 40000, 6, false, 1_767_600_100);
    const reused = new Conn(1, 6, 1, 2, 17, true, 1_700_000_000);
    reused.count(true, 60, 1_700_000_001);
    reused.count(false, 60, 1_700_004_000);
    scribble(reused);
    reused.reset(5, 4, 502, 40000, 6, false, 1_767_600_100);
    // A reused hours list is kept empty (its storage is reused); a new one is null until needed.
    const { hours, ...rest } = reused as unknown as Record<string, unknown>;
    const { hours: freshHours, ...freshRest } = fresh as unknown as Record<string, unknown>;
    expect(freshHours).toBeNull();
    expect(hours).toEqual([]);
    expect(rest).toEqual(freshRest);
  });

  test('conn.count(...) splits hours and days, and counts each side', () => {
    const c = new Conn(0, 4, 1, 2, 6, true, 7200);
    c.count(true, 100, 7200);
    c.count(false, 50, 7300);
    c.count(true, 10, 3 * 3600 + 1);
    expect([c.pktsA, c.pktsB, c.bytesA, c.bytesB]).toEqual([2, 1, 110, 50]);
    expect(c.hours).toEqual([2, 2, 150]);
    expect([c.hour, c.hourPkts, c.hourBytes]).toEqual([3, 1, 10]);
  });
});
