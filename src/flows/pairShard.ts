/**
 * Sharding for parallel aggregation of one capture: every connection between two hosts (an ENIP
 * Forward Open and its class-1 I/O too) falls in one shard, so the shards' batches merge by plain
 * addition (mergeBatches.ts).
 */

/**
 * The shard of an unordered address pair (4 words each, IPv4 in word 3). XOR makes it symmetric in
 * source and destination.
 */
export function pairShard(s: Uint32Array | number[], d: Uint32Array | number[], shards: number): number {
  let h = (s[3]! ^ d[3]!) ^ Math.imul(s[2]! ^ d[2]!, 0x27d4eb2d) ^ Math.imul(s[1]! ^ d[1]!, 0x165667b1) ^ (s[0]! ^ d[0]!);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= h >>> 13;
  // Range reduction with integer math: a uint32 % n would be a floating-point modulo in V8.
  return ((h >>> 16) * shards) >>> 16;
}

/** pairShard of two IPv4 addresses (as unsigned 32-bit numbers). */
export function ipv4PairShard(a: number, b: number, shards: number): number {
  let h = a ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= h >>> 13;
  return ((h >>> 16) * shards) >>> 16;
}
