/**
 * Sharding for parallel aggregation of one capture: every connection between two hosts (an ENIP
 * Forward Open and its class-1 I/O too) falls in one shard, so the shards' batches merge by plain
 * addition (mergeBatches.ts).
 *
 * Each address is hashed on its own and the two hashes added (symmetric in source and destination).
 * Combining the raw addresses first (their XOR) is not enough: a plant that repeats one cell layout
 * under several prefixes (10.1.x.y, 10.2.x.y, ...) gives the same XOR for the same pair of every cell,
 * so whole classes of pairs landed in one shard (62 % of a plant capture's bytes in one of two).
 */

/** murmur3's 32-bit finaliser: every input bit moves every output bit. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The hash of an address's words 0-2 when they are zero (an IPv4 address in word 3). */
const ZERO_PREFIX = mix(mix(mix(0)));

function addrHash(w: Uint32Array | number[]): number {
  return mix(w[3]! ^ mix(w[2]! ^ mix(w[1]! ^ mix(w[0]!))));
}

/** Range reduction with integer math (a uint32 % n would be a floating-point modulo in V8). */
function reduce(h: number, shards: number): number {
  return ((h >>> 16) * shards) >>> 16;
}

/** The shard of an unordered address pair (4 words each, IPv4 in word 3). */
export function pairShard(s: Uint32Array | number[], d: Uint32Array | number[], shards: number): number {
  return reduce(mix((addrHash(s) + addrHash(d)) | 0), shards);
}

/** pairShard of two IPv4 addresses (as unsigned 32-bit numbers). */
export function ipv4PairShard(a: number, b: number, shards: number): number {
  return reduce(mix((mix(a ^ ZERO_PREFIX) + mix(b ^ ZERO_PREFIX)) | 0), shards);
}
