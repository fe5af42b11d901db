import { DistinctCounter } from '../../src/flows/distinctCounter.js';

describe('DistinctCounter', () => {
  test('count is exact up to 4096 distinct values, repeats ignored', () => {
    const c = new DistinctCounter();
    for (let r = 0; r < 3; r++) for (let i = 0; i < 4000; i++) c.add(0x0a000000 + i);
    expect(c.count).toBe(4000);
  });

  test.each([10_000, 200_000, 2_000_000])('count of %i distinct addresses is within 2%%', (n) => {
    const c = new DistinctCounter();
    let x = 7;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0; // distinct (full-period LCG)
      c.add(x);
    }
    expect(Math.abs(c.count - n) / n).toBeLessThan(0.02);
  });
});
