/**
 * Issue 13's ingest findings, each through the public reader: times a Date cannot hold are dropped
 * with frame and offset (pcap and pcapng), odd times kept with a warning, resync guided by the time
 * window and pcapng block alignment, gzip trailer problems as warnings after every record, control
 * characters escaped in diagnostics.
 */
import { rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CAPTURES_DIR, collectFile, epb, frame, idb, pcapHeader, pcapRecord, shb, tmpDir, type Collected } from './captureTestUtil.js';

let dir = '';
beforeAll(async () => {
  dir = await tmpDir('ingest-faults');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function read(name: string, bytes: Buffer): Promise<Collected> {
  const p = join(dir, name);
  await writeFile(p, bytes);
  return collectFile(p);
}

const frameNumbers = (c: Collected): string[] => c.lines.map((l) => l.split('\t')[0]);
const T_US = 1700000000000000n; // 2023-11-14, in µs
const BACNET = join(CAPTURES_DIR, 'bacnet/cisagov_bacnet_example.pcap'); // 256 KB, 3257 records
const SMALL = join(CAPTURES_DIR, 'modbus/cisagov_modbus_example.pcap'); // 9 KB, 100 records

describe('times a Date cannot hold', () => {
  test.each([
    ['a huge if_tsoffset', { tsoffset: 1n << 62n }, T_US],
    ['if_tsresol 0 (seconds) with a 64-bit count', { tsresol: 0 }, 1n << 50n],
    ['if_tsresol 1 (tenths) overflowing', { tsresol: 1 }, 1n << 60n],
    ['if_tsresol 2^-0 with garbage words', { tsresol: 0x80 }, 0xfedcba9876543210n],
  ])('readCaptureFile(pcapng interface with %s) drops its packet with PCAPNG_BAD_TIMESTAMP at frame and offset', async (_what, opts, units) => {
    const le = true;
    const head = Buffer.concat([shb(le), idb(le, 1), idb(le, 1, opts)]);
    const good1 = epb(le, 0, T_US, frame(1));
    const bad = epb(le, 1, units, frame(2));
    const bytes = Buffer.concat([head, good1, bad, epb(le, 0, T_US + 1n, frame(3))]);
    const got = await read('bad-time.pcapng', bytes);
    expect(got.diags).toEqual([
      expect.objectContaining({ code: 'PCAPNG_BAD_TIMESTAMP', severity: 'error', frame: 2, offset: head.length + good1.length }),
    ]);
    expect(frameNumbers(got)).toEqual(['1', '3']);
    expect(got.summary).toMatchObject({ records: 2, frames: 3, errors: 1, badTimestamps: 1 });
  });

  test('readCaptureFile(pcap record with a microsecond field of 1000000 or more) drops it with PCAP_BAD_TIMESTAMP', async () => {
    const bytes = Buffer.concat([
      pcapHeader(),
      pcapRecord(1700000000, 5, frame(1)),
      pcapRecord(1700000000, 1000000, frame(2)),
      pcapRecord(1700000001, 0xffffffff, frame(3)),
      pcapRecord(1700000001, 7, frame(4)),
    ]);
    const got = await read('bad-usec.pcap', bytes);
    expect(got.diags.map((d) => [d.code, d.severity, d.frame, d.offset])).toEqual([
      ['PCAP_BAD_TIMESTAMP', 'error', 2, 24 + 76],
      ['PCAP_BAD_TIMESTAMP', 'error', 3, 24 + 2 * 76],
    ]);
    expect(got.lines).toEqual(['1\t1700000000.000005000\t60\t60', '4\t1700000001.000007000\t60\t60']);
    expect(got.summary).toMatchObject({ records: 2, frames: 4, badTimestamps: 2, endOffset: bytes.length });
  });
});

describe('odd but valid times are kept with a warning', () => {
  test('readCaptureFile(pcap dated 1970 and one record after 2100) warns CAPTURE_IMPLAUSIBLE_TIME once, keeps every record', async () => {
    const bytes = Buffer.concat([pcapHeader(), pcapRecord(5, 0, frame(1)), pcapRecord(6, 0, frame(2)), pcapRecord(4200000000, 0, frame(3))]);
    const got = await read('1970.pcap', bytes);
    expect(got.diags.map((d) => [d.code, d.severity, d.frame, d.offset])).toEqual([
      ['CAPTURE_IMPLAUSIBLE_TIME', 'warning', 1, 24],
      ['CAPTURE_IMPLAUSIBLE_TIME', 'note', 1, 24],
    ]);
    expect(got.summary).toMatchObject({ records: 3, errors: 0, warnings: 1 });
  });

  test('readCaptureFile(pcapng interface going back two days) warns CAPTURE_TIME_BACKWARDS; other interfaces are not compared', async () => {
    const le = true;
    const day = 86400000000n;
    const bytes = Buffer.concat([
      shb(le),
      idb(le, 1),
      idb(le, 1),
      epb(le, 0, T_US, frame(1)),
      epb(le, 1, T_US - 5n * day, frame(2)), // another interface: not compared with interface 0
      epb(le, 0, T_US - 2n * day, frame(3)),
      epb(le, 0, T_US - 2n * day + 1n, frame(4)),
    ]);
    const got = await read('backwards.pcapng', bytes);
    expect(got.diags).toEqual([expect.objectContaining({ code: 'CAPTURE_TIME_BACKWARDS', severity: 'warning', frame: 3 })]);
    expect(frameNumbers(got)).toEqual(['1', '2', '3', '4']);
  });
});

describe('resync chooses by time and alignment', () => {
  test('readCaptureFile(pcapng damage followed by a block-shaped fake at an unaligned offset) resumes on the aligned real block', async () => {
    const le = true;
    const head = Buffer.concat([shb(le), idb(le, 1)]);
    const fake = epb(le, 0, T_US + 3n, frame(99)); // a complete EPB, but 2 bytes off the 4-byte grid
    const damaged = Buffer.concat([Buffer.from([0xee, 0xee, 0xee, 0xee, 0x10, 0, 0, 0, 0xee, 0xee]), fake]);
    const pad = Buffer.alloc((4 - (damaged.length % 4)) % 4, 0xee);
    const bytes = Buffer.concat([head, epb(le, 0, T_US, frame(1)), damaged, pad, epb(le, 0, T_US + 2n, frame(2))]);
    const got = await read('unaligned.pcapng', bytes);
    const resync = got.diags.find((d) => d.code === 'CAPTURE_RESYNC');
    expect(resync?.offset).toBe(bytes.length - epb(le, 0, T_US + 2n, frame(2)).length);
    expect(got.hashes).toHaveLength(2);
    expect(got.lines.map((l) => l.split('\t')[1])).toEqual(['1700000000.000000000', '1700000000.000002000']);
  });

  test('readCaptureFile(pcapng damage followed by an aligned EPB dated years away) skips it and resumes on the block near the last time', async () => {
    const le = true;
    const head = Buffer.concat([shb(le), idb(le, 1)]);
    const first = epb(le, 0, T_US, frame(1));
    const garbageHeader = Buffer.from([0xee, 0xee, 0xee, 0xee, 0x10, 0, 0, 0]); // type unknown, length 16: damage
    const farAway = epb(le, 0, T_US + 5n * 365n * 86400000000n, frame(98)); // aligned, complete, 5 years on
    const good = epb(le, 0, T_US + 2n, frame(2));
    const bytes = Buffer.concat([head, first, garbageHeader, farAway, good]);
    const got = await read('far-time.pcapng', bytes);
    expect(got.diags.find((d) => d.code === 'CAPTURE_RESYNC')?.offset).toBe(bytes.length - good.length);
    expect(got.lines.map((l) => l.split('\t')[1])).toEqual(['1700000000.000000000', '1700000000.000002000']);
  });

  test('readCaptureFile(pcap whose first record is damaged) resumes only on a record dated 1990..2100', async () => {
    const bad = pcapRecord(1700000000, 0, frame(1));
    bad.writeUInt32LE(0x7fffffff, 8); // impossible caplen
    // A plausible-looking pair dated 1970, then the real records.
    const fake = Buffer.concat([pcapRecord(3, 0, Buffer.alloc(20)), pcapRecord(4, 0, Buffer.alloc(20))]).subarray(0, 16 + 20 + 16 + 20);
    const bytes = Buffer.concat([pcapHeader(), bad.subarray(0, 16), fake, pcapRecord(1700000000, 2, frame(2)), pcapRecord(1700000000, 3, frame(3))]);
    const got = await read('first-damaged.pcap', bytes);
    expect(got.lines.map((l) => l.split('\t')[1])).toEqual(['1700000000.000002000', '1700000000.000003000']);
  });
});

describe('gzip trailer problems keep every record', () => {
  function trailerCases(gz: Buffer): Array<[string, Buffer, string]> {
    const badCrc = Buffer.from(gz);
    badCrc.writeUInt32LE((badCrc.readUInt32LE(gz.length - 8) ^ 0xdeadbeef) >>> 0, gz.length - 8);
    const badLen = Buffer.from(gz);
    badLen.writeUInt32LE((badLen.readUInt32LE(gz.length - 4) + 1) >>> 0, gz.length - 4);
    return [
      ['a bad CRC', badCrc, 'GZIP_BAD_CRC'],
      ['a bad length', badLen, 'GZIP_BAD_LENGTH'],
      ['trailing garbage', Buffer.concat([gz, Buffer.from('this is not gzip\n')]), 'GZIP_TRAILING_DATA'],
      ['zero padding', Buffer.concat([gz, Buffer.alloc(4096)]), 'GZIP_TRAILING_DATA'],
    ];
  }

  for (const [label, path] of [
    ['small (9 KB)', SMALL],
    ['256 KB', BACNET],
  ] as const) {
    test(`readCaptureFile(${label} capture gzipped with a bad CRC, a bad length, trailing garbage or zero padding) keeps every record and warns`, async () => {
      const raw = readFileSync(path);
      const full = await collectFile(path);
      for (const [what, bytes, code] of trailerCases(gzipSync(raw))) {
        const got = await read(`trailer.pcap.gz`, bytes);
        expect([what, got.diags.map((d) => [d.code, d.severity])]).toEqual([what, [[code, 'warning']]]);
        expect(got.diags[0].offset).toBe(raw.length);
        expect(got.hashes).toEqual(full.hashes);
        expect(got.lines).toEqual(full.lines);
        expect(got.summary).toMatchObject({ compression: 'gzip', bytes: raw.length, errors: 0, truncated: false, endOffset: raw.length });
      }
    });
  }

  test('readCaptureFile(two gzip members, like cat a.gz b.gz) reads both, no diagnostic', async () => {
    const raw = readFileSync(SMALL);
    const full = await collectFile(SMALL);
    const cut = full.offsets[50];
    const got = await read('two.pcap.gz', Buffer.concat([gzipSync(raw.subarray(0, cut)), gzipSync(raw.subarray(cut))]));
    expect(got.diags).toEqual([]);
    expect(got.lines).toEqual(full.lines);
  });
});

describe('file names in diagnostics', () => {
  test('readCaptureFile(a damaged capture named with a newline and an escape character) escapes them in file and message', async () => {
    const name = join(dir, 'plant\nfake: error\u001b[2J.pcap');
    await writeFile(name, Buffer.concat([pcapHeader(), pcapRecord(1700000000, 1, frame(1)).subarray(0, 30)]));
    const got = await collectFile(name);
    expect(got.diags).toHaveLength(1);
    expect(got.diags[0].file).toBe(join(dir, 'plant\\nfake: error\\x1b[2J.pcap'));
    const missing = await collectFile(join(dir, 'gone\r\n.pcap'));
    expect(missing.diags[0].code).toBe('CAPTURE_UNREADABLE');
    expect(missing.diags[0].file).toBe(join(dir, 'gone\\r\\n.pcap'));
    expect(missing.diags[0].message).not.toMatch(/[\r\n]/);
  });
});
