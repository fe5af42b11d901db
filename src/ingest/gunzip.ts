/**
 * gzip (RFC 1952) decompression that keeps every byte zcat keeps. The members are parsed here (§2.3
 * header, then a raw deflate stream, then CRC32 and ISIZE), so a problem after the deflate data is a
 * warning after all of it was delivered: a bad CRC or length, trailing garbage or zero padding.
 * node:zlib's gunzip instead fails on those and drops the output chunk it was filling (up to 64 KiB of
 * records, or a whole small file). A cut stream delivers what inflates before the cut (Z_SYNC_FLUSH);
 * damaged deflate data is an error and ends the input (what came before it is delivered).
 */
import { constants, crc32, createInflateRaw } from 'node:zlib';
import type { Severity } from '../diagnostics.js';

export interface GunzipProblem {
  code: 'GZIP_BAD_HEADER' | 'GZIP_CORRUPT' | 'GZIP_TRUNCATED' | 'GZIP_BAD_CRC' | 'GZIP_BAD_LENGTH' | 'GZIP_TRAILING_DATA';
  severity: Severity;
  message: string;
  /** The input ends inside a member (the capture is cut short). */
  truncates?: boolean;
}

/** Compressed bytes handed to the inflater at a time (bounds the output produced per step). */
const FEED = 64 * 1024;
const OUT_CHUNK = 256 * 1024;

// RFC 1952 §2.3.1 FLG bits.
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const FRESERVED = 0xe0;

/** Compressed input with look-ahead: bytes pulled from the source but not consumed yet. */
class Input {
  private chunks: Buffer[] = [];
  private len = 0;
  /** Compressed bytes consumed so far (offset of the next byte). */
  pos = 0;
  private done = false;
  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  get available(): number {
    return this.len;
  }

  /** Pulls until n bytes are available or the source ends; returns what is available. */
  async fill(n: number): Promise<number> {
    while (this.len < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) this.unshiftOrPush(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length), false);
    }
    return this.len;
  }

  byte(i: number): number {
    for (const c of this.chunks) {
      if (i < c.length) return c[i];
      i -= c.length;
    }
    return -1;
  }

  /** Consumes up to n bytes as one buffer. */
  take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first && first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.chunks);
      out = all.subarray(0, n);
      this.chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.len -= out.length;
    this.pos += out.length;
    return out;
  }

  /** Gives back bytes taken but not used (the bytes after a deflate stream's end). */
  giveBack(b: Buffer): void {
    if (b.length === 0) return;
    this.unshiftOrPush(b, true);
    this.pos -= b.length;
  }

  private unshiftOrPush(b: Buffer, front: boolean): void {
    if (front) this.chunks.unshift(b);
    else this.chunks.push(b);
    this.len += b.length;
  }
}

/** Skips the rest of a member header after the 10 fixed bytes; false when the input ends inside it. */
async function skipHeaderFields(input: Input, flg: number): Promise<boolean> {
  if (flg & FEXTRA) {
    if ((await input.fill(2)) < 2) return false;
    const xlen = input.byte(0) | (input.byte(1) << 8);
    if ((await input.fill(2 + xlen)) < 2 + xlen) return false;
    input.take(2 + xlen);
  }
  for (const bit of [FNAME, FCOMMENT]) {
    if (!(flg & bit)) continue;
    for (;;) {
      if ((await input.fill(1)) < 1) return false;
      if (input.take(1)[0] === 0) break;
    }
  }
  if (flg & FHCRC) {
    if ((await input.fill(2)) < 2) return false;
    input.take(2);
  }
  return true;
}

/**
 * Decompresses a gzip byte stream (one or more members), yielding the decompressed chunks in order
 * and telling every problem to onProblem. The source must start with the gzip magic 1f 8b. Errors of
 * the source itself (I/O) are thrown.
 */
export async function* gunzipMembers(source: AsyncIterable<Uint8Array>, onProblem: (p: GunzipProblem) => void): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const input = new Input(it);
  let members = 0;
  try {
    for (;;) {
      const memberAt = input.pos;
      const have = await input.fill(10);
      if (have === 0 && members > 0) return;
      const magic = have >= 2 && input.byte(0) === 0x1f && input.byte(1) === 0x8b;
      const flg = input.byte(3);
      const headerOk = have >= 10 && magic && input.byte(2) === 8 && (flg & FRESERVED) === 0;
      if (!headerOk) {
        if (members === 0) {
          const what = have < 10 ? `the file ends inside the gzip header (${have} bytes)` : 'unsupported compression method or flags';
          onProblem({ code: 'GZIP_BAD_HEADER', severity: have < 10 ? 'warning' : 'error', message: what, truncates: have < 10 });
        } else {
          await trailing(input, memberAt, onProblem);
        }
        return;
      }
      input.take(10);
      if (!(await skipHeaderFields(input, flg))) {
        onProblem({ code: 'GZIP_TRUNCATED', severity: 'warning', message: `gzip stream cut short inside the header of member ${members + 1}`, truncates: true });
        return;
      }
      const body = yield* inflateMember(input, onProblem);
      if (body === null) return;
      // Trailer (§2.3.1): CRC32 and ISIZE of the member's data, little-endian.
      if ((await input.fill(8)) < 8) {
        onProblem({
          code: 'GZIP_TRUNCATED',
          severity: 'warning',
          message: `gzip stream cut short at compressed byte ${input.pos + input.available}: member ${members + 1} lacks its 8-byte trailer; everything inflated is kept`,
          truncates: true,
        });
        return;
      }
      const trailerAt = input.pos;
      const t = input.take(8);
      members++;
      const crc = t.readUInt32LE(0);
      const isize = t.readUInt32LE(4);
      if (crc !== body.crc) {
        onProblem({
          code: 'GZIP_BAD_CRC',
          severity: 'warning',
          message: `member ${members} trailer at compressed byte ${trailerAt}: CRC32 0x${crc.toString(16)} but the data's is 0x${body.crc.toString(16)}; records kept (as zcat does)`,
        });
      }
      if (isize !== body.size % 4294967296) {
        onProblem({
          code: 'GZIP_BAD_LENGTH',
          severity: 'warning',
          message: `member ${members} trailer at compressed byte ${trailerAt + 4}: length ${isize} but ${body.size} bytes inflated; records kept`,
        });
      }
    }
  } finally {
    try {
      await it.return?.();
    } catch {
      // closing a failed source: nothing more to report
    }
  }
}

/** After the last member: the rest of the input is zero padding or garbage (a warning either way). */
async function trailing(input: Input, at: number, onProblem: (p: GunzipProblem) => void): Promise<void> {
  let bytes = 0;
  let nonZero = 0;
  for (;;) {
    if ((await input.fill(1)) === 0) break;
    const b = input.take(Math.min(input.available, 1 << 20));
    bytes += b.length;
    for (let i = 0; i < b.length; i++) if (b[i] !== 0) nonZero++;
  }
  onProblem({
    code: 'GZIP_TRAILING_DATA',
    severity: 'warning',
    message:
      nonZero === 0
        ? `${bytes} zero byte(s) of padding after the last gzip member (at compressed byte ${at}); ignored`
        : `${bytes} byte(s) after the last gzip member (at compressed byte ${at}) are not gzip; ignored`,
  });
}

/**
 * Inflates one member's raw deflate data, yielding its output; returns its CRC32 and size, or null
 * when the input ended inside it or the data is corrupt (reported).
 */
async function* inflateMember(input: Input, onProblem: (p: GunzipProblem) => void): AsyncGenerator<Buffer, { crc: number; size: number } | null> {
  const inf = createInflateRaw({ chunkSize: OUT_CHUNK, finishFlush: constants.Z_SYNC_FLUSH });
  const out: Buffer[] = [];
  inf.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve) => inf.once('end', resolve));
  let failure: Error | null = null;
  const failed = new Promise<void>((resolve) =>
    inf.once('error', (e: Error) => {
      failure = e;
      resolve();
    }),
  );
  let crc = 0;
  let size = 0;
  let fed = 0;
  const flush = (): Buffer[] => {
    const chunks = out.splice(0, out.length);
    for (const c of chunks) {
      crc = crc32(c, crc);
      size += c.length;
    }
    return chunks;
  };
  try {
    for (;;) {
      if ((await input.fill(1)) === 0) {
        // The input ends inside the deflate data (or right after it, before the trailer).
        inf.end();
        await Promise.race([ended, failed]);
        yield* flush();
        if (failure) return corrupt(input, failure, onProblem);
        onProblem({
          code: 'GZIP_TRUNCATED',
          severity: 'warning',
          message: `gzip stream cut short after ${input.pos} compressed bytes (${size} decompressed in this member); records before the cut are kept`,
          truncates: true,
        });
        return null;
      }
      const chunk = input.take(Math.min(input.available, FEED));
      fed += chunk.length;
      await Promise.race([new Promise<void>((resolve) => inf.write(chunk, () => resolve())), failed]);
      if (failure) {
        yield* flush();
        return corrupt(input, failure, onProblem);
      }
      if (inf.bytesWritten < fed) {
        // The deflate stream ended inside this chunk: the rest is the trailer and what follows.
        input.giveBack(chunk.subarray(chunk.length - (fed - inf.bytesWritten)));
        await Promise.race([ended, failed]);
        yield* flush();
        return { crc, size };
      }
      yield* flush();
    }
  } finally {
    inf.destroy();
  }
}

function corrupt(input: Input, e: Error, onProblem: (p: GunzipProblem) => void): null {
  onProblem({ code: 'GZIP_CORRUPT', severity: 'error', message: `gzip data error near compressed byte ${input.pos}: ${e.message}; the rest of the file is not read` });
  return null;
}
