/**
 * Sharding for parallel aggregation of one capture: every connection between two hosts (an ENIP
 * Forward Open and its class-1 I/O too) falls in one shard, so the shards' batches merge by plain
 * addition (mergeBatches.ts).
 *
 * Each address word is mixed on its own (murmur3's finaliser) before the two sides are combined by
 * XOR (symmetric in source and destination). Combining the raw addresses first would put every pair
 * with the same XOR in one shard: plants repeat one cell layout, so SCADA-to-PLC pairs of every cell
 * (10.10.4.10 -> 10.10.5.20, 10.10.8.10 -> 10.10.9.20, ...) would all land together.
 */

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** A 32-bit hash to a shard, with integer math (a uint32 % n would be a floating-point modulo in V8). */
function reduce(h: number, shards: number): number {
  return ((h >>> 16) * shards) >>> 16;
}

/** The shard of an unordered address pair (4 words each, IPv4 in word 3; fmix(0) = 0, so IPv4 agrees with ipv4PairShard). */
export function pairShard(s: Uint32Array | number[], d: Uint32Array | number[], shards: number): number {
  const h =
    fmix(s[3]!) ^ fmix(d[3]!) ^ Math.imul(fmix(s[2]!) ^ fmix(d[2]!), 0x27d4eb2d) ^ Math.imul(fmix(s[1]!) ^ fmix(d[1]!), 0x165667b1) ^
    Math.imul(fmix(s[0]!) ^ fmix(d[0]!), 0x9e3779b1);
  return reduce(h, shards);
}

/** pairShard of two IPv4 addresses (as unsigned 32-bit numbers). */
export function ipv4PairShard(a: number, b: number, shards: number): number {
  return reduce(fmix(a) ^ fmix(b), shards);
}
