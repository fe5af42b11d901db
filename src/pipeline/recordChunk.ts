/**
 * Capture records packed into transferable chunks, so that parallel ingest reads and decompresses a
 * file once (in the main thread) and hands each worker only its own records, in batches (one
 * postMessage per chunk, the ArrayBuffer transferred, not copied, and sent back for reuse).
 *
 * Layout of one record, 8-byte aligned: a 48-byte header (float64 tsSec, float64 fileOffset, then
 * uint32 frame, tsNsec, caplen, origlen, linktype, interfaceId, dataFileOffset - fileOffset, 0),
 * then the caplen packet bytes, padded to 8.
 */
import type { CaptureRecord } from '../ingest/record.js';

export const RECORD_HEADER = 48;
/** Bytes of a chunk (a record longer than that gets a chunk of its own). */
export const CHUNK_BYTES = 1 << 20;

function recordBytes(caplen: number): number {
  return RECORD_HEADER + ((caplen + 7) & ~7);
}

/** Appends records to one chunk. */
export class RecordChunkWriter {
  readonly buf: ArrayBuffer;
  private readonly f64: Float64Array;
  private readonly u32: Uint32Array;
  private readonly bytes: Buffer;
  /** Bytes used. */
  length = 0;

  constructor(buf: ArrayBuffer) {
    this.buf = buf;
    this.f64 = new Float64Array(buf);
    this.u32 = new Uint32Array(buf);
    this.bytes = Buffer.from(buf);
  }

  /** Bytes a chunk needs to hold `rec` alone. */
  static sizeFor(rec: CaptureRecord): number {
    return recordBytes(rec.caplen);
  }

  /** Append `rec` (its bytes copied); false when the chunk has no room left for it. */
  append(rec: CaptureRecord): boolean {
    const o = this.length;
    const n = recordBytes(rec.caplen);
    if (o + n > this.bytes.length) return false;
    const f = o >>> 3;
    this.f64[f] = rec.tsSec;
    this.f64[f + 1] = rec.fileOffset;
    const u = o >>> 2;
    const u32 = this.u32;
    u32[u + 4] = rec.frame;
    u32[u + 5] = rec.tsNsec;
    u32[u + 6] = rec.caplen;
    u32[u + 7] = rec.origlen;
    u32[u + 8] = rec.linktype;
    u32[u + 9] = rec.interfaceId;
    u32[u + 10] = rec.dataFileOffset - rec.fileOffset;
    u32[u + 11] = 0;
    rec.data.copy(this.bytes, o + RECORD_HEADER, rec.offset, rec.offset + rec.caplen);
    this.length = o + n;
    return true;
  }
}

/**
 * Call `onRecord` for every record of a chunk's first `length` bytes, with `rec` rewritten each time
 * (its `data` is the chunk: valid only during the call, like a reader's).
 */
export function readRecordChunk(buf: ArrayBuffer, length: number, rec: CaptureRecord, onRecord: (rec: CaptureRecord) => void): number {
  const f64 = new Float64Array(buf);
  const u32 = new Uint32Array(buf);
  const data = Buffer.from(buf);
  rec.data = data;
  let o = 0;
  let n = 0;
  while (o < length) {
    const f = o >>> 3;
    const u = o >>> 2;
    rec.tsSec = f64[f]!;
    rec.fileOffset = f64[f + 1]!;
    rec.frame = u32[u + 4]!;
    rec.tsNsec = u32[u + 5]!;
    const caplen = u32[u + 6]!;
    rec.caplen = caplen;
    rec.origlen = u32[u + 7]!;
    rec.linktype = u32[u + 8]!;
    rec.interfaceId = u32[u + 9]!;
    rec.dataFileOffset = rec.fileOffset + u32[u + 10]!;
    rec.offset = o + RECORD_HEADER;
    onRecord(rec);
    n++;
    o += recordBytes(caplen);
  }
  return n;
}
