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
