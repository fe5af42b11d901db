/**
 * Estimates how many distinct 32-bit values were added, in fixed memory (128 KiB), without an object
 * per value: linear counting (Whang, Vander-Zanden, Taylor, "A Linear-Time Probabilistic Counting
 * Algorithm for Database Applications", ACM TODS 1990): hash each value to one of m bits; with V the
 * fraction of bits still zero, n is about -m ln V. Exact while small (the first EXACT values are kept
 * in a Set); within about 1% up to a few million.
 */
const M = 1 << 20;
const EXACT = 4096;

export interface DistinctCounterState {
  exact: number[] | null;
  bits: Uint8Array | null;
  zero: number;
}

export class DistinctCounter {
  private readonly bits = new Uint8Array(M >>> 3);
  private zero = M;
  private exact: Set<number> | null = new Set();

  add(value: number): void {
    const v = value | 0;
    if (this.exact !== null) {
      this.exact.add(v);
      if (this.exact.size > EXACT) this.exact = null;
    }
    let h = Math.imul(v ^ (v >>> 16), 0x7feb352d);
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
    h = (h ^ (h >>> 16)) & (M - 1);
    const byte = h >>> 3;
    const bit = 1 << (h & 7);
    if ((this.bits[byte]! & bit) === 0) {
      this.bits[byte]! |= bit;
      this.zero--;
    }
  }

  /** As plain data (to carry into a later run): the values while exact, else the bitmap. */
  exportState(): DistinctCounterState {
    return this.exact !== null ? { exact: [...this.exact], bits: null, zero: this.zero } : { exact: null, bits: this.bits.slice(), zero: this.zero };
  }

  static fromState(s: DistinctCounterState): DistinctCounter {
    const c = new DistinctCounter();
    if (s.exact !== null) for (const v of s.exact) c.add(v);
    else if (s.bits !== null) {
      c.bits.set(s.bits);
      c.zero = s.zero;
      c.exact = null;
    }
    return c;
  }

  /** The number of distinct values added (exact up to 4096, estimated beyond). */
  get count(): number {
    if (this.exact !== null) return this.exact.size;
    if (this.zero === 0) return M * Math.log(M); // saturated: a lower bound of the order of 14 M
    return Math.round(-M * Math.log(this.zero / M));
  }
}
