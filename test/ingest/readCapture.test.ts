/**
 * readCaptureFile / readCaptureStream against the oracles: tshark on EVERY capture in
 * ../shared/captures and on re-encodings of each (editcap -F pcapng / nsecpcap / modpcap, gzip,
 * byte-swapped classic pcap, a copy cut mid-record), and pcap-parser on every classic pcap.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { gzipSync } from 'node:zlib';
import { readCaptureFile } from '../../src/ingest/readCapture.js';
import { byteSwapPcap, chunked, collectFile, collectStream, listCaptures, run, tmpDir, tsharkLines, type Collected } from './captureTestUtil.js';

const require = createRequire(import.meta.url);
const pcapParser = require('pcap-parser') as { parse(input: string): EventEmitter };

const CAPTURES = listCaptures();
const KINDS = ['original', 'pcapng', 'nsecpcap', 'modpcap', 'gzip', 'gzip-pcapng', 'swapped'] as const;
type Kind = (typeof KINDS)[number];

let dir = '';
/** path of each variant, and tshark's lines for it */
const variantPath = new Map<string, string>();
const oracle = new Map<string, string[]>();
const cutInfo = new Map<number, { path: string; k: number; lines: string[] }>();
const originals = new Map<number, Collected>();

const key = (i: number, kind: string): string => `${i}:${kind}`;

/**
 * The diagnostics a clean capture may give: a warning and a note that its records are dated outside
 * 1990..2100 (some corpus captures are dated 1970), when `dated1970` says so; nothing else.
 */
function expectClean(got: Collected, dated1970: boolean): void {
  expect(got.diags.filter((d) => d.code !== 'CAPTURE_IMPLAUSIBLE_TIME')).toEqual([]);
  const odd = got.diags.filter((d) => d.code === 'CAPTURE_IMPLAUSIBLE_TIME');
  expect(odd.map((d) => d.severity)).toEqual(dated1970 ? ['warning', 'note'].slice(0, odd.length) : []);
  if (dated1970) expect(odd[0]).toMatchObject({ severity: 'warning', frame: 1 });
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

function isClassicMicro(buf: Buffer): boolean {
  return buf.readUInt32LE(0) === 0xa1b2c3d4 || buf.readUInt32BE(0) === 0xa1b2c3d4;
}

beforeAll(async () => {
  dir = await tmpDir('ingest-oracle');
  const jobs: Array<() => Promise<void>> = [];
  for (let i = 0; i < CAPTURES.length; i++) {
    const src = CAPTURES[i];
    const stem = join(dir, `${i}-${basename(src)}`);
    const buf = readFileSync(src);
    variantPath.set(key(i, 'original'), src);
    jobs.push(async () => {
      for (const f of ['pcapng', 'nsecpcap', 'modpcap', 'pcap'] as const) {
        const out = `${stem}.${f}`;
        const r = await run('editcap', ['-F', f, src, out]);
        if (r.code !== 0) throw new Error(`editcap -F ${f} ${src}: ${r.stderr}`);
        if (f !== 'pcap') variantPath.set(key(i, f), out);
      }
      await writeFile(`${stem}.gz`, gzipSync(buf));
      variantPath.set(key(i, 'gzip'), `${stem}.gz`);
      await writeFile(`${stem}.pcapng.gz`, gzipSync(await readFile(`${stem}.pcapng`)));
      variantPath.set(key(i, 'gzip-pcapng'), `${stem}.pcapng.gz`);
      await writeFile(`${stem}.swapped`, byteSwapPcap(await readFile(`${stem}.pcap`)));
      variantPath.set(key(i, 'swapped'), `${stem}.swapped`);
    });
  }
  await pool(jobs, 2, (j) => j());
  // gzip variants are checked against tshark's reading of the bytes they compress.
  const keys = [...variantPath.keys()].filter((k) => !k.endsWith(':gzip') && !k.endsWith(':gzip-pcapng'));
  await pool(keys, 2, async (k) => {
    oracle.set(k, await tsharkLines(variantPath.get(k) as string));
  });
  for (let i = 0; i < CAPTURES.length; i++) {
    oracle.set(key(i, 'gzip'), oracle.get(key(i, 'original')) as string[]);
    oracle.set(key(i, 'gzip-pcapng'), oracle.get(key(i, 'pcapng')) as string[]);
  }
  // A copy of each capture cut in the middle of its middle record.
  for (let i = 0; i < CAPTURES.length; i++) {
    const full = await collectFile(CAPTURES[i]);
    originals.set(i, full);
    const n = full.lines.length;
    const k = Math.ceil(n / 2); // 1-based frame that gets cut
    const at = full.offsets[k - 1];
    const nextAt = k < n ? full.offsets[k] : (await stat(CAPTURES[i])).size;
    const cutAt = at + Math.floor((nextAt - at) / 2);
    const path = `${join(dir, `${i}-${basename(CAPTURES[i])}`)}.cut`;
    await writeFile(path, readFileSync(CAPTURES[i]).subarray(0, cutAt));
    cutInfo.set(i, { path, k, lines: [] });
  }
  await pool([...cutInfo.values()], 2, async (c) => {
    c.lines = await tsharkLines(c.path);
  });
}, 300000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(CAPTURES.map((p, i) => [basename(p), i] as const))('%s', (_name, i) => {
  test.each(KINDS.map((k) => [k]))('readCaptureFile(%s) matches tshark: frames, ns timestamps, lengths', async (kind: Kind) => {
    const path = variantPath.get(key(i, kind)) as string;
    const expected = oracle.get(key(i, kind)) as string[];
    expect(expected.length).toBeGreaterThan(0);
    const got = await collectFile(path);
    const dated1970 = Number(expected[0].split('\t')[1]) < 631152000;
    expectClean(got, dated1970);
    expect(got.lines).toEqual(expected);
    const s = got.summary;
    expect(s.records).toBe(expected.length);
    expect(s.frames).toBe(expected.length);
    expect(s.truncated).toBe(false);
    expect(s.errors).toBe(0);
    expect(s.warnings).toBe(dated1970 ? 1 : 0);
    expect(s.compression).toBe(kind.startsWith('gzip') ? 'gzip' : 'none');
    const pcapng = kind === 'pcapng' || kind === 'gzip-pcapng' || ((kind === 'original' || kind === 'gzip') && readFileSync(CAPTURES[i]).readUInt32BE(0) === 0x0a0d0d0a);
    expect(s.format).toBe(pcapng ? 'pcapng' : 'pcap');
    expect(s.firstTsSec).toBeCloseTo(Number(expected[0].split('\t')[1]), 5);
    expect(s.lastTsSec).toBeCloseTo(Number(expected[expected.length - 1].split('\t')[1]), 5);
    // The same packet bytes whatever the container.
    expect(got.hashes).toEqual((originals.get(i) as Collected).hashes);
    if (kind.startsWith('gzip')) expect(s.bytes).toBeGreaterThan((await stat(path)).size);
    else expect(s.bytes).toBe((await stat(path)).size);
    expect(s.endOffset).toBe(s.bytes);
  });

  test('readCaptureFile(cut mid-record) keeps every earlier record and warns PCAP/PCAPNG truncated at the cut record', async () => {
    const c = cutInfo.get(i) as { path: string; k: number; lines: string[] };
    const full = originals.get(i) as Collected;
    const got = await collectFile(c.path);
    expect(got.lines).toEqual(c.lines);
    expect(got.lines).toEqual(full.lines.slice(0, c.k - 1));
    expect(got.summary.truncated).toBe(true);
    expect(got.summary.endOffset).toBe(full.offsets[c.k - 1]);
    const dated1970 = (full.summary.firstTsSec ?? 0) < 631152000;
    const diags = got.diags.filter((x) => x.code !== 'CAPTURE_IMPLAUSIBLE_TIME' || !dated1970);
    expect(diags).toHaveLength(1);
    const d = diags[0];
    expect(d.code).toBe(full.summary.format === 'pcap' ? 'PCAP_TRUNCATED_RECORD' : 'PCAPNG_TRUNCATED_BLOCK');
    expect(d.severity).toBe('warning');
    expect(d.frame).toBe(c.k);
    expect(d.offset).toBe(full.offsets[c.k - 1]);
    expect(d.file).toBe(c.path);
  });

  test('readCaptureStream(1..7 and 1..4096 byte chunks, plain and gzip) and tiny chunkSize give the same records', async () => {
    const full = originals.get(i) as Collected;
    const buf = readFileSync(CAPTURES[i]);
    for (const got of [
      await collectStream(chunked(buf, 7, i + 1)),
      await collectStream(chunked(buf, 4096, i + 3)),
      await collectStream(chunked(gzipSync(buf), 100, i + 5)),
      await collectFile(CAPTURES[i], { chunkSize: 64 }),
      await collectFile(CAPTURES[i], { chunkSize: 1000 }),
    ]) {
      expectClean(got, (full.summary.firstTsSec ?? 0) < 631152000);
      expect(got.lines).toEqual(full.lines);
      expect(got.hashes).toEqual(full.hashes);
      expect(got.offsets).toEqual(full.offsets);
    }
  });
});

describe('pcap-parser differential', () => {
  const classic = CAPTURES.map((p, i) => [basename(p), i] as const).filter(([, i]) => isClassicMicro(readFileSync(CAPTURES[i])));

  test('the corpus has classic microsecond pcaps to compare', () => {
    expect(classic.length).toBeGreaterThanOrEqual(15);
  });

  async function viaPcapParser(path: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const out: string[] = [];
      let hdr = '';
      const p = pcapParser.parse(path);
      p.on('packetHeader', (h: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number }) => {
        hdr = `${h.timestampSeconds}.${String(h.timestampMicroseconds * 1000).padStart(9, '0')}\t${h.originalLength}\t${h.capturedLength}`;
      });
      p.on('packetData', (d: Buffer) => out.push(`${hdr}\t${createHash('sha256').update(d).digest('hex')}`));
      p.on('end', () => resolve(out));
      p.on('error', reject);
    });
  }

  test.each(classic)('readCaptureFile(%s) and its byte-swapped copy equal pcap-parser: records, timestamps, lengths, bytes', async (_n, i) => {
    for (const path of [CAPTURES[i], variantPath.get(key(i, 'swapped')) as string]) {
      const expected = await viaPcapParser(path);
      const got = await collectFile(path);
      expect(expected.length).toBeGreaterThan(0);
      expect(got.lines.map((l, k) => `${l.split('\t').slice(1).join('\t')}\t${got.hashes[k]}`)).toEqual(expected);
    }
  });
});

describe('onProgress', () => {
  test('readCaptureFile(onProgress) reports increasing byte counts, at most once per chunk, ending at the file size', async () => {
    const path = CAPTURES.find((p) => p.endsWith('cisagov_bacnet_example.pcap')) as string;
    const size = (await stat(path)).size;
    const seen: number[] = [];
    const chunkSize = 16384;
    const s = await readCaptureFile(path, () => undefined, { chunkSize, onProgress: (n) => seen.push(n) });
    expect(s.records).toBe(3257);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(size / (chunkSize / 2)) + 1);
    for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThan(seen[k - 1]);
    expect(seen[seen.length - 1]).toBe(size);
  });
});
