/**
 * Per-direction TCP stream reassembly for PDU framing (RFC 9293 sequence space, section 3.4).
 *
 * One TcpReassembler handles the bytes ONE endpoint sends. It hands the framer whole PDUs, in stream
 * order, each exactly once:
 *  - several PDUs in one segment are framed in place (no copy);
 *  - a PDU that spans segments is copied, and only that partial PDU, into an owned buffer that grows
 *    (doubling, capped at `maxPduBytes`) and is then reused for the life of the stream;
 *  - retransmitted and overlapping bytes are never delivered twice; they are counted in
 *    `stats.retransmittedBytes`;
 *  - a segment ahead of the expected sequence number is copied into one of a bounded number of
 *    out-of-order slots and delivered when the hole before it fills;
 *  - a hole that does not fill within `gapAfterSegments` further segments, or when the slots are full,
 *    or at close, is a gap: its bytes are counted as lost, the partial PDU before it is dropped (counted
 *    as unparsed) and the direction stops being framed until a segment start passes the framer's
 *    `resync` (or, without one, `pduLength` says a plausible PDU starts there);
 *  - a SYN sets the ISN (ISN + 1 is the first data byte); sequence arithmetic is modulo 2^32;
 *  - without a SYN (capture started mid-connection), the first segment seen is the start (a pure ACK's
 *    sequence number is the next byte, so a later keep-alive probe one byte below it is old data), and
 *    the first data must pass the resync test (it may begin in the middle of a PDU);
 *  - a hole ages only with segments that bring data past it (duplicates of old data do not count);
 *  - FIN: once the stream reaches the FIN's sequence number, a partial PDU can never complete and is
 *    counted as unparsed. RST: the same at once (holes become gaps). Later in-sequence data (some
 *    scanners send data after a RST) is still framed.
 *
 * Retransmissions versus tshark: tshark's TCP layer can dissect a retransmitted segment again (and so
 * count its PDUs twice) when the data had not been consumed by its reassembly. zonescope counts every
 * stream byte, and so every PDU, exactly once: a retransmitted copy only adds to retransmittedBytes.
 * Comparisons with tshark therefore leave out frames tshark marks `tcp.analysis.retransmission`.
 *
 * Allocation: nothing per segment on the in-order path. The partial buffer and the out-of-order slot
 * buffers are allocated when first needed and reused. The framer may not keep `buf` past a callback.
 */

import type { PduFramer } from './pduFramer.js';
import { DEFAULT_REASSEMBLER_OPTIONS, type ReassemblerCheckpoint, type ReassemblerOptions } from './reassemblerOptions.js';
import { ReassemblyStats } from './reassemblyStats.js';

export type { PduFramer } from './pduFramer.js';
export { DEFAULT_REASSEMBLER_OPTIONS, type ReassemblerCheckpoint, type ReassemblerOptions } from './reassemblerOptions.js';
export { ReassemblyStats } from './reassemblyStats.js';

const PARTIAL_MIN = 2048; // first size of the partial-PDU buffer (reset() keeps one this size)
/** Bytes copied per step into the partial buffer while the PDU length is still unknown. */
const PROBE = 32;
const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;

/** Copy n bytes; a plain loop for small copies (Buffer#copy has a high fixed cost per call). */
function copyBytes(src: Buffer, srcOff: number, dst: Buffer, dstOff: number, n: number): void {
  if (n > 64) {
    src.copy(dst, dstOff, srcOff, srcOff + n);
    return;
  }
  for (let i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i]!;
}

/** Signed distance a - b in 32-bit sequence space (RFC 9293 3.4: comparisons are modulo 2^32). */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** The out-of-order slot arrays of a stream that never needed one (never written: see store()). */
const NO_NUMBERS: number[] = [];
const NO_BUFFERS: Buffer[] = [];

export class TcpReassembler {
  readonly stats = new ReassemblyStats();
  private readonly opts: ReassemblerOptions;
  /** Next expected sequence number (valid when started). */
  private next = 0;
  private started = false;
  /** True while PDU boundaries are known; false while resyncing. */
  private synced = false;
  /** Partial PDU spanning segments. */
  private partial: Buffer | null = null;
  private partialLen = 0;
  /** Total length of the partial PDU when known, else 0. */
  private need = 0;
  /** Bytes of an oversize PDU still to skip. */
  private skip = 0;
  private hasFin = false;
  private finSeq = 0;
  // Out-of-order slots (parallel arrays; the first oooCount are in use, buffers are kept for reuse),
  // made at the first out-of-order segment (most streams have none: the shared empty ones until then).
  private oooSeq: number[] = NO_NUMBERS;
  private oooLen: number[] = NO_NUMBERS;
  private oooBuf: Buffer[] = NO_BUFFERS;
  private oooCount = 0;
  private oooBytes = 0;
  private segsSinceHole = 0;

  /**
   * @param isn the sender's SYN sequence number when the handshake was seen (first data byte is
   *   isn + 1), or -1 / undefined when not seen (mid-stream start).
   */
  constructor(
    private readonly framer: PduFramer,
    isn = -1,
    opts?: Partial<ReassemblerOptions>,
  ) {
    this.opts = opts === undefined ? DEFAULT_REASSEMBLER_OPTIONS : { ...DEFAULT_REASSEMBLER_OPTIONS, ...opts };
    if (isn >= 0) this.startAt((isn + 1) >>> 0, true);
  }

  /** True while the direction is being framed (false while resyncing or before a mid-stream start). */
  get isSynced(): boolean {
    return this.synced;
  }
  /** Bytes held in the partial-PDU buffer. */
  get pendingBytes(): number {
    return this.partialLen;
  }
  /** Out-of-order segments currently buffered. */
  get bufferedSegments(): number {
    return this.oooCount;
  }

  /**
   * Where this direction stands, as plain data, for a connection carried into a later run (see
   * src/flows/liveState.ts). Buffered bytes are not part of it: a partial PDU or out-of-order segments
   * held now are lost to the resumed stream, which then resyncs at its next segment start (as for a
   * capture that starts mid-connection); with none held, it goes on framing without a resync.
   */
  checkpoint(): ReassemblerCheckpoint {
    return {
      started: this.started,
      next: this.next,
      synced: this.synced && this.partialLen === 0 && this.oooCount === 0,
      skip: this.partialLen === 0 ? this.skip : 0,
      hasFin: this.hasFin,
      finSeq: this.finSeq,
    };
  }

  /** Continue from a checkpoint() (of a stream read by an earlier run). */
  resume(cp: ReassemblerCheckpoint): void {
    this.started = cp.started;
    this.next = cp.next >>> 0;
    this.synced = cp.started && cp.synced;
    this.skip = cp.skip;
    this.hasFin = cp.hasFin;
    this.finSeq = cp.finSeq >>> 0;
    this.partialLen = 0;
    this.need = 0;
    this.oooCount = 0;
    this.oooBytes = 0;
    this.segsSinceHole = 0;
  }

  /**
   * One TCP segment of this direction. `flags` is the TCP flags byte; payload is buf[off, off + len).
   * `cut`: payload bytes after those that the capture's snap length cut off (the segment carried
   * len + cut bytes). The PDUs complete within the present bytes are framed; the PDU the cut falls in
   * is lost (stats.snapLostBytes), the stream skips the cut bytes and resyncs at a later segment start.
   * A hole still open before a cut segment is a gap at once (the cut segment cannot wait for it).
   */
  segment(seq: number, flags: number, buf: Buffer, off: number, len: number, cut = 0): void {
    seq >>>= 0;
    if (flags & TCP_SYN) {
      if (!this.started) this.startAt((seq + 1) >>> 0, true);
      seq = (seq + 1) >>> 0; // data on a SYN (TCP Fast Open) starts after the SYN's own number
    }
    if (cut > 0) this.cutData(seq, buf, off, len, cut);
    else if (len > 0) this.data(seq, buf, off, len);
    else if (!this.started && !(flags & TCP_RST)) this.startAt(seq, false); // an ACK's seq is the next byte
    if (flags & TCP_RST) {
      this.close();
    } else if (flags & TCP_FIN) {
      this.hasFin = true;
      this.finSeq = (seq + len + cut) >>> 0;
      if (this.started) this.checkFin();
    }
  }

  /** A segment of len + cut bytes of which only the first len are in the capture (see segment()). */
  private cutData(seq: number, buf: Buffer, off: number, len: number, cut: number): void {
    if (!this.started) this.startAt(seq, false);
    const total = len + cut;
    const end = (seq + total) >>> 0;
    if (seqDiff(end, this.next) <= 0) {
      this.stats.retransmittedBytes += total; // old data, cut or not
      return;
    }
    while (this.oooCount > 0 && seqDiff(this.lowestBuffered(), end) < 0) this.declareGap();
    if (seqDiff(end, this.next) <= 0) {
      this.stats.retransmittedBytes += total;
      return;
    }
    const d = seqDiff(seq, this.next);
    if (d > 0) {
      // Bytes before this segment never came: a gap.
      this.stats.gaps++;
      this.stats.gapBytes += d;
      this.dropPartial();
      this.synced = false;
      this.next = seq;
    }
    const over = d < 0 ? -d : 0;
    this.stats.retransmittedBytes += over;
    if (over < len) {
      this.feed(buf, off + over, len - over, over === 0);
      this.next = (this.next + len - over) >>> 0;
    }
    this.stats.snapCutSegments++;
    this.stats.snapLostBytes += this.partialLen + seqDiff(end, this.next);
    this.partialLen = 0;
    this.need = 0;
    this.skip = 0;
    this.synced = false;
    this.next = end;
    if (this.oooCount > 0) this.drain();
    this.noteHole();
  }

  private lowestBuffered(): number {
    let lowest = this.oooSeq[0]!;
    for (let i = 1; i < this.oooCount; i++) if (seqDiff(this.oooSeq[i]!, lowest) < 0) lowest = this.oooSeq[i]!;
    return lowest;
  }

  /** End of the stream (connection end or end of the run): holes become gaps, a partial PDU is unparsed. */
  close(): void {
    while (this.oooCount > 0) this.declareGap();
    if (this.hasFin && this.started) {
      const d = seqDiff(this.finSeq, this.next);
      if (d > 0) {
        this.stats.gaps++;
        this.stats.gapBytes += d;
        this.next = this.finSeq;
      }
    }
    this.dropPartial();
    this.segsSinceHole = 0;
  }

  private startAt(seq: number, synced: boolean): void {
    this.started = true;
    this.next = seq;
    this.synced = synced;
  }

  private data(seq: number, buf: Buffer, off: number, len: number): void {
    if (!this.started) this.startAt(seq, false); // mid-stream: the first segment must pass resync
    let d = seqDiff(seq, this.next);
    let segStart = true;
    if (d < 0) {
      const over = -d;
      if (over >= len) {
        this.stats.retransmittedBytes += len; // old data: does not age an open hole
        return;
      }
      this.stats.retransmittedBytes += over;
      off += over;
      len -= over;
      d = 0;
      segStart = false;
    }
    if (d > 0) {
      this.store(seq, buf, off, len);
      return;
    }
    this.feed(buf, off, len, segStart);
    this.next = (this.next + len) >>> 0;
    if (this.oooCount > 0) this.drain();
    this.noteHole();
    this.checkFin();
  }

  /** Count segments while a hole is open; declare it a gap after gapAfterSegments. */
  private noteHole(): void {
    if (this.oooCount === 0) {
      this.segsSinceHole = 0;
      return;
    }
    if (++this.segsSinceHole > this.opts.gapAfterSegments) {
      this.declareGap();
      this.segsSinceHole = 0;
    }
  }

  private checkFin(): void {
    if (this.hasFin && this.oooCount === 0 && this.next === this.finSeq && this.partialLen > 0) this.dropPartial();
  }

  /** Buffer a segment that starts after a hole (copying it). */
  private store(seq: number, buf: Buffer, off: number, len: number): void {
    const end = (seq + len) >>> 0;
    for (let i = 0; i < this.oooCount; i++) {
      const s = this.oooSeq[i]!;
      if (seqDiff(seq, s) >= 0 && seqDiff(end, (s + this.oooLen[i]!) >>> 0) <= 0) {
        this.stats.retransmittedBytes += len; // already buffered
        return;
      }
    }
    while (
      this.oooCount > 0 &&
      (this.oooCount >= this.opts.maxOutOfOrderSegments || this.oooBytes + len > this.opts.maxOutOfOrderBytes)
    ) {
      this.declareGap();
      const d = seqDiff(seq, this.next);
      if (d <= 0) {
        // The gap moved the stream up to (or past) this segment: handle it as an in-order one.
        this.data(seq, buf, off, len);
        return;
      }
    }
    if (len > this.opts.maxOutOfOrderBytes) {
      // Cannot buffer even alone: everything before it is a gap, and it is delivered now.
      this.stats.gaps++;
      this.stats.gapBytes += seqDiff(seq, this.next);
      this.dropPartial();
      this.synced = false;
      this.next = seq;
      this.data(seq, buf, off, len);
      return;
    }
    if (this.oooBuf === NO_BUFFERS) {
      this.oooSeq = [];
      this.oooLen = [];
      this.oooBuf = [];
    }
    const i = this.oooCount++;
    let slot = this.oooBuf[i];
    if (slot === undefined || slot.length < len) {
      slot = Buffer.allocUnsafe(Math.max(len, 2048));
      this.oooBuf[i] = slot;
    }
    copyBytes(buf, off, slot, 0, len);
    this.oooSeq[i] = seq;
    this.oooLen[i] = len;
    this.oooBytes += len;
    this.stats.outOfOrder++;
    this.noteHole();
  }

  /** Deliver buffered segments that the stream has reached. */
  private drain(): void {
    for (;;) {
      let best = -1;
      let bestD = 0;
      for (let i = 0; i < this.oooCount; i++) {
        const d = seqDiff(this.oooSeq[i]!, this.next);
        if (d <= 0 && (best < 0 || d > bestD)) {
          best = i;
          bestD = d;
        }
      }
      if (best < 0) return;
      const slot = this.oooBuf[best]!;
      const len = this.oooLen[best]!;
      this.removeSlot(best);
      const over = -bestD;
      if (over >= len) {
        this.stats.retransmittedBytes += len;
        continue;
      }
      this.stats.retransmittedBytes += over;
      this.feed(slot, over, len - over, over === 0);
      this.next = (this.next + len - over) >>> 0;
    }
  }

  /** Remove slot i, keeping its buffer for reuse (swap with the last used slot). */
  private removeSlot(i: number): void {
    const last = --this.oooCount;
    this.oooBytes -= this.oooLen[i]!;
    if (i !== last) {
      const b = this.oooBuf[i]!;
      this.oooBuf[i] = this.oooBuf[last]!;
      this.oooBuf[last] = b;
      this.oooSeq[i] = this.oooSeq[last]!;
      this.oooLen[i] = this.oooLen[last]!;
    }
  }

  /** The hole before the lowest buffered segment will not fill: count it lost and jump over it. */
  private declareGap(): void {
    if (this.oooCount === 0) return;
    const lowest = this.lowestBuffered();
    this.stats.gaps++;
    this.stats.gapBytes += seqDiff(lowest, this.next);
    this.dropPartial();
    this.synced = false;
    this.next = lowest;
    this.drain();
  }

  private dropPartial(): void {
    this.stats.unparsedBytes += this.partialLen;
    this.partialLen = 0;
    this.need = 0;
    this.skip = 0;
  }

  private resyncOk(buf: Buffer, off: number, len: number): boolean {
    const f = this.framer;
    if (f.resync) return f.resync(buf, off, len);
    const n = f.pduLength(buf, off, len);
    if (n <= 0) return false;
    if (n >= len) return true;
    return f.pduLength(buf, off + n, len - n) >= 0;
  }

  private lostFraming(buf: Buffer, off: number, len: number): void {
    this.synced = false;
    this.framer.onFramingError?.(buf, off, len);
  }

  private deliver(buf: Buffer, off: number, len: number): void {
    this.stats.pdus++;
    this.framer.onPdu(buf, off, len);
  }

  private ensurePartial(size: number): Buffer {
    let p = this.partial;
    if (p === null || p.length < size) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(size, p === null ? PARTIAL_MIN : p.length * 2), Math.max(size, this.opts.maxPduBytes)));
      if (p !== null && this.partialLen > 0) p.copy(grown, 0, 0, this.partialLen);
      this.partial = p = grown;
    }
    return p;
  }

  /** New in-order stream bytes buf[off, off + len); segStart: they begin a segment (resync point). */
  private feed(buf: Buffer, off: number, len: number, segStart: boolean): void {
    const st = this.stats;
    const f = this.framer;
    const maxPdu = this.opts.maxPduBytes;
    st.bytes += len;
    if (!this.synced) {
      if (!segStart || !this.resyncOk(buf, off, len)) {
        st.unparsedBytes += len;
        return;
      }
      this.synced = true;
    }
    while (len > 0) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, len);
        this.skip -= k;
        st.unparsedBytes += k;
        off += k;
        len -= k;
        continue;
      }
      if (this.partialLen > 0) {
        // Complete the PDU that spans segments: copy only what it still needs.
        const take = this.need > 0 ? Math.min(len, this.need - this.partialLen) : Math.min(len, PROBE);
        const p = this.ensurePartial(this.partialLen + take);
        copyBytes(buf, off, p, this.partialLen, take);
        this.partialLen += take;
        const n = this.need > 0 ? this.need : f.pduLength(p, 0, this.partialLen);
        if (n < 0 || (n === 0 && this.partialLen >= maxPdu)) {
          st.unparsedBytes += this.partialLen + (len - take);
          this.lostFraming(p, 0, this.partialLen);
          this.partialLen = 0;
          this.need = 0;
          return;
        }
        if (n === 0) {
          off += take;
          len -= take;
          continue;
        }
        if (n > maxPdu) {
          st.unparsedBytes += this.partialLen;
          this.skip = n - this.partialLen;
          this.partialLen = 0;
          this.need = 0;
          off += take;
          len -= take;
          continue;
        }
        if (n <= this.partialLen) {
          // Complete; bytes probed beyond its end go back to the current chunk.
          const used = take - (this.partialLen - n);
          if (used < 0) {
            // Inconsistent framer (the PDU ended inside bytes it had asked more for): framing lost.
            st.unparsedBytes += this.partialLen + (len - take);
            this.lostFraming(p, 0, this.partialLen);
            this.partialLen = 0;
            this.need = 0;
            return;
          }
          this.partialLen = 0;
          this.need = 0;
          this.deliver(p, 0, n);
          off += used;
          len -= used;
        } else {
          this.need = n;
          off += take;
          len -= take;
        }
        continue;
      }
      const n = f.pduLength(buf, off, len);
      if (n < 0) {
        st.unparsedBytes += len;
        this.lostFraming(buf, off, len);
        return;
      }
      if (n > 0 && n <= len) {
        this.deliver(buf, off, n);
        off += n;
        len -= n;
        continue;
      }
      if (n > maxPdu) {
        st.unparsedBytes += len;
        this.skip = n - len;
        return;
      }
      // The PDU continues in a later segment: keep only its bytes.
      const p = this.ensurePartial(Math.max(len, n));
      copyBytes(buf, off, p, 0, len);
      this.partialLen = len;
      this.need = n;
      return;
    }
  }

  /**
   * Make this reassembler a new stream's (a pooled session reused for another connection, see
   * SessionPool in src/dissectors/session.ts): every field as the constructor leaves it, with the same
   * options. The out-of-order and grown partial buffers are let go (a pool must not keep every stream's
   * largest buffers); a first-size partial buffer is kept (never read past partialLen).
   */
  reset(isn = -1): void {
    const st = this.stats;
    st.bytes = 0;
    st.pdus = 0;
    st.retransmittedBytes = 0;
    st.outOfOrder = 0;
    st.gaps = 0;
    st.gapBytes = 0;
    st.unparsedBytes = 0;
    st.snapCutSegments = 0;
    st.snapLostBytes = 0;
    this.next = 0;
    this.started = false;
    this.synced = false;
    if (this.partial !== null && this.partial.length > PARTIAL_MIN) this.partial = null;
    this.partialLen = 0;
    this.need = 0;
    this.skip = 0;
    this.hasFin = false;
    this.finSeq = 0;
    this.oooSeq = NO_NUMBERS;
    this.oooLen = NO_NUMBERS;
    this.oooBuf = NO_BUFFERS;
    this.oooCount = 0;
    this.oooBytes = 0;
    this.segsSinceHole = 0;
    if (isn >= 0) this.startAt((isn + 1) >>> 0, true);
  }
}
