/**
 * Bounded per-connection memory of outstanding CIP requests, so that replies whose meaning
 * depends on the request can be decoded: object-specific reply codes need the class of the request
 * (0xD2 answers Unconnected Send on the Connection Manager or Read Tag Fragmented on a tag), Unconnected
 * Send replies carry the embedded reply directly, and Multiple Service Packet replies list their
 * embedded replies in request order (CIP Vol. 1 2-4 "Message Router", 3-5.5.2, A-4.10).
 * Requests are keyed by the encapsulation sender context (SendRRData, Vol. 2 2-3.3 "the sender
 * context is echoed in the reply") or by the connected sequence count (SendUnitData, Vol. 2 3-2.2).
 * Typed arrays only: nothing is allocated per PDU.
 */

export const PENDING_RR = 1;
export const PENDING_UNIT = 2;

const SLOTS = 16;
const PER_SLOT = 32;
// One Int32Array per connection (typed arrays cost most to create, not to use): per slot its kind,
// key words, age and entry count, then per slot PER_SLOT services and PER_SLOT class ids.
const KIND = 0;
const KEY_A = SLOTS;
const KEY_B = 2 * SLOTS;
const AGE = 3 * SLOTS;
const COUNT = 4 * SLOTS;
const SERVICE = 5 * SLOTS;
const CLASS = SERVICE + SLOTS * PER_SLOT;
const WORDS = CLASS + SLOTS * PER_SLOT;
/** Ages are renumbered (keeping their order) before the clock leaves the int32 range. */
const CLOCK_LIMIT = 0x3fffffff;

export class PendingRequests {
  private readonly t = new Int32Array(WORDS);
  private clock = 0;
  /** Slot being recorded (a request being decoded), -1 if none. */
  private rec = -1;
  /** Slot being matched (a reply being decoded), -1 if none; pos = next entry to search from. */
  private cur = -1;
  private pos = 0;

  /** Starts recording a request (evicts the oldest outstanding one when full). */
  begin(kind: number, a: number, b: number): void {
    const t = this.t;
    let slot = -1;
    let oldest = Infinity;
    for (let i = 0; i < SLOTS; i++) {
      if (t[KIND + i] === 0) {
        slot = i;
        break;
      }
      if (t[AGE + i]! < oldest) {
        oldest = t[AGE + i]!;
        slot = i;
      }
    }
    if (this.clock >= CLOCK_LIMIT) this.renumber();
    t[KIND + slot] = kind;
    t[KEY_A + slot] = a | 0;
    t[KEY_B + slot] = b | 0;
    t[AGE + slot] = ++this.clock;
    t[COUNT + slot] = 0;
    this.rec = slot;
  }

  /** Records one service of the request being decoded (in decoding order). */
  push(service: number, classId: number): void {
    const s = this.rec;
    if (s < 0) return;
    const t = this.t;
    const n = t[COUNT + s]!;
    if (n >= PER_SLOT) return;
    t[SERVICE + s * PER_SLOT + n] = service & 0xff;
    t[CLASS + s * PER_SLOT + n] = classId;
    t[COUNT + s] = n + 1;
  }

  end(): void {
    if (this.rec >= 0 && this.t[COUNT + this.rec] === 0) this.t[KIND + this.rec] = 0;
    this.rec = -1;
  }

  /** Finds the oldest outstanding request with this key for the reply about to be decoded. */
  match(kind: number, a: number, b: number): boolean {
    const t = this.t;
    let slot = -1;
    let oldest = Infinity;
    const ka = a | 0;
    const kb = b | 0;
    for (let i = 0; i < SLOTS; i++) {
      if (t[KIND + i] === kind && t[KEY_A + i] === ka && t[KEY_B + i] === kb && t[AGE + i]! < oldest) {
        oldest = t[AGE + i]!;
        slot = i;
      }
    }
    this.cur = slot;
    this.pos = 0;
    return slot >= 0;
  }

  /** Class id of the next request entry for reply service `service` (no 0x80 bit), -1 if unknown. */
  classFor(service: number): number {
    const s = this.cur;
    if (s < 0) return -1;
    const t = this.t;
    const n = t[COUNT + s]!;
    for (let i = this.pos; i < n; i++) {
      if (t[SERVICE + s * PER_SLOT + i] === service) {
        this.pos = i + 1;
        return t[CLASS + s * PER_SLOT + i]!;
      }
    }
    return -1;
  }

  /** Forgets the matched request (its reply has been decoded). */
  release(): void {
    if (this.cur >= 0) this.t[KIND + this.cur] = 0;
    this.cur = -1;
  }

  /** No outstanding request, as when made (a reused connection state: EnipState.reset). */
  reset(): void {
    // Only the kinds tell a slot in use; ages, keys and entries of free slots are never read.
    const t = this.t;
    for (let i = 0; i < SLOTS; i++) t[KIND + i] = 0; // a loop: fill() costs a builtin call
    this.clock = 0;
    this.rec = -1;
    this.cur = -1;
    this.pos = 0;
  }

  /** Number of outstanding requests (for tests). */
  outstanding(): number {
    let n = 0;
    for (let i = 0; i < SLOTS; i++) if (this.t[KIND + i] !== 0) n++;
    return n;
  }

  /** Ages 1..SLOTS in the same order (free slots' ages are never compared: any value). */
  private renumber(): void {
    const t = this.t;
    const order: number[] = [];
    for (let i = 0; i < SLOTS; i++) order.push(i);
    order.sort((x, y) => t[AGE + x]! - t[AGE + y]!);
    for (let r = 0; r < SLOTS; r++) t[AGE + order[r]!] = r + 1;
    this.clock = SLOTS;
  }
}
