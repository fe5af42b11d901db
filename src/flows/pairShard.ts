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

/**
 * How the pair hashes are split among shards: shard i takes the pairs whose 16-bit hash (the top half
 * of the 32-bit one) is below split[i] and not below split[i - 1]; the last bound is 65536.
 */
export type ShardSplit = readonly number[];

/** `shards` equal parts (pairShard's split). */
export function evenSplit(shards: number): number[] {
  return Array.from({ length: shards }, (_, i) => Math.ceil(((i + 1) * 65536) / shards));
}

/** Parts in proportion to `weights` (e.g. a thread that also reads the capture takes less). */
export function weightedSplit(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const out = weights.map((w) => Math.round(((acc += w) / total) * 65536));
  out[out.length - 1] = 65536;
  return out;
}

function pick(h: number, split: ShardSplit): number {
  const k = h >>> 16;
  let i = 0;
  while (k >= split[i]!) i++;
  return i;
}

/** Range reduction with integer math (a uint32 % n would be a floating-point modulo in V8). */
function reduce(h: number, shards: number): number {
  return ((h >>> 16) * shards) >>> 16;
}

function pairHash(s: Uint32Array | number[], d: Uint32Array | number[]): number {
  return mix((addrHash(s) + addrHash(d)) | 0);
}

function ipv4PairHash(a: number, b: number): number {
  return mix((mix(a ^ ZERO_PREFIX) + mix(b ^ ZERO_PREFIX)) | 0);
}

/** The shard of an unordered address pair (4 words each, IPv4 in word 3), of `shards` equal ones. */
export function pairShard(s: Uint32Array | number[], d: Uint32Array | number[], shards: number): number {
  return reduce(pairHash(s, d), shards);
}

/** pairShard of two IPv4 addresses (as unsigned 32-bit numbers). */
export function ipv4PairShard(a: number, b: number, shards: number): number {
  return reduce(ipv4PairHash(a, b), shards);
}

/** The shard of an address pair under `split` (pairShard when the split is even). */
export function pairShardIn(s: Uint32Array | number[], d: Uint32Array | number[], split: ShardSplit): number {
  return pick(pairHash(s, d), split);
}

/** pairShardIn of two IPv4 addresses (as unsigned 32-bit numbers). */
export function ipv4PairShardIn(a: number, b: number, split: ShardSplit): number {
  return pick(ipv4PairHash(a, b), split);
}
