/**
 * Per-connection state of the s7comm dissector (shared by both directions). Allocated once per
 * connection; reassembly buffers are allocated lazily (only when a connection segments) and are
 * bounded, so a hostile stream cannot grow them.
 */
import { DIR_TO_CLIENT, DIR_TO_SERVER } from '../types.js';
import { MmsState } from '../mms/decodeMmsTsdu.js';

/** Pending Jobs remembered to name the Ack that answers them (S7 allows a few parallel jobs: AmQ). */
export const PENDING_JOBS = 8;
/** Largest S7 PDU rebuilt from COTP DT segments (ISO 8073 TPDU size <= 8192; S7 PDU <= 960 classic). */
export const MAX_COTP_REASSEMBLY = 65536;
/** Largest identity SZL answer rebuilt from userdata fragments (0x001C: 10 records of 34 bytes). */
export const MAX_SZL_REASSEMBLY = 4096;

export class S7State {
  /** Ring of pending Jobs: PDU reference, function code, variant (-1 = empty slot). */
  readonly jobRef = new Int32Array(PENDING_JOBS).fill(-1);
  readonly jobFn = new Int32Array(PENDING_JOBS);
  readonly jobVariant = new Int32Array(PENDING_JOBS);
  jobNext = 0;

  /** COTP DT segments not yet completed by EOT, per direction slot (see dirSlot). */
  readonly cotpBuf: Array<Buffer | null> = [null, null, null];
  readonly cotpLen = new Int32Array(3);

  /** What the COTP TSDUs turned out to carry, once known ('s7comm-plus' for 0x72, 'mms' for ISO session SPDUs). */
  carries: string | undefined = undefined;
  /** MMS state, created at the first ISO session SPDU. */
  mms: MmsState | null = null;

  /** S7comm-plus: a PDU without trailer was seen (fragmented PDU in progress), per direction slot. */
  readonly plusFragment = new Uint8Array(3);

  /** Userdata SZL answer split over data units: collected content, length, data unit reference. */
  szlBuf: Buffer | null = null;
  szlLen = 0;
  szlRef = -1;

  rememberJob(pduRef: number, fn: number, variant: number): void {
    const i = this.jobNext;
    this.jobRef[i] = pduRef;
    this.jobFn[i] = fn;
    this.jobVariant[i] = variant;
    this.jobNext = (i + 1) % PENDING_JOBS;
  }

  /** Slot index of the Job with this PDU reference, or -1. The slot is freed. */
  takeJob(pduRef: number): number {
    for (let k = 1; k <= PENDING_JOBS; k++) {
      const i = (this.jobNext - k + PENDING_JOBS) % PENDING_JOBS;
      if (this.jobRef[i] === pduRef) {
        this.jobRef[i] = -1;
        return i;
      }
    }
    return -1;
  }
}

export function createS7State(): S7State {
  return new S7State();
}

/**
 * A state of an ended connection as createS7State() makes it (Dissector.resetState): the typed arrays
 * are kept, the reassembly buffers let go (a pooled state must not keep a stream's largest buffers).
 */
export function resetS7State(st: S7State): void {
  // Loops, not fill(): on arrays this small the builtin call costs more than the stores.
  for (let i = 0; i < PENDING_JOBS; i++) {
    st.jobRef[i] = -1;
    st.jobFn[i] = 0;
    st.jobVariant[i] = 0;
  }
  st.jobNext = 0;
  for (let i = 0; i < 3; i++) {
    st.cotpBuf[i] = null;
    st.cotpLen[i] = 0;
    st.plusFragment[i] = 0;
  }
  st.carries = undefined;
  st.mms = null;
  st.szlBuf = null;
  st.szlLen = 0;
  st.szlRef = -1;
}

/** Reassembly slot of a direction: 0 to server, 1 to client, 2 unknown. */
export function dirSlot(dir: number): number {
  return dir === DIR_TO_SERVER ? 0 : dir === DIR_TO_CLIENT ? 1 : 2;
}
