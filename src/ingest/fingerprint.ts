/**
 * Content fingerprints of capture files, cheap even for huge files (at most 2 MiB read):
 *  - `id`   = sha256 over (size as 8-byte big-endian, the first 1 MiB, the last 1 MiB), in hex: the
 *             same content under any name gives the same id; a file that grew gets a new id.
 *  - `head` = sha256 of the first 64 KiB: a file that only grew keeps its head (so an ingest can
 *             resume it from where it stopped instead of treating it as new).
 * For files shorter than 1 MiB the "first" and "last" parts are the whole file (hashed twice).
 * Rejects with the fs error when the file cannot be read (an I/O problem, not bad content).
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export interface FileFingerprint {
  id: string;
  head: string;
  size: number;
}

export const FINGERPRINT_PART = 1024 * 1024;
export const HEAD_BYTES = 64 * 1024;

export async function fingerprintFile(path: string): Promise<FileFingerprint> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const firstLen = Math.min(size, FINGERPRINT_PART);
    const first = Buffer.alloc(firstLen);
    await readFully(fh, first, 0);
    const lastLen = Math.min(size, FINGERPRINT_PART);
    let last: Buffer;
    if (size <= FINGERPRINT_PART) last = first;
    else {
      last = Buffer.alloc(lastLen);
      await readFully(fh, last, size - lastLen);
    }
    const id = identityDigest(size, first, last);
    const head = createHash('sha256').update(first.subarray(0, Math.min(firstLen, HEAD_BYTES))).digest('hex');
    return { id, head, size };
  } finally {
    await fh.close();
  }
}

/**
 * The identity formula: sha256 over (size as 8-byte big-endian, first part, last part), in hex. For a
 * file it is taken over the file's bytes (fingerprintFile); for a capture's content over its
 * decompressed bytes (contentIdentity.ts), so the two agree for an uncompressed file.
 */
export function identityDigest(size: number, first: Uint8Array, last: Uint8Array): string {
  const sizeBytes = Buffer.alloc(8);
  sizeBytes.writeBigUInt64BE(BigInt(size));
  return createHash('sha256').update(sizeBytes).update(first).update(last).digest('hex');
}

/**
 * sha256 of the first `n` bytes of a file (n <= HEAD_BYTES): compared with a stored `head` of a
 * file that was shorter than HEAD_BYTES when ingested, to recognise that it grew since.
 */
export async function prefixHash(path: string, n: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(n, HEAD_BYTES));
    await readFully(fh, buf, 0);
    return createHash('sha256').update(buf).digest('hex');
  } finally {
    await fh.close();
  }
}

async function readFully(fh: Awaited<ReturnType<typeof open>>, buf: Buffer, position: number): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesRead } = await fh.read(buf, off, buf.length - off, position + off);
    if (bytesRead === 0) break; // the file shrank while we read: hash what is there
    off += bytesRead;
  }
}
