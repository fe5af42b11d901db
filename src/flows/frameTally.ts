/**
 * The frame counters of one batch (FlowBatch.counters) while frames are counted, and the count of one
 * frame: a cheap path for the common case of a decoded IP packet (inlined into FlowAggregator.onPacket).
 */
import { DECODE, type DecodeResult } from '../decode/packet.js';
import type { CaptureRecord } from '../ingest/record.js';
import type { FrameCounters } from './flowDelta.js';

/**
 * The frame counters of a batch while frames are counted (takeBatch() hands over a plain copy). A class
 * of its own rather than a FrameCounters object literal: V8 gives object literals with the same keys in
 * the same order one hidden class, and FRAME_RULES (flowDelta.ts) has FrameCounters' keys with string
 * values, so a literal's firstTs/lastTs fields are generic (tagged) and every store of a frame's time
 * would allocate a number and take the write barrier. A class's fields start from its own hidden class:
 * the times stay unboxed doubles.
 */
export class FrameTally implements FrameCounters {
  frames = 0;
  ipPackets = 0;
  arpPackets = 0;
  otherL2 = 0;
  stp = 0;
  truncated = 0;
  malformed = 0;
  unsupportedLinktype = 0;
  bytes = 0;
  firstTs = Infinity;
  lastTs = -Infinity;
}

/** Frame counters of one frame. */
export function countFrame(c: FrameCounters, rec: CaptureRecord, ts: number, res: DecodeResult, ip: boolean): void {
  c.frames++;
  c.bytes += rec.origlen;
  if (ts < c.firstTs) c.firstTs = ts;
  if (ts > c.lastTs) c.lastTs = ts;
  if (ip) {
    c.ipPackets++;
    if (res === DECODE.IP) return; // the common case, kept small (inlined into onPacket)
  }
  countFrameKind(c, res, ip);
}

/** countFrame() of a frame that is not a decoded IP packet: its kind. */
function countFrameKind(c: FrameCounters, res: DecodeResult, ip: boolean): void {
  if (res === DECODE.ARP) c.arpPackets++;
  else if (res === DECODE.OTHER_L2 || (!ip && res === DECODE.IP)) c.otherL2++;
  else if (res === DECODE.UNSUPPORTED_LINKTYPE) c.unsupportedLinktype++;
  else if (res === DECODE.TRUNCATED) c.truncated++;
  else if (res === DECODE.MALFORMED) c.malformed++;
}
