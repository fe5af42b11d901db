import fc from 'fast-check';
import { evenSplit, ipv4PairShard, ipv4PairShardIn, pairShard, pairShardIn, weightedSplit } from '../../src/flows/pairShard.js';

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

  test('pairShardIn(s, d, evenSplit(n)) is pairShard(s, d, n), and ipv4PairShardIn agrees with pairShardIn', () => {
    const weighted = weightedSplit([0.6, 1, 1]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 64 }), (a, b, n) => {
        const s = [0, 0, 0, a];
        const d = [0, 0, 0, b];
        expect(pairShardIn(s, d, evenSplit(n))).toBe(pairShard(s, d, n));
        expect(ipv4PairShardIn(a, b, weighted)).toBe(pairShardIn(d, s, weighted));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  test('weightedSplit([0.6, 1]) gives shard 0 about 0.6 / 1.6 of the pairs, and ends at 65536', () => {
    const split = weightedSplit([0.6, 1]);
    expect(split).toEqual([24576, 65536]);
    const counts = [0, 0];
    for (let i = 0; i < 16000; i++) counts[pairShardIn([0, 0, 0, 0x0a000000 + i], [0, 0, 0, 0x0a140001], split)]!++;
    expect(counts[0]! / 16000).toBeCloseTo(0.375, 1);
  });

  test('pairShard spreads a plant that repeats one cell layout: the same pair of 40 cells falls in both shards', () => {
    // 10.<cell>.1.10 <-> 10.<cell>.1.20 in every cell: the XOR of the addresses is the same for all.
    const counts = [0, 0];
    for (let cell = 1; cell <= 40; cell++) counts[ipv4PairShard(((10 << 24) | (cell << 16) | (1 << 8) | 10) >>> 0, ((10 << 24) | (cell << 16) | (1 << 8) | 20) >>> 0, 2)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(10);
  });
});
