import { PcapngSection, readInterfaceBlock } from '../../src/ingest/pcapngInterfaces.js';
import type { PcapFormat } from '../../src/ingest/pcapRecords.js';
import { pcapngTailDamage, pcapTailDamage } from '../../src/ingest/tailDamage.js';
import { epb, frame, idb, loadedState, pcapRecord } from './captureTestUtil.js';

const fmt: PcapFormat = { le: true, nsMul: 1000, fracLimit: 1e6, recHdr: 16, linktype: 1, snaplen: 0, noteAbove: 262144 };

test('pcapTailDamage(a record claiming past the end, with good records inside) is damage: resumes on the next record', () => {
  const bad = pcapRecord(1700000000, 1, frame(1));
  bad.writeUInt32LE(5000, 8);
  bad.writeUInt32LE(5000, 12);
  const bytes = Buffer.concat([bad, pcapRecord(1700000000, 2, frame(2)), pcapRecord(1700000000, 3, frame(3))]);
  const { s, diags } = loadedState(bytes);
  s.prevSec = 1700000000;
  expect(pcapTailDamage(s, fmt)).toBe(true);
  expect(s.start).toBe(76);
  expect(diags.map((d) => [d.code, d.offset])).toEqual([
    ['PCAP_BAD_RECORD_LENGTH', 0],
    ['CAPTURE_RESYNC', 76],
  ]);
});

test('pcapTailDamage(a record cut by the end of the file) is truncation, not damage', () => {
  const { s, diags } = loadedState(pcapRecord(1700000000, 1, frame(1)).subarray(0, 50));
  expect(pcapTailDamage(s, fmt)).toBe(false);
  expect(diags).toEqual([]);
});

test('pcapngTailDamage(a block claiming past the end, a good aligned block inside) is damage', () => {
  const i = idb(true, 1);
  const bad = epb(true, 0, 1700000000000000n, frame(1));
  bad.writeUInt32LE(1 << 16, 4);
  const good = epb(true, 0, 1700000000000001n, frame(2));
  const { s } = loadedState(Buffer.concat([i, bad, good]));
  const section = new PcapngSection();
  readInterfaceBlock(s, section, 0, i.length);
  s.start = i.length;
  expect(pcapngTailDamage(s, section)).toBe(true);
  expect(s.start).toBe(i.length + bad.length);
});
