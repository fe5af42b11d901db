import fc from 'fast-check';
import { ipv4PairShard, pairShard } from '../../src/flows/pairShard.js';

describe('pairShard', () => {
  test('pairShard(s, d, n) is symmetric in s and d, within [0, n), and equals ipv4PairShard for IPv4 words', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 64 }), (a, b, n) => {
        const s = [0, 0, 0, a];
        const d = [0, 0, 0, b];
        const k = pairShard(s, d, n);
        expect(k).toBe(pairShard(d, s, n));
        expect(k).toBeGreaterThanOrEqual(0);
        expect(k).toBeLessThan(n);
        expect(ipv4PairShard(a, b, n)).toBe(k);
      }),
      { numRuns: 300, seed: 62443 },
    );
  });

  test('pairShard(many pairs, 3) spreads them over every shard', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[pairShard([0, 0, 0, 0x0a000000 + i], [0, 0, 0, 0x0a140001], 3)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(700);
  });
});
