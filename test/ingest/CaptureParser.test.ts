import { CaptureParser } from '../../src/ingest/CaptureParser.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { CaptureRecord } from '../../src/ingest/record.js';
import { frame, pcapHeader, pcapRecord } from './captureTestUtil.js';

function parser(chunk = 64): { p: CaptureParser; frames: number[]; diags: Diagnostic[] } {
  const frames: number[] = [];
  const diags: Diagnostic[] = [];
  const p = new CaptureParser((r: CaptureRecord) => frames.push(r.frame), { fileName: 'x.pcap', startOffset: 0, onDiagnostic: (d) => diags.push(d) }, chunk);
  return { p, frames, diags };
}

const capture = Buffer.concat([pcapHeader(), ...[1, 2, 3, 4, 5].map((i) => pcapRecord(1700000000, i, frame(i, 50 + i * 10)))]);

test('CaptureParser.room()/commit(n) read in place, growing the buffer for a record larger than it', () => {
  const { p, frames, diags } = parser(64);
  let off = 0;
  while (off < capture.length) {
    const room = p.room();
    expect(room.length).toBeGreaterThan(0);
    const n = Math.min(room.length, 33, capture.length - off);
    capture.copy(room.buf, room.offset, off, off + n);
    off += n;
    p.commit(n);
  }
  p.finish();
  expect(frames).toEqual([1, 2, 3, 4, 5]);
  expect(diags).toEqual([]);
  expect(p.summary()).toMatchObject({ format: 'pcap', records: 5, frames: 5, bytes: capture.length, endOffset: capture.length, truncated: false });
});

test('CaptureParser.stop() after the first record ignores the rest; finish() runs once; summary() is a copy', () => {
  const { p, frames, diags } = parser();
  const all: number[] = [];
  const q = new CaptureParser(
    (r) => {
      all.push(r.frame);
      q.stop();
    },
    { fileName: 'x', startOffset: 0 },
    64,
  );
  q.write(capture);
  expect(all).toEqual([1]);
  expect(q.stopped).toBe(true);
  p.write(capture.subarray(0, capture.length - 10));
  p.finish();
  p.finish();
  expect(frames).toEqual([1, 2, 3, 4]);
  expect(diags.map((d) => d.code)).toEqual(['PCAP_TRUNCATED_RECORD']);
  const s = p.summary();
  s.linktypes.push(99);
  expect(p.summary().linktypes).toEqual([1]);
});

test('CaptureParser.report(code, truncates) locates an input problem at the bytes read so far and marks the capture cut', () => {
  const { p, diags } = parser();
  p.write(capture.subarray(0, 100));
  p.report('GZIP_TRUNCATED', 'warning', 'cut', { truncates: true });
  expect(diags).toEqual([{ code: 'GZIP_TRUNCATED', severity: 'warning', message: 'cut', file: 'x.pcap', offset: 100 }]);
  expect(p.summary()).toMatchObject({ truncated: true, warnings: 1 });
});

test('CaptureParser.finish(no bytes at all) warns CAPTURE_EMPTY at offset 0', () => {
  const { p, diags } = parser();
  p.finish();
  expect(diags).toEqual([expect.objectContaining({ code: 'CAPTURE_EMPTY', severity: 'warning', offset: 0 })]);
  expect(p.summary().format).toBe('unknown');
});
