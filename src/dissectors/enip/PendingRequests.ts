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

export class PendingRequests {
  private readonly kind = new Uint8Array(SLOTS);
  private readonly keyA = new Uint32Array(SLOTS);
  private readonly keyB = new Uint32Array(SLOTS);
  private readonly age = new Float64Array(SLOTS);
  private readonly count = new Uint8Array(SLOTS);
  private readonly service = new Uint8Array(SLOTS * PER_SLOT);
  private readonly classId = new Int32Array(SLOTS * PER_SLOT);
  private clock = 0;
  /** Slot being recorded (a request being decoded), -1 if none. */
  private rec = -1;
  /** Slot being matched (a reply being decoded), -1 if none; pos = next entry to search from. */
  private cur = -1;
  private pos = 0;

  /** Starts recording a request (evicts the oldest outstanding one when full). */
  begin(kind: number, a: number, b: number): void {
    let slot = -1;
    let oldest = Infinity;
    for (let i = 0; i < SLOTS; i++) {
      if (this.kind[i] === 0) {
        slot = i;
        break;
      }
      if (this.age[i]! < oldest) {
        oldest = this.age[i]!;
        slot = i;
      }
    }
    this.kind[slot] = kind;
    this.keyA[slot] = a >>> 0;
    this.keyB[slot] = b >>> 0;
    this.age[slot] = ++this.clock;
    this.count[slot] = 0;
    this.rec = slot;
  }

  /** Records one service of the request being decoded (in decoding order). */
  push(service: number, classId: number): void {
    const s = this.rec;
    if (s < 0) return;
    const n = this.count[s]!;
    if (n >= PER_SLOT) return;
    this.service[s * PER_SLOT + n] = service;
    this.classId[s * PER_SLOT + n] = classId;
    this.count[s] = n + 1;
  }

  end(): void {
    if (this.rec >= 0 && this.count[this.rec] === 0) this.kind[this.rec] = 0;
    this.rec = -1;
  }

  /** Finds the oldest outstanding request with this key for the reply about to be decoded. */
  match(kind: number, a: number, b: number): boolean {
    let slot = -1;
    let oldest = Infinity;
    const ka = a >>> 0;
    const kb = b >>> 0;
    for (let i = 0; i < SLOTS; i++) {
      if (this.kind[i] === kind && this.keyA[i] === ka && this.keyB[i] === kb && this.age[i]! < oldest) {
        oldest = this.age[i]!;
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
    const n = this.count[s]!;
    for (let i = this.pos; i < n; i++) {
      if (this.service[s * PER_SLOT + i] === service) {
        this.pos = i + 1;
        return this.classId[s * PER_SLOT + i]!;
      }
    }
    return -1;
  }

  /** Forgets the matched request (its reply has been decoded). */
  release(): void {
    if (this.cur >= 0) this.kind[this.cur] = 0;
    this.cur = -1;
  }

  /** Number of outstanding requests (for tests). */
  outstanding(): number {
    let n = 0;
    for (let i = 0; i < SLOTS; i++) if (this.kind[i] !== 0) n++;
    return n;
  }
}
