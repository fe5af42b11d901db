import { createHash } from 'node:crypto';
import { appendFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprintFile } from '../../src/ingest/fingerprint.js';
import { tmpDir } from './captureTestUtil.js';

let dir = '';
beforeAll(async () => {
  dir = await tmpDir('ingest-fp');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

/** The documented definition, computed independently. */
function expectedId(content: Buffer): string {
  const size = Buffer.alloc(8);
  size.writeBigUInt64BE(BigInt(content.length));
  const first = content.subarray(0, Math.min(content.length, MiB));
  const last = content.subarray(Math.max(0, content.length - MiB));
  return createHash('sha256').update(size).update(first).update(last).digest('hex');
}

test('fingerprintFile(small and 3 MiB files) returns sha256(size, first MiB, last MiB), sha256(first 64 KiB) and size', async () => {
  for (const [name, content] of [
    ['small.pcap', bytes(5000, 1)],
    ['big.pcap', bytes(3 * MiB + 17, 2)],
    ['empty.pcap', Buffer.alloc(0)],
  ] as const) {
    const path = join(dir, name);
    await writeFile(path, content);
    const fp = await fingerprintFile(path);
    expect(fp.size).toBe(content.length);
    expect(fp.id).toBe(expectedId(content));
    expect(fp.head).toBe(createHash('sha256').update(content.subarray(0, 64 * 1024)).digest('hex'));
    expect(fp.id).toMatch(/^[0-9a-f]{64}$/);
  }
});

test('fingerprintFile(same content under another name) gives the same id; other content another id', async () => {
  const content = bytes(200000, 3);
  await writeFile(join(dir, 'one.pcap'), content);
  await writeFile(join(dir, 'renamed-copy.bin'), content);
  const a = await fingerprintFile(join(dir, 'one.pcap'));
  const b = await fingerprintFile(join(dir, 'renamed-copy.bin'));
  expect(b).toEqual(a);
  const changed = Buffer.from(content);
  changed[199999] ^= 1;
  await writeFile(join(dir, 'changed.pcap'), changed);
  expect((await fingerprintFile(join(dir, 'changed.pcap'))).id).not.toBe(a.id);
});

test('fingerprintFile(a file that grew) keeps its head but gets a new id and size', async () => {
  const path = join(dir, 'growing.pcap');
  await writeFile(path, bytes(100000, 4));
  const before = await fingerprintFile(path);
  await appendFile(path, bytes(5000, 5));
  const after = await fingerprintFile(path);
  expect(after.head).toBe(before.head);
  expect(after.id).not.toBe(before.id);
  expect(after.size).toBe(105000);
});

test('fingerprintFile(missing file) rejects with the fs error', async () => {
  await expect(fingerprintFile(join(dir, 'missing.pcap'))).rejects.toMatchObject({ code: 'ENOENT' });
});
