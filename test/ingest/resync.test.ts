import { PcapngSection, readInterfaceBlock } from '../../src/ingest/pcapngInterfaces.js';
import type { PcapFormat } from '../../src/ingest/pcapRecords.js';
import { alignUp, blockPlausible, pcapPlausible, resyncPcap, resyncPcapng } from '../../src/ingest/resync.js';
import { epb, frame, idb, loadedState, pcapRecord } from './captureTestUtil.js';

const fmt: PcapFormat = { le: true, nsMul: 1000, fracLimit: 1e6, recHdr: 16, linktype: 1, snaplen: 64, noteAbove: 64 };
const T = 1700000000000000n;

test('pcapPlausible(record) checks lengths against MAX_CAPLEN, not snaplen, the sub-second field and the time window', () => {
  const { s } = loadedState(Buffer.concat([pcapRecord(1700000000, 5, frame(1, 1000)), pcapRecord(1700000000, 1e6, frame(2)), pcapRecord(5, 0, frame(3))]));
  expect(pcapPlausible(s, fmt, 0, NaN)).toBe(true); // 1000 bytes > snaplen 64: still plausible
  expect(pcapPlausible(s, fmt, 1016, NaN)).toBe(false); // µs field of a second
  expect(pcapPlausible(s, fmt, 1016 + 76, NaN)).toBe(false); // 1970, no time to compare with
  expect(pcapPlausible(s, fmt, 1016 + 76, 10)).toBe(true); // 1970, near the last good record
});

test('resyncPcap(garbage then two records) lands on the first record, not on a garbage header whose record runs past the end', () => {
  const bytes = Buffer.concat([Buffer.alloc(21, 0xff), pcapRecord(1700000000, 1, frame(1)), pcapRecord(1700000000, 2, frame(2))]);
  const { s, diags } = loadedState(bytes);
  expect(resyncPcap(s, fmt, true)).toBe('found');
  expect(s.start).toBe(21);
  expect(diags).toEqual([expect.objectContaining({ code: 'CAPTURE_RESYNC', offset: 21 })]);
});

test('alignUp(q) rounds to the 4-byte grid of the file, counting the window base', () => {
  const { s } = loadedState(Buffer.alloc(8));
  expect([0, 1, 3, 4, 5].map((q) => alignUp(s, q))).toEqual([0, 4, 4, 4, 8]);
  s.base = 2;
  expect([0, 1, 2, 3].map((q) => alignUp(s, q))).toEqual([2, 2, 2, 6]);
});

test('blockPlausible(EPB) wants a known interface, a fitting caplen and a time near the last good one', () => {
  const i = idb(true, 1);
  const good = epb(true, 0, T, frame(1));
  const far = epb(true, 0, T + 86401000000n, frame(2));
  const unknownIf = epb(true, 3, T, frame(3));
  const { s } = loadedState(Buffer.concat([i, good, far, unknownIf]));
  const section = new PcapngSection();
  readInterfaceBlock(s, section, 0, i.length);
  s.prevSec = 1700000000;
  expect(blockPlausible(s, section, i.length, true)).toBe(1);
  expect(blockPlausible(s, section, i.length + good.length, true)).toBe(0);
  expect(blockPlausible(s, section, i.length + 2 * good.length, true)).toBe(0);
});

test('resyncPcapng(an EPB 2 bytes off the grid, then an aligned one) skips the unaligned block', () => {
  const i = idb(true, 1);
  const off = Buffer.concat([Buffer.alloc(2, 0xee), epb(true, 0, T, frame(1)), Buffer.alloc(2, 0xee)]);
  const bytes = Buffer.concat([i, off, epb(true, 0, T + 1n, frame(2))]);
  const { s } = loadedState(bytes);
  const section = new PcapngSection();
  readInterfaceBlock(s, section, 0, i.length);
  s.start = i.length;
  expect(resyncPcapng(s, section, true)).toBe('found');
  expect(s.start).toBe(i.length + off.length);
});
