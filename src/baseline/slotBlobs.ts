/**
 * The blob form of counts kept in slots (hours of a day: hourBlobs.ts; days of a 32-day block:
 * functionDayBlobs.ts): a little-endian presence mask of ceil(slots / 8) bytes (bit s = slot s), then
 * for each present slot in ascending order its `width` counters, each an unsigned LEB128 varint (whole
 * numbers 0 to 2^53 - 1). A slot is present when a delta had it, even with counts of 0. The form is
 * canonical: the same slots give the same bytes, so blobs added in any order are byte-identical.
 *
 * A codec holds one set of slots being packed (clear, add, pack) and one blob decoded (decode, read);
 * it is never re-entered (SQLite calls a registered function synchronously, between statements).
 */

/** Counters and slots of one kind of blob. */
export class SlotBlobs {
  readonly slots: number;
  readonly width: number;
  readonly maskBytes: number;
  /** The slots being packed: presence mask and counters (values[slot * width + k]). */
  mask = 0;
  readonly values: Float64Array;
  /** The counters of the blob last decoded (read[slot * width + k]). */
  readonly read: Float64Array;
  private readonly scratch: Buffer;
  /** what the blobs are, for messages (`the hours of a flow_day_hours row`) */
  private readonly what: string;

  constructor(slots: number, width: number, what: string) {
    if (slots > 32) throw new RangeError('a slot mask holds at most 32 slots');
    this.slots = slots;
    this.width = width;
    this.what = what;
    this.maskBytes = Math.ceil(slots / 8);
    this.values = new Float64Array(slots * width);
    this.read = new Float64Array(slots * width);
    this.scratch = Buffer.alloc(this.maskBytes + slots * width * 8);
  }

  clear(): void {
    this.mask = 0;
    this.values.fill(0);
  }

  /** Add counters to a slot (a, b and, for width 3, c), marking it present. */
  add(slot: number, a: number, b: number, c = 0): void {
    if (!(Number.isInteger(slot) && slot >= 0 && slot < this.slots)) throw new RangeError(`a slot of ${this.what} is 0 to ${this.slots - 1}, not ${slot}`);
    this.mask = (this.mask | (1 << slot)) >>> 0;
    const v = this.values;
    const at = slot * this.width;
    v[at] = v[at]! + a;
    v[at + 1] = v[at + 1]! + b;
    if (this.width > 2) v[at + 2] = v[at + 2]! + c;
  }

  /** The slots held as a new blob. */
  pack(): Buffer {
    const s = this.scratch;
    let at = 0;
    for (; at < this.maskBytes; at++) s[at] = (this.mask >>> (8 * at)) & 0xff;
    for (let slot = 0; slot < this.slots; slot++) {
      if ((this.mask & (1 << slot)) === 0) continue;
      for (let k = 0; k < this.width; k++) {
        let v = this.values[slot * this.width + k]!;
        if (!(Number.isSafeInteger(v) && v >= 0)) throw new RangeError(`counts of ${this.what} are whole numbers from 0 to 2^53 - 1, not ${v}`);
        if (v < 0x80000000) {
          // 31 bits: shifts (the usual count; half the time of the division below)
          while (v >= 0x80) {
            s[at++] = (v & 0x7f) | 0x80;
            v >>>= 7;
          }
        } else {
          while (v >= 0x80) {
            s[at++] = (v % 0x80) | 0x80;
            v = Math.floor(v / 0x80);
          }
        }
        s[at++] = v;
      }
    }
    const out = Buffer.allocUnsafe(at);
    s.copy(out, 0, 0, at);
    return out;
  }

  /**
   * Decode a blob into `read` (by slot); returns its mask (0 to 2^32 - 1), or -1 when `blob` is not a
   * blob of this form (a value put in with SQL, a damaged one).
   */
  decode(blob: unknown): number {
    if (!(blob instanceof Uint8Array) || blob.length < this.maskBytes) return -1;
    let mask = 0;
    for (let i = 0; i < this.maskBytes; i++) mask += blob[i]! * 2 ** (8 * i);
    if (mask >= 2 ** this.slots) return -1;
    let at = this.maskBytes;
    for (let slot = 0; slot < this.slots; slot++) {
      if ((mask & (1 << slot)) === 0) continue;
      for (let k = 0; k < this.width; k++) {
        let v = 0;
        let scale = 1;
        for (let i = 0; ; i++) {
          if (at >= blob.length || i === 8) return -1;
          const b = blob[at++]!;
          v += (b & 0x7f) * scale;
          scale *= 0x80;
          if ((b & 0x80) === 0) break;
        }
        if (!Number.isSafeInteger(v)) return -1;
        this.read[slot * this.width + k] = v;
      }
    }
    return at === blob.length ? mask : -1;
  }

  /** The slots of blob `a` and blob `b` added up (slots of either; counters summed); throws on a damaged blob. */
  addBlobs(a: unknown, b: unknown, fn: string): Buffer {
    this.clear();
    for (const [blob, which] of [[a, 'stored'], [b, 'incoming']] as const) {
      const mask = this.decode(blob);
      if (mask < 0) throw new Error(`${fn}: the ${which} value is not ${this.what} (src/baseline/slotBlobs.ts)`);
      const r = this.read;
      const w = this.width;
      for (let slot = 0; slot < this.slots; slot++) {
        if ((mask & (1 << slot)) !== 0) this.add(slot, r[slot * w]!, r[slot * w + 1]!, w > 2 ? r[slot * w + 2]! : 0);
      }
    }
    return this.pack();
  }

  /** A blob's slots as [slot, ...counters] (tests, migration checks); null when it is not one. */
  unpack(blob: unknown): number[][] | null {
    const mask = this.decode(blob);
    if (mask < 0) return null;
    const out: number[][] = [];
    for (let slot = 0; slot < this.slots; slot++) {
      if ((mask & (1 << slot)) !== 0) out.push([slot, ...this.read.subarray(slot * this.width, (slot + 1) * this.width)]);
    }
    return out;
  }
}
