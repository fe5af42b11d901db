import { readFileSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expandInputs, hasCaptureExtension, sniffCapture } from '../../src/ingest/inputs.js';
import { CAPTURES_DIR, tmpDir } from './captureTestUtil.js';
import { pcapHeader } from '../util/pcap.js';

let root = '';
const PCAP = readFileSync(join(CAPTURES_DIR, 'modbus/zeek_modbus-eit.pcap'));
const PCAPNG = readFileSync(join(CAPTURES_DIR, 'enip/cisagov_multiple_service_packet_cip.pcapng'));

beforeAll(async () => {
  root = await tmpDir('ingest-inputs');
  // root/
  //   caps/a.pcap  caps/b.PCAPNG  caps/notes.txt  caps/rotated (pcap, no extension)
  //   caps/logs.gz (gzip of text)  caps/old.cap.gz  caps/.hidden.pcap  caps/zipped (gzip of pcapng)
  //   caps/day1/x.pcap  caps/day1/deep/y.pcapng  caps/day1/loop -> ..  empty/
  const caps = join(root, 'caps');
  await mkdir(join(caps, 'day1', 'deep'), { recursive: true });
  await mkdir(join(root, 'empty'));
  await writeFile(join(caps, 'a.pcap'), PCAP);
  await writeFile(join(caps, 'b.PCAPNG'), PCAPNG);
  await writeFile(join(caps, 'notes.txt'), 'not a capture\n');
  await writeFile(join(caps, 'rotated'), PCAP);
  await writeFile(join(caps, 'logs.gz'), gzipSync(Buffer.from('plain text log\n')));
  await writeFile(join(caps, 'old.cap.gz'), gzipSync(PCAP));
  await writeFile(join(caps, 'zipped'), gzipSync(PCAPNG));
  await writeFile(join(caps, '.hidden.pcap'), PCAP);
  await writeFile(join(caps, 'day1', 'x.pcap'), PCAP);
  await writeFile(join(caps, 'day1', 'deep', 'y.pcapng'), PCAPNG);
  await symlink('..', join(caps, 'day1', 'loop'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const p = (...s: string[]): string => join(root, ...s);

test('expandInputs(directory) walks it recursively in name order, by extension or magic, skipping hidden files and loops', async () => {
  const r = await expandInputs([p('caps')]);
  expect(r.diagnostics).toEqual([]);
  expect(r.files).toEqual([
    p('caps', 'a.pcap'),
    p('caps', 'b.PCAPNG'),
    p('caps', 'day1', 'deep', 'y.pcapng'),
    p('caps', 'day1', 'x.pcap'),
    p('caps', 'old.cap.gz'),
    p('caps', 'rotated'),
    p('caps', 'zipped'),
  ]);
});

test('expandInputs(glob with *, ? and **) matches within and across directories', async () => {
  expect((await expandInputs([p('caps', '*.pcap')])).files).toEqual([p('caps', 'a.pcap')]);
  expect((await expandInputs([p('caps', '?.pcap*')])).files).toEqual([p('caps', 'a.pcap')]);
  expect((await expandInputs([p('caps', '**', '*.pcap')])).files).toEqual([p('caps', 'a.pcap'), p('caps', 'day1', 'x.pcap')]);
  expect((await expandInputs([p('caps', '**', 'y.pcapng')])).files).toEqual([p('caps', 'day1', 'deep', 'y.pcapng')]);
  expect((await expandInputs([p('caps', 'd*')])).files).toEqual([p('caps', 'day1', 'deep', 'y.pcapng'), p('caps', 'day1', 'x.pcap')]);
  // A wildcard over files keeps only captures (notes.txt and logs.gz are not).
  expect((await expandInputs([p('caps', '*')])).files).not.toContain(p('caps', 'notes.txt'));
  expect((await expandInputs([p('caps', '*')])).files).not.toContain(p('caps', 'logs.gz'));
});

test('expandInputs(missing file, unmatched glob, empty directory) gives INPUT_NOT_FOUND / INPUT_NO_CAPTURES and keeps the rest', async () => {
  const r = await expandInputs([p('nope.pcap'), p('caps', '*.nothing'), p('empty'), p('caps', 'a.pcap')]);
  expect(r.files).toEqual([p('caps', 'a.pcap')]);
  expect(r.diagnostics.map((d) => [d.code, d.severity, d.file])).toEqual([
    ['INPUT_NOT_FOUND', 'error', p('nope.pcap')],
    ['INPUT_NOT_FOUND', 'error', p('caps', '*.nothing')],
    ['INPUT_NO_CAPTURES', 'warning', p('empty')],
  ]);
});

test('expandInputs(the same file thrice, by name, directory and glob) lists it once, first position wins', async () => {
  const r = await expandInputs([p('caps', 'day1', 'x.pcap'), p('caps', 'day1'), p('caps', '**', 'x.pcap'), p('caps', 'day1', 'loop', 'day1', 'x.pcap')]);
  expect(r.files).toEqual([p('caps', 'day1', 'x.pcap'), p('caps', 'day1', 'deep', 'y.pcapng')]);
});

test('expandInputs(an explicitly named non-capture file) takes it: the reader will diagnose it', async () => {
  const r = await expandInputs([p('caps', 'notes.txt')]);
  expect(r).toEqual({ files: [p('caps', 'notes.txt')], diagnostics: [] });
});

test('hasCaptureExtension and sniffCapture recognise captures by name and by magic (also inside gzip)', async () => {
  expect(['x.pcap', 'X.PCAPNG', 'y.cap', 'z.pcap.gz', 'w.pcapng.gz', 'v.cap.gz'].every(hasCaptureExtension)).toBe(true);
  expect(['x.gz', 'x.txt', 'pcap', 'x.pcap.bak'].some(hasCaptureExtension)).toBe(false);
  expect(await sniffCapture(p('caps', 'rotated'))).toBe(true);
  expect(await sniffCapture(p('caps', 'zipped'))).toBe(true);
  expect(await sniffCapture(p('caps', 'logs.gz'))).toBe(false);
  expect(await sniffCapture(p('caps', 'notes.txt'))).toBe(false);
  expect(await sniffCapture(p('does-not-exist'))).toBe(false);
  const be = p('be.bin');
  await writeFile(be, pcapHeader({ le: false, magic: 0xa1b23c4d }));
  expect(await sniffCapture(be)).toBe(true);
});
