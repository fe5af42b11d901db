import { MAX_CAPLEN, parsePcapRecords, readPcapHeader, type PcapFormat } from '../../src/ingest/pcapRecords.js';
import { frame, loadedState, pcapHeader, pcapRecord } from './captureTestUtil.js';

const fmt = (): PcapFormat => ({ le: true, nsMul: 1000, fracLimit: 1e6, recHdr: 16, linktype: 0, snaplen: 0, noteAbove: 262144 });

test('readPcapHeader(24 bytes) takes snaplen and link type (FCS bits masked off); fewer bytes wait, or warn at the end', () => {
  const h = pcapHeader({ snaplen: 96, linktype: 0x10000001 });
  const { s } = loadedState(h);
  const f = fmt();
  expect(readPcapHeader(s, f, false)).toBe('ok');
  expect([f.snaplen, f.noteAbove, f.linktype, s.start, s.endOffset]).toEqual([96, 96, 1, 24, 24]);
  const short = loadedState(h.subarray(0, 20));
  expect(readPcapHeader(short.s, fmt(), false)).toBe('wait');
  expect(readPcapHeader(short.s, fmt(), true)).toBe('truncated');
  expect(short.diags.map((d) => d.code)).toEqual(['PCAP_TRUNCATED_HEADER']);
});

test('parsePcapRecords(three records and half of a fourth) delivers three, waits for the rest, endOffset after the third', () => {
  const recs = [pcapRecord(1700000000, 1, frame(1)), pcapRecord(1700000000, 2, frame(2, 200)), pcapRecord(1700000001, 3, frame(3))];
  const bytes = Buffer.concat([...recs, pcapRecord(1700000002, 4, frame(4)).subarray(0, 30)]);
  const { s, records } = loadedState(bytes);
  expect(parsePcapRecords(s, fmt())).toBe(false);
  expect(records.map((r) => [r.frame, r.tsSec, r.tsNsec, r.caplen, r.fileOffset, r.dataFileOffset])).toEqual([
    [1, 1700000000, 1000, 60, 0, 16],
    [2, 1700000000, 2000, 200, 76, 92],
    [3, 1700000001, 3000, 60, 292, 308],
  ]);
  expect([s.start, s.need, s.endOffset, s.records, s.frames]).toEqual([368, 16 + 60, 368, 3, 3]);
  expect(s.prevSec).toBe(1700000001);
});

test('parsePcapRecords(caplen over MAX_CAPLEN) stops there with PCAP_BAD_RECORD_LENGTH and returns true for the resync', () => {
  const bad = pcapRecord(1700000000, 2, frame(2));
  bad.writeUInt32LE(MAX_CAPLEN + 1, 8);
  const { s, records, diags } = loadedState(Buffer.concat([pcapRecord(1700000000, 1, frame(1)), bad]));
  expect(parsePcapRecords(s, fmt())).toBe(true);
  expect(records).toHaveLength(1);
  expect(diags).toEqual([expect.objectContaining({ code: 'PCAP_BAD_RECORD_LENGTH', frame: 2, offset: 76 })]);
  expect([s.start, s.damageAt, s.frames]).toEqual([77, 76, 2]);
});

test('parsePcapRecords(startOffset) reads the earlier records without delivering or judging them', () => {
  const bytes = Buffer.concat([pcapRecord(1700000000, 1e6, frame(1)), pcapRecord(5, 0, frame(2)), pcapRecord(1700000000, 3, frame(3))]);
  const { s, records, diags } = loadedState(bytes, 152);
  expect(parsePcapRecords(s, fmt())).toBe(false);
  expect(records.map((r) => r.frame)).toEqual([3]);
  expect(diags).toEqual([]);
  expect(s.frames).toBe(3);
});

test('parsePcapRecords(times from 2038 on, negative as int32) are plausible, and going back from them is still seen', () => {
  const y2050 = 2524608000;
  const y2040 = 2208988800;
  const bytes = Buffer.concat([pcapRecord(y2050, 1, frame(1)), pcapRecord(y2050 + 1, 1, frame(2)), pcapRecord(y2040, 1, frame(3)), pcapRecord(1700000000, 1, frame(4))]);
  const { s, records, diags } = loadedState(bytes);
  expect(parsePcapRecords(s, fmt())).toBe(false);
  expect(records.map((r) => r.tsSec)).toEqual([y2050, y2050 + 1, y2040, 1700000000]);
  expect(diags.map((d) => [d.code, d.frame])).toEqual([['CAPTURE_TIME_BACKWARDS', 3]]);
  expect([s.lastSec, s.prevSec, s.watch.last(0)]).toEqual([1700000000, 1700000000, 1700000000]);
});

test('parsePcapRecords(over two calls) compares the first record of a chunk with the last of the previous one', () => {
  const a = pcapRecord(1700000000, 1, frame(1));
  const b = pcapRecord(1700000000 - 2 * 86400, 1, frame(2));
  const { s, diags } = loadedState(Buffer.concat([a, b]));
  s.end = a.length;
  expect(parsePcapRecords(s, fmt())).toBe(false);
  s.end = a.length + b.length;
  expect(parsePcapRecords(s, fmt())).toBe(false);
  expect(diags.map((d) => [d.code, d.frame, d.offset])).toEqual([['CAPTURE_TIME_BACKWARDS', 2, a.length]]);
});
