import { gzipSync } from 'node:zlib';
import { gunzipMembers, type GunzipProblem } from '../../src/ingest/gunzip.js';
import { chunked } from './captureTestUtil.js';

/** Deterministic, moderately compressible bytes. */
function data(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = (x >>> 24) & 0x3f;
  }
  return b;
}

async function gunzip(gz: Buffer, max = 5000): Promise<{ out: Buffer; problems: GunzipProblem[] }> {
  const problems: GunzipProblem[] = [];
  const parts: Buffer[] = [];
  for await (const c of gunzipMembers(chunked(gz, max, 7), (p) => problems.push(p))) parts.push(Buffer.from(c));
  return { out: Buffer.concat(parts), problems };
}

const A = data(300000, 1);
const B = data(70000, 2);

test('gunzipMembers(two members, any chunking) yields both members in order with no problem', async () => {
  for (const max of [1, 13, 5000, 1 << 20]) {
    const { out, problems } = await gunzip(Buffer.concat([gzipSync(A), gzipSync(B)]), max);
    expect(problems).toEqual([]);
    expect(out.equals(Buffer.concat([A, B]))).toBe(true);
  }
});

test('gunzipMembers(header with FNAME, FCOMMENT, FEXTRA and FHCRC) skips the fields', async () => {
  const plain = gzipSync(B);
  const extra = Buffer.from([6, 0, 1, 2, 3, 4, 5, 6]);
  const header = Buffer.concat([plain.subarray(0, 10), extra, Buffer.from('name.pcap\0comment\0'), Buffer.from([0xaa, 0xbb])]);
  header[3] = 2 | 4 | 8 | 16;
  const { out, problems } = await gunzip(Buffer.concat([header, plain.subarray(10)]));
  expect(problems).toEqual([]);
  expect(out.equals(B)).toBe(true);
});

test('gunzipMembers(bad CRC, bad ISIZE) yields every byte, then warns', async () => {
  const gz = Buffer.from(gzipSync(A));
  gz.writeUInt32LE((gz.readUInt32LE(gz.length - 8) ^ 1) >>> 0, gz.length - 8);
  gz.writeUInt32LE(12345, gz.length - 4);
  const { out, problems } = await gunzip(gz);
  expect(out.equals(A)).toBe(true);
  expect(problems.map((p) => [p.code, p.severity])).toEqual([
    ['GZIP_BAD_CRC', 'warning'],
    ['GZIP_BAD_LENGTH', 'warning'],
  ]);
});

test('gunzipMembers(zero padding, garbage after the last member) yields every byte, then one warning that says which', async () => {
  const zeros = await gunzip(Buffer.concat([gzipSync(A), Buffer.alloc(10000)]));
  expect(zeros.out.equals(A)).toBe(true);
  expect(zeros.problems).toEqual([expect.objectContaining({ code: 'GZIP_TRAILING_DATA', severity: 'warning', message: expect.stringMatching(/^10000 zero byte/) })]);
  const junk = await gunzip(Buffer.concat([gzipSync(A), Buffer.from('\x1f\x8bjunk')]));
  expect(junk.out.equals(A)).toBe(true);
  expect(junk.problems).toEqual([expect.objectContaining({ code: 'GZIP_TRAILING_DATA', message: expect.stringMatching(/are not gzip/) })]);
});

test('gunzipMembers(cut in the data, cut in the trailer) yields what inflates and warns GZIP_TRUNCATED', async () => {
  const gz = gzipSync(A);
  const inData = await gunzip(gz.subarray(0, Math.floor(gz.length / 2)));
  expect(inData.out.length).toBeGreaterThan(1000);
  expect(inData.out.equals(A.subarray(0, inData.out.length))).toBe(true);
  expect(inData.problems).toEqual([expect.objectContaining({ code: 'GZIP_TRUNCATED', truncates: true })]);
  const inTrailer = await gunzip(gz.subarray(0, gz.length - 3));
  expect(inTrailer.out.equals(A)).toBe(true);
  expect(inTrailer.problems).toEqual([expect.objectContaining({ code: 'GZIP_TRUNCATED', truncates: true })]);
});

test('gunzipMembers(invalid deflate block in the second member) yields the first member, then GZIP_CORRUPT', async () => {
  const second = Buffer.from(gzipSync(B));
  second[10] = 0xff;
  const { out, problems } = await gunzip(Buffer.concat([gzipSync(A), second]));
  expect(out.equals(A)).toBe(true);
  expect(problems.map((p) => [p.code, p.severity])).toEqual([['GZIP_CORRUPT', 'error']]);
});
