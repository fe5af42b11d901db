/**
 * Content identity: the fingerprint formula over the decompressed capture bytes, so the gzipped,
 * plain and renamed forms of one capture have one identity, and a plain file's is its fingerprint.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { contentIdentity, streamIdentity } from '../../src/ingest/contentIdentity.js';
import { FINGERPRINT_PART, fingerprintFile, identityDigest } from '../../src/ingest/fingerprint.js';
import { capturePath } from '../util/captures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-content-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Pseudo-random bytes (a fixed LCG: the same bytes every run). */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function wholeIdentity(b: Buffer): string {
  const first = b.subarray(0, Math.min(b.length, FINGERPRINT_PART));
  return identityDigest(b.length, first, b.length <= FINGERPRINT_PART ? first : b.subarray(b.length - FINGERPRINT_PART));
}

async function* chunked(b: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let off = 0;
  for (let i = 0; off < b.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield b.subarray(off, off + n);
    off += n;
  }
}

describe('contentIdentity', () => {
  test('contentIdentity(a plain capture) is its file fingerprint', async () => {
    const path = capturePath('modbus/cisagov_modbus_example.pcap');
    const c = await contentIdentity(path);
    expect(c).toEqual({ id: (await fingerprintFile(path)).id, size: readFileSync(path).length, compression: 'none' });
  });

  test('contentIdentity(the same capture gzipped, renamed, and as two gzip members) is the plain file\'s identity', async () => {
    const plain = readFileSync(capturePath('enip/cisagov_enip_cip_example.pcap'));
    writeFileSync(join(tmp, 'x.pcap'), plain);
    writeFileSync(join(tmp, 'renamed.cap.gz'), gzipSync(plain, { level: 9 }));
    const half = plain.length >> 1;
    writeFileSync(join(tmp, 'members.gz'), Buffer.concat([gzipSync(plain.subarray(0, half), { level: 1 }), gzipSync(plain.subarray(half))]));
    const want = (await fingerprintFile(join(tmp, 'x.pcap'))).id;
    const gz = await contentIdentity(join(tmp, 'renamed.cap.gz'));
    expect(gz).toEqual({ id: want, size: plain.length, compression: 'gzip' });
    expect((await contentIdentity(join(tmp, 'members.gz'))).id).toBe(want);
    expect((await fingerprintFile(join(tmp, 'renamed.cap.gz'))).id).not.toBe(want);
  });

  test('contentIdentity(a gzip file of 3.3 MiB decompressed) hashes its first and last MiB as fingerprintFile does the plain file', async () => {
    const big = bytes(3 * FINGERPRINT_PART + 300_001, 7);
    writeFileSync(join(tmp, 'big.bin'), big);
    writeFileSync(join(tmp, 'big.bin.gz'), gzipSync(big));
    const want = (await fingerprintFile(join(tmp, 'big.bin'))).id;
    expect(wholeIdentity(big)).toBe(want);
    expect((await contentIdentity(join(tmp, 'big.bin.gz'))).id).toBe(want);
    // One byte changed in the middle (outside both parts) is not seen; in the last MiB it is.
    const tail = Buffer.from(big);
    tail[tail.length - 10]! ^= 1;
    writeFileSync(join(tmp, 'tail.gz'), gzipSync(tail));
    expect((await contentIdentity(join(tmp, 'tail.gz'))).id).not.toBe(want);
  });
});

describe('streamIdentity', () => {
  test.each([
    ['chunks smaller than a part', [1000, 65536, 7]],
    ['chunks larger than a part', [FINGERPRINT_PART + 5, 3]],
    ['one chunk of exactly a part', [FINGERPRINT_PART]],
  ])('streamIdentity(%s) equals the identity of the whole buffer', async (_what, sizes) => {
    for (const n of [0, 10, FINGERPRINT_PART, FINGERPRINT_PART + 1, 2 * FINGERPRINT_PART + 12345]) {
      const b = bytes(n, n + 1);
      expect((await streamIdentity(chunked(b, sizes), 'none')).id).toBe(wholeIdentity(b));
    }
  });
});
