/**
 * A capture's content identity: the fingerprint formula of fingerprint.ts (sha256 over the 8-byte
 * size, the first MiB and the last MiB) taken over the capture's DECOMPRESSED byte stream. For an
 * uncompressed file it equals the file fingerprint (so the rows of stores written before content
 * identity are recognised as they are); a gzip file is inflated as a stream (gunzip.ts, every member,
 * as the reader does) with a ring buffer for its last MiB, never held whole. So the gzipped, plain and
 * renamed forms of one capture share one identity; a file that grew gets a new one.
 * Rejects with the fs error when the file cannot be read (an I/O problem, not bad content); damaged
 * gzip data counts what inflates before the damage, as the reader keeps those records.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { gunzipMembers } from './gunzip.js';
import { FINGERPRINT_PART, fingerprintFile, identityDigest, type FileFingerprint } from './fingerprint.js';

export interface ContentIdentity {
  /** The identity of the (decompressed) capture bytes. */
  id: string;
  /** Decompressed size in bytes. */
  size: number;
  compression: 'gzip' | 'none';
}

/** True when the file starts with the gzip magic (RFC 1952 §2.3.1: 1f 8b). */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * The content identity of the capture file at `path`. `file` is its file fingerprint when already
 * taken (an uncompressed file's identity is that, without reading it again).
 */
export async function contentIdentity(path: string, file?: FileFingerprint): Promise<ContentIdentity> {
  if (!(await isGzipFile(path))) {
    const fp = file ?? (await fingerprintFile(path));
    return { id: fp.id, size: fp.size, compression: 'none' };
  }
  return streamIdentity(gunzipMembers(createReadStream(path, { highWaterMark: 1024 * 1024 }), () => undefined), 'gzip');
}

/** The identity of a byte stream (decompressed chunks), keeping only its first and last MiB. */
export async function streamIdentity(chunks: AsyncIterable<Uint8Array>, compression: 'gzip' | 'none'): Promise<ContentIdentity> {
  const part = FINGERPRINT_PART;
  const first = Buffer.alloc(part);
  let firstLen = 0;
  const ring = Buffer.alloc(part);
  let ringPos = 0; // next write position; the ring is full once size >= part
  let size = 0;
  for await (const chunk of chunks) {
    const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (firstLen < part) firstLen += c.copy(first, firstLen, 0, Math.min(c.length, part - firstLen));
    if (c.length >= part) {
      c.copy(ring, 0, c.length - part);
      ringPos = 0;
    } else {
      const head = Math.min(c.length, part - ringPos);
      c.copy(ring, ringPos, 0, head);
      if (head < c.length) c.copy(ring, 0, head);
      ringPos = (ringPos + c.length) % part;
    }
    size += c.length;
  }
  const firstPart = first.subarray(0, firstLen);
  // As fingerprintFile: up to one part long, the "last" part is the whole content again.
  const last = size <= part ? firstPart : Buffer.concat([ring.subarray(ringPos), ring.subarray(0, ringPos)]);
  return { id: identityDigest(size, firstPart, last), size, compression };
}
