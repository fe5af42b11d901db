/**
 * Open-addressing hash table from a bidirectional 5-tuple (IP version, two addresses as 4 words each,
 * two ports, L4 protocol) to a small integer slot. Keys live in typed arrays, so a lookup allocates
 * nothing; linear probing with backward-shift deletion (no tombstones), so a table that churns
 * through millions of short connections (a port scan) never degrades.
 *
 * The key is canonical: side A is the (address, port) that compares lower, so both directions of a
 * connection find the same slot. lookup() reports which side sent the packet in `fromA`.
 *
 * Slots are dense (a removed slot is handed out again first), so the slot arrays grow only when every
 * slot is taken, and the buckets, twice as many, are then at most half full: 100,000 live connections
 * fit in 131,072 slots (6.5 MB), not the 262,144 a 75 % load limit on the slots took (13 MB).
 */

const EMPTY = -1;
const WORDS = 8; // 4 words for A's address, 4 for B's

export class ConnTable {
  private mask: number;
  /** slot index per bucket, EMPTY when free */
  private buckets: Int32Array;
  /** per slot: key words, ports (A << 16 | B), proto/version, bucket position */
  private addr: Uint32Array;
  private ports: Uint32Array;
  private protoVer: Uint16Array;
  private hashes: Uint32Array;
  private freeSlots: number[] = [];
  private nextSlot = 0;
  private capacity: number;
  size = 0;
  /** Slot of the last successful lookup (a one-entry cache), -1 when none. */
  private lastSlot = -1;

  /** After lookup()/insert(): true when the packet's source is side A of the canonical key. */
  fromA = true;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1024;
    while (cap < initialCapacity) cap <<= 1;
    this.capacity = cap;
    this.buckets = new Int32Array(cap * 2).fill(EMPTY);
    this.mask = cap * 2 - 1;
    this.addr = new Uint32Array(cap * WORDS);
    this.ports = new Uint32Array(cap);
    this.protoVer = new Uint16Array(cap);
    this.hashes = new Uint32Array(cap);
  }

  /** Number of slots ever handed out (slot indexes are < this). */
  get slotLimit(): number {
    return this.nextSlot;
  }

  /**
   * Find the slot of (src, sport) <-> (dst, dport), or EMPTY (-1). Sets `fromA`.
   * Ports are 0 for protocols without ports.
   */
  lookup(version: number, src: Uint32Array, sport: number, dst: Uint32Array, dport: number, proto: number): number {
    const aIsSrc = ConnTable.srcIsA(src, sport, dst, dport);
    this.fromA = aIsSrc;
    // Consecutive packets often belong to the same connection (a request and its response).
    const last = this.lastSlot;
    const pv = (proto << 8) | version;
    const pp = aIsSrc ? ((sport << 16) | dport) >>> 0 : ((dport << 16) | sport) >>> 0;
    if (last >= 0 && this.ports[last] === pp && this.protoVer[last] === pv && this.sameAddr(last, aIsSrc, src, dst)) return last;
    const s = this.find(version, aIsSrc, src, sport, dst, dport, proto, pv, pp);
    if (s >= 0) this.lastSlot = s;
    return s;
  }

  private find(version: number, aIsSrc: boolean, src: Uint32Array, sport: number, dst: Uint32Array, dport: number, proto: number, pv: number, pp: number): number {
    const h = aIsSrc ? hash(version, proto, src, sport, dst, dport) : hash(version, proto, dst, dport, src, sport);
    let b = h & this.mask;
    for (;;) {
      const s = this.buckets[b]!;
      if (s === EMPTY) return EMPTY;
      if (this.hashes[s] === h && this.ports[s] === pp && this.protoVer[s] === pv && this.sameAddr(s, aIsSrc, src, dst)) {
        return s;
      }
      b = (b + 1) & this.mask;
    }
  }

  /** Insert the key (must not be present; call after a failed lookup). Returns its slot. Sets `fromA`. */
  insert(version: number, src: Uint32Array, sport: number, dst: Uint32Array, dport: number, proto: number): number {
    const aIsSrc = ConnTable.srcIsA(src, sport, dst, dport);
    this.fromA = aIsSrc;
    const h = aIsSrc ? hash(version, proto, src, sport, dst, dport) : hash(version, proto, dst, dport, src, sport);
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.nextSlot++;
    if (slot >= this.capacity) this.growSlots();
    const o = slot * WORDS;
    const a = aIsSrc ? src : dst;
    const bb = aIsSrc ? dst : src;
    this.addr[o] = a[0]!;
    this.addr[o + 1] = a[1]!;
    this.addr[o + 2] = a[2]!;
    this.addr[o + 3] = a[3]!;
    this.addr[o + 4] = bb[0]!;
    this.addr[o + 5] = bb[1]!;
    this.addr[o + 6] = bb[2]!;
    this.addr[o + 7] = bb[3]!;
    this.ports[slot] = aIsSrc ? ((sport << 16) | dport) >>> 0 : ((dport << 16) | sport) >>> 0;
    this.protoVer[slot] = (proto << 8) | version;
    this.hashes[slot] = h;
    this.placeInBucket(slot, h);
    this.size++;
    return slot;
  }

  /** Remove a slot (its index may be handed out again by a later insert). */
  remove(slot: number): void {
    const h = this.hashes[slot]!;
    let b = h & this.mask;
    while (this.buckets[b] !== slot) {
      if (this.buckets[b] === EMPTY) return; // not present
      b = (b + 1) & this.mask;
    }
    // Backward-shift deletion for linear probing.
    let hole = b;
    let j = (hole + 1) & this.mask;
    for (;;) {
      const s = this.buckets[j]!;
      if (s === EMPTY) break;
      const home = this.hashes[s]! & this.mask;
      // Move s into the hole if its home is not cyclically in (hole, j].
      const inRange = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!inRange) {
        this.buckets[hole] = s;
        hole = j;
      }
      j = (j + 1) & this.mask;
    }
    this.buckets[hole] = EMPTY;
    if (this.lastSlot === slot) this.lastSlot = -1;
    this.freeSlots.push(slot);
    this.size--;
  }

  /** Port of side A / B of a slot. */
  portA(slot: number): number {
    return this.ports[slot]! >>> 16;
  }
  portB(slot: number): number {
    return this.ports[slot]! & 0xffff;
  }
  /** Copy side A's (or B's) address words into `out`. */
  addrOf(slot: number, sideA: boolean, out: Uint32Array): void {
    const o = slot * WORDS + (sideA ? 0 : 4);
    out[0] = this.addr[o]!;
    out[1] = this.addr[o + 1]!;
    out[2] = this.addr[o + 2]!;
    out[3] = this.addr[o + 3]!;
  }

  /** Canonical order: A is the lower (address words, port). */
  static srcIsA(src: Uint32Array, sport: number, dst: Uint32Array, dport: number): boolean {
    for (let i = 0; i < 4; i++) {
      const x = src[i]!;
      const y = dst[i]!;
      if (x !== y) return x < y;
    }
    return sport <= dport;
  }

  private sameAddr(slot: number, aIsSrc: boolean, src: Uint32Array, dst: Uint32Array): boolean {
    const o = slot * WORDS;
    const a = aIsSrc ? src : dst;
    const b = aIsSrc ? dst : src;
    const ad = this.addr;
    return (
      ad[o + 3] === a[3] && ad[o + 7] === b[3] && ad[o] === a[0] && ad[o + 1] === a[1] && ad[o + 2] === a[2] &&
      ad[o + 4] === b[0] && ad[o + 5] === b[1] && ad[o + 6] === b[2]
    );
  }

  private placeInBucket(slot: number, h: number): void {
    let b = h & this.mask;
    while (this.buckets[b] !== EMPTY) b = (b + 1) & this.mask;
    this.buckets[b] = slot;
  }

  private growSlots(): void {
    const cap = this.capacity * 2;
    const addr = new Uint32Array(cap * WORDS);
    addr.set(this.addr);
    this.addr = addr;
    const ports = new Uint32Array(cap);
    ports.set(this.ports);
    this.ports = ports;
    const pv = new Uint16Array(cap);
    pv.set(this.protoVer);
    this.protoVer = pv;
    const hs = new Uint32Array(cap);
    hs.set(this.hashes);
    this.hashes = hs;
    this.capacity = cap;
    this.rehash(cap * 2);
  }

  private rehash(buckets: number): void {
    const old = this.buckets;
    this.buckets = new Int32Array(buckets).fill(EMPTY);
    this.mask = buckets - 1;
    for (let i = 0; i < old.length; i++) {
      const s = old[i]!;
      if (s !== EMPTY) this.placeInBucket(s, this.hashes[s]!);
    }
  }
}

/**
 * The key's hash: each word mixed in as h = rotl13(imul(h ^ x, 0x9e3779b1)), then a final avalanche.
 * Written out (the IPv6 words in hashV6Words) so that hash() stays small: find() and insert() inline
 * it whole, where a helper call per word would not be inlined (V8's inlining budget runs out).
 */
function hash(version: number, proto: number, a: Uint32Array, pa: number, b: Uint32Array, pb: number): number {
  let h = (version << 8) | proto;
  h = Math.imul(h ^ a[3]!, 0x9e3779b1);
  h = (h << 13) | (h >>> 19);
  h = Math.imul(h ^ b[3]!, 0x9e3779b1);
  h = (h << 13) | (h >>> 19);
  h = Math.imul(h ^ ((pa << 16) | pb), 0x9e3779b1);
  h = (h << 13) | (h >>> 19);
  if (version === 6) h = hashV6Words(h, a, b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** hash()'s step for the upper three words of IPv6 addresses. */
function hashV6Words(h: number, a: Uint32Array, b: Uint32Array): number {
  h = Math.imul(h ^ (a[0]! ^ b[0]!), 0x9e3779b1);
  h = (h << 13) | (h >>> 19);
  h = Math.imul(h ^ (a[1]! ^ b[1]!), 0x9e3779b1);
  h = (h << 13) | (h >>> 19);
  h = Math.imul(h ^ (a[2]! ^ b[2]!), 0x9e3779b1);
  return (h << 13) | (h >>> 19);
}
