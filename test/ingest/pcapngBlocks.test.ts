import { parsePcapngBlocks } from '../../src/ingest/pcapngBlocks.js';
import { PcapngSection } from '../../src/ingest/pcapngInterfaces.js';
import { customBlock, epb, frame, idb, loadedState, shb, spb } from './captureTestUtil.js';

const T = 1700000000000000n;

test('parsePcapngBlocks(SHB, IDB, EPB, custom, SPB) delivers the packets; the custom block is a frame, as Wireshark counts', () => {
  const bytes = Buffer.concat([shb(true), idb(true, 1), epb(true, 0, T + 5n, frame(1)), customBlock(true), spb(true, frame(2, 70))]);
  const { s, records, diags } = loadedState(bytes);
  expect(parsePcapngBlocks(s, new PcapngSection())).toBe(false);
  expect(records.map((r) => [r.frame, r.tsSec, r.tsNsec, r.caplen])).toEqual([
    [1, 1700000000, 5000, 60],
    [3, 1700000000, 5000, 70],
  ]);
  expect(diags).toEqual([]);
  expect([s.start, s.endOffset]).toEqual([bytes.length, bytes.length]);
});

test('parsePcapngBlocks(EPB whose time is beyond a Date) drops it with PCAPNG_BAD_TIMESTAMP and goes on', () => {
  const head = Buffer.concat([shb(true), idb(true, 1, { tsresol: 0 })]);
  const bytes = Buffer.concat([head, epb(true, 0, 1n << 60n, frame(1)), epb(true, 0, 1700000000n, frame(2))]);
  const { s, records, diags } = loadedState(bytes);
  expect(parsePcapngBlocks(s, new PcapngSection())).toBe(false);
  expect(records.map((r) => [r.frame, r.tsSec])).toEqual([[2, 1700000000]]);
  expect(diags).toEqual([expect.objectContaining({ code: 'PCAPNG_BAD_TIMESTAMP', frame: 1, offset: head.length })]);
  expect(s.badTimestamps).toBe(1);
});

test('parsePcapngBlocks(block length 13) reports PCAPNG_BAD_BLOCK_LENGTH and returns true, one byte past it', () => {
  const head = Buffer.concat([shb(true), idb(true, 1)]);
  const bad = epb(true, 0, T, frame(1));
  bad.writeUInt32LE(13, 4);
  const { s, diags } = loadedState(Buffer.concat([head, bad]));
  expect(parsePcapngBlocks(s, new PcapngSection())).toBe(true);
  expect(diags).toEqual([expect.objectContaining({ code: 'PCAPNG_BAD_BLOCK_LENGTH', frame: 1, offset: head.length })]);
  expect(s.start).toBe(head.length + 1);
});
