/**
 * Bad input is normal input: impossible lengths (with resync), garbage, empty and header-only files,
 * cut gzip streams, unreadable paths; plus resuming from a previous endOffset and peekCapture.
 */
import { readFileSync } from 'node:fs';
import { open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants as zc, gzipSync, gunzipSync } from 'node:zlib';
import { peekCapture, readCaptureFile } from '../../src/ingest/readCapture.js';
import {
  CAPTURES_DIR,
  collectFile,
  epb,
  frame,
  idb,
  listCaptures,
  shb,
  tmpDir,
  tsharkLines,
  type Collected,
} from './captureTestUtil.js';
import { pcapHeader, pcapRecord } from '../util/pcap.js';

let dir = '';
beforeAll(async () => {
  dir = await tmpDir('ingest-damage');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const MODBUS = join(CAPTURES_DIR, 'modbus/cisagov_modbus_example.pcap'); // classic, 100 records
const OPCUA_NG = join(CAPTURES_DIR, 'opcua/cisagov_opcua_with-gap_with-handshake.pcap'); // pcapng, 411 EPBs
const BACNET = join(CAPTURES_DIR, 'bacnet/cisagov_bacnet_example.pcap'); // classic, 3257 records

async function write(name: string, bytes: Buffer): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, bytes);
  return p;
}

function codes(c: Collected): string[] {
  return c.diags.map((d) => d.code);
}

describe('impossible record lengths', () => {
  test('readCaptureFile(caplen 0x7fffffff at frame 40) reports frame and offset, then delivers every other record', async () => {
    const full = await collectFile(MODBUS);
    const buf = Buffer.from(readFileSync(MODBUS));
    const at = full.offsets[39];
    buf.writeUInt32LE(0x7fffffff, at + 8);
    const got = await collectFile(await write('bad-caplen.pcap', buf));
    const err = got.diags.filter((d) => d.severity === 'error');
    expect(err).toHaveLength(1);
    expect(err[0]).toMatchObject({ code: 'PCAP_BAD_RECORD_LENGTH', frame: 40, offset: at, file: join(dir, 'bad-caplen.pcap') });
    expect(codes(got)).toContain('CAPTURE_RESYNC');
    expect(got.lines).toEqual([...full.lines.slice(0, 39), ...full.lines.slice(40)]);
    expect(got.hashes).toEqual([...full.hashes.slice(0, 39), ...full.hashes.slice(40)]);
    expect(got.summary).toMatchObject({ records: 99, frames: 100, errors: 1, warnings: 0, truncated: false });
  });

  test('readCaptureFile(origlen < caplen at frame 10) is an error, the other 99 records are delivered', async () => {
    const full = await collectFile(MODBUS);
    const buf = Buffer.from(readFileSync(MODBUS));
    const at = full.offsets[9];
    buf.writeUInt32LE(buf.readUInt32LE(at + 8) - 1, at + 12);
    const got = await collectFile(await write('bad-origlen.pcap', buf));
    expect(got.diags[0]).toMatchObject({ code: 'PCAP_BAD_RECORD_LENGTH', severity: 'error', frame: 10, offset: at });
    expect(got.lines).toEqual([...full.lines.slice(0, 9), ...full.lines.slice(10)]);
  });

  test('readCaptureFile(caplen 1000 and 300 in a file with snaplen 96) keeps both, like libpcap: snaplen is a hint, one note', async () => {
    const bytes = Buffer.concat([
      pcapHeader({ snaplen: 96 }),
      pcapRecord(1700000000, 1, frame(1, 96)),
      pcapRecord(1700000000, 2, frame(2, 1000)),
      pcapRecord(1700000000, 3, frame(3, 300)),
      pcapRecord(1700000000, 4, frame(4, 80)),
    ]);
    const got = await collectFile(await write('snaplen.pcap', bytes));
    expect(got.diags).toEqual([expect.objectContaining({ code: 'PCAP_CAPLEN_OVER_SNAPLEN', severity: 'note', frame: 2, offset: 24 + 16 + 96 })]);
    expect(got.lines).toEqual([
      '1\t1700000000.000001000\t96\t96',
      '2\t1700000000.000002000\t1000\t1000',
      '3\t1700000000.000003000\t300\t300',
      '4\t1700000000.000004000\t80\t80',
    ]);
    expect(got.summary).toMatchObject({ records: 4, errors: 0, warnings: 0 });
  });

  test('readCaptureFile(caplen 262145, one over the 256 KiB bound, whatever the snaplen) is PCAP_BAD_RECORD_LENGTH', async () => {
    const big = Buffer.concat([pcapRecord(1700000000, 2, frame(2, 60)).subarray(0, 16), Buffer.alloc(0)]);
    big.writeUInt32LE(262145, 8);
    big.writeUInt32LE(262145, 12);
    const bytes = Buffer.concat([pcapHeader({ snaplen: 0x7fffffff }), pcapRecord(1700000000, 1, frame(1)), big, pcapRecord(1700000000, 3, frame(3))]);
    const got = await collectFile(await write('over-max.pcap', bytes));
    expect(got.diags[0]).toMatchObject({ code: 'PCAP_BAD_RECORD_LENGTH', severity: 'error', frame: 2, offset: 24 + 16 + 60 });
    expect(got.lines.map((l) => l.split('\t')[1])).toEqual(['1700000000.000001000', '1700000000.000003000']);
  });

  test('readCaptureFile(37 garbage bytes inserted before frame 51) resyncs onto the real record: all 100 packets delivered', async () => {
    const full = await collectFile(MODBUS);
    const buf = readFileSync(MODBUS);
    const at = full.offsets[50];
    const bytes = Buffer.concat([buf.subarray(0, at), Buffer.alloc(37, 0xff), buf.subarray(at)]);
    const got = await collectFile(await write('garbage-inside.pcap', bytes));
    expect(got.diags.find((d) => d.severity === 'error')).toMatchObject({ code: 'PCAP_BAD_RECORD_LENGTH', frame: 51, offset: at });
    expect(got.diags.find((d) => d.code === 'CAPTURE_RESYNC')).toMatchObject({ offset: at + 37 });
    expect(got.hashes).toEqual(full.hashes);
    // The damaged region counts as one frame: later frame numbers are one higher.
    expect(got.lines.slice(50).map((l) => l.split('\t')[0])).toEqual(full.lines.slice(50).map((l) => String(Number(l.split('\t')[0]) + 1)));
    expect(got.summary).toMatchObject({ records: 100, frames: 101, errors: 1 });
  });

  test.each([
    ['a length not a multiple of 4', 'PCAPNG_BAD_BLOCK_LENGTH', (b: Buffer, at: number) => b.writeUInt32LE(b.readUInt32LE(at + 4) + 2, at + 4)],
    ['a length below 12', 'PCAPNG_BAD_BLOCK_LENGTH', (b: Buffer, at: number) => b.writeUInt32LE(8, at + 4)],
    ['a trailing length mismatch', 'PCAPNG_BLOCK_LENGTH_MISMATCH', (b: Buffer, at: number) => b.writeUInt32LE(b.readUInt32LE(at + 4) + 4, at + 4)],
  ])('readCaptureFile(pcapng EPB 200 with %s) reports %s at frame 200 and delivers the other 410', async (_what, code, damage) => {
    const full = await collectFile(OPCUA_NG);
    expect(full.lines).toHaveLength(411);
    const buf = Buffer.from(readFileSync(OPCUA_NG));
    const at = full.offsets[199];
    damage(buf, at);
    const got = await collectFile(await write(`bad-block-${code}.pcapng`, buf));
    expect(got.diags[0]).toMatchObject({ code, severity: 'error', frame: 200, offset: at });
    expect(got.lines).toEqual([...full.lines.slice(0, 199), ...full.lines.slice(200)]);
    expect(got.summary.errors).toBe(1);
  });

  test('readCaptureFile(record 40 claiming 200000 bytes, past the end of the file) is damage, not truncation: the rest is delivered', async () => {
    const full = await collectFile(MODBUS);
    const buf = Buffer.from(readFileSync(MODBUS));
    const at = full.offsets[39];
    buf.writeUInt32LE(200000, at + 8);
    buf.writeUInt32LE(200000, at + 12);
    const got = await collectFile(await write('past-eof.pcap', buf));
    expect(got.diags[0]).toMatchObject({ code: 'PCAP_BAD_RECORD_LENGTH', severity: 'error', frame: 40, offset: at });
    expect(got.lines).toEqual([...full.lines.slice(0, 39), ...full.lines.slice(40)]);
    expect(got.summary).toMatchObject({ truncated: false, errors: 1, warnings: 0 });
  });

  test('readCaptureFile(pcapng EPB 200 claiming 1 MiB, past the end of the file) is damage, not truncation', async () => {
    const full = await collectFile(OPCUA_NG);
    const buf = Buffer.from(readFileSync(OPCUA_NG));
    const at = full.offsets[199];
    expect(buf.length - at).toBeLessThan(1024 * 1024);
    buf.writeUInt32LE(1024 * 1024, at + 4);
    const got = await collectFile(await write('past-eof.pcapng', buf));
    expect(got.diags[0]).toMatchObject({ code: 'PCAPNG_BAD_BLOCK_LENGTH', severity: 'error', frame: 200, offset: at });
    expect(got.lines).toEqual([...full.lines.slice(0, 199), ...full.lines.slice(200)]);
    expect(got.summary).toMatchObject({ truncated: false, errors: 1 });
  });

  test('readCaptureFile(EPB claiming interface 7 of 1) is PCAPNG_UNKNOWN_INTERFACE; the block is skipped, its neighbours delivered', async () => {
    const le = true;
    const t = 1700000000000000n;
    const bytes = Buffer.concat([shb(le), idb(le, 1), epb(le, 0, t + 1n, frame(1)), epb(le, 7, t + 2n, frame(2)), epb(le, 0, t + 3n, frame(3))]);
    const got = await collectFile(await write('bad-if.pcapng', bytes));
    expect(got.diags).toEqual([expect.objectContaining({ code: 'PCAPNG_UNKNOWN_INTERFACE', frame: 2 })]);
    expect(got.lines.map((l) => l.split('\t')[0])).toEqual(['1', '3']);
  });
});

describe('not a capture, or almost nothing', () => {
  test('readCaptureFile(random bytes) is CAPTURE_UNKNOWN_FORMAT with no records', async () => {
    const bytes = Buffer.alloc(10000);
    let s = 7;
    for (let i = 0; i < bytes.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      bytes[i] = s >>> 24;
    }
    bytes[0] = 0x42;
    const got = await collectFile(await write('random.bin', bytes));
    expect(codes(got)).toEqual(['CAPTURE_UNKNOWN_FORMAT']);
    expect(got.summary).toMatchObject({ format: 'unknown', records: 0, frames: 0, errors: 1, endOffset: 0, bytes: 10000 });
  });

  test('readCaptureFile(empty file) warns CAPTURE_EMPTY, no records', async () => {
    const got = await collectFile(await write('empty.pcap', Buffer.alloc(0)));
    expect(got.diags).toEqual([expect.objectContaining({ code: 'CAPTURE_EMPTY', severity: 'warning' })]);
    expect(got.summary).toMatchObject({ format: 'unknown', records: 0, errors: 0, warnings: 1, truncated: false, firstTsSec: null });
  });

  test('readCaptureFile(pcap header only) warns CAPTURE_EMPTY like an empty file: format pcap, linktype, endOffset 24', async () => {
    const got = await collectFile(await write('header-only.pcap', pcapHeader({ linktype: 113 })));
    expect(got.diags).toEqual([expect.objectContaining({ code: 'CAPTURE_EMPTY', severity: 'warning', offset: 24 })]);
    expect(got.summary).toMatchObject({ format: 'pcap', linktypes: [113], records: 0, frames: 0, endOffset: 24, truncated: false, firstTsSec: null, lastTsSec: null });
    expect(got.summary).toMatchObject({ errors: 0, warnings: 1 });
  });

  test('readCaptureFile(pcapng SHB + IDB only) warns CAPTURE_EMPTY like an empty file', async () => {
    const bytes = Buffer.concat([shb(true), idb(true, 1)]);
    const got = await collectFile(await write('header-only.pcapng', bytes));
    expect(got.diags).toEqual([expect.objectContaining({ code: 'CAPTURE_EMPTY', severity: 'warning', offset: bytes.length })]);
    expect(got.summary).toMatchObject({ format: 'pcapng', linktypes: [1], records: 0, endOffset: bytes.length, truncated: false, errors: 0, warnings: 1 });
  });

  test('readCaptureFile(10 bytes of a pcap header) warns PCAP_TRUNCATED_HEADER', async () => {
    const got = await collectFile(await write('short-header.pcap', pcapHeader().subarray(0, 10)));
    expect(codes(got)).toEqual(['PCAP_TRUNCATED_HEADER']);
    expect(got.summary).toMatchObject({ format: 'pcap', records: 0, truncated: true });
  });

  test('readCaptureFile(missing path) and readCaptureFile(a directory) are CAPTURE_UNREADABLE, not exceptions', async () => {
    for (const p of [join(dir, 'does-not-exist.pcap'), dir]) {
      const got = await collectFile(p);
      expect(codes(got)).toEqual(['CAPTURE_UNREADABLE']);
      expect(got.summary).toMatchObject({ records: 0, errors: 1, format: 'unknown' });
    }
  });

  test('readCaptureFile(onRecord throws) rejects with that error: caller bugs are not swallowed', async () => {
    await expect(
      readCaptureFile(MODBUS, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});

describe('gzip', () => {
  test('readCaptureFile(gzip cut mid-stream) warns GZIP_TRUNCATED and keeps every record decompressible before the cut', async () => {
    const raw = readFileSync(BACNET);
    const full = await collectFile(BACNET);
    const gz = gzipSync(raw);
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    // Oracle: what zlib can inflate from the cut stream, and the records complete in it.
    const inflated = gunzipSync(cut, { finishFlush: zc.Z_SYNC_FLUSH });
    const complete = full.offsets.filter((o, k) => o + 16 + Number(full.lines[k].split('\t')[3]) <= inflated.length).length;
    expect(complete).toBeGreaterThan(1000);
    expect(complete).toBeLessThan(3257);
    const got = await collectFile(await write('cut.pcap.gz', cut));
    expect(codes(got)).toContain('GZIP_TRUNCATED');
    expect(got.diags.find((d) => d.code === 'GZIP_TRUNCATED')?.severity).toBe('warning');
    expect(got.lines).toEqual(full.lines.slice(0, complete));
    expect(got.summary).toMatchObject({ compression: 'gzip', truncated: true, records: complete, errors: 0 });
    expect(got.summary.bytes).toBe(inflated.length);
  });

  test('readCaptureFile(gzip whose second member starts with an invalid deflate block) reports GZIP_CORRUPT and keeps every record of the first', async () => {
    const raw = readFileSync(BACNET);
    const full = await collectFile(BACNET);
    const cut = full.offsets[1000];
    const second = Buffer.from(gzipSync(raw.subarray(cut)));
    second[10] = 0xff; // BFINAL 1, BTYPE 11: reserved (RFC 1951 §3.2.3)
    const got = await collectFile(await write('corrupt.pcap.gz', Buffer.concat([gzipSync(raw.subarray(0, cut)), second])));
    expect(got.diags.find((d) => d.code === 'GZIP_CORRUPT')).toMatchObject({ severity: 'error', offset: cut });
    expect(got.lines).toEqual(full.lines.slice(0, 1000));
    expect(got.summary.errors).toBe(1);
  });

  test('readCaptureFile(gzip with a corrupted middle) warns GZIP_BAD_CRC; the records before the damage are intact', async () => {
    const raw = readFileSync(BACNET);
    const full = await collectFile(BACNET);
    const gz = Buffer.from(gzipSync(raw));
    for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64; i++) gz[i] ^= 0x5a;
    const got = await collectFile(await write('corrupt-crc.pcap.gz', gz));
    expect(got.diags.find((d) => d.code === 'GZIP_BAD_CRC')?.severity).toBe('warning');
    const prefix = got.lines.findIndex((l, k) => l !== full.lines[k]);
    expect(prefix).toBeGreaterThan(100);
    expect(got.hashes.slice(0, prefix)).toEqual(full.hashes.slice(0, prefix));
  });
});

describe('resume from endOffset', () => {
  test('readCaptureFile(startOffset = endOffset of an earlier, shorter copy) delivers exactly the new records', async () => {
    const full = await collectFile(BACNET);
    const buf = readFileSync(BACNET);
    const k = 1234;
    const growing = join(dir, 'growing.pcap');
    await writeFile(growing, buf.subarray(0, full.offsets[k])); // records 1..k, ends on a boundary
    const first = await collectFile(growing);
    expect(first.summary).toMatchObject({ records: k, truncated: false, endOffset: full.offsets[k] });
    await writeFile(growing, buf); // the file grew
    const second = await collectFile(growing, { startOffset: first.summary.endOffset });
    expect(second.lines).toEqual(full.lines.slice(k));
    expect(second.summary).toMatchObject({ records: 3257 - k, frames: 3257 });
    expect(second.summary.firstTsSec).toBeCloseTo(Number(full.lines[k].split('\t')[1]), 5);
  });

  test('readCaptureFile(startOffset after a copy cut mid-record) delivers the once-cut record and the rest', async () => {
    const full = await collectFile(OPCUA_NG);
    const buf = readFileSync(OPCUA_NG);
    const k = 300;
    const growing = join(dir, 'growing.pcapng');
    await writeFile(growing, buf.subarray(0, full.offsets[k] + 30));
    const first = await collectFile(growing);
    expect(first.summary).toMatchObject({ records: k, truncated: true, endOffset: full.offsets[k] });
    await writeFile(growing, buf);
    const second = await collectFile(growing, { startOffset: first.summary.endOffset });
    expect(second.lines).toEqual(full.lines.slice(k));
    expect(second.diags).toEqual([]);
  });

  test('readCaptureFile(startOffset on a grown .gz) resumes in decompressed offsets', async () => {
    const full = await collectFile(BACNET);
    const buf = readFileSync(BACNET);
    const k = 2000;
    const p = join(dir, 'growing.pcap.gz');
    await writeFile(p, gzipSync(buf.subarray(0, full.offsets[k])));
    const first = await collectFile(p);
    await writeFile(p, gzipSync(buf));
    const second = await collectFile(p, { startOffset: first.summary.endOffset });
    expect(first.summary.records).toBe(k);
    expect(second.lines).toEqual(full.lines.slice(k));
  });
});

describe('peekCapture', () => {
  test.each(listCaptures().map((p) => [p]))('peekCapture(%s) gives format, first timestamp and link type', async (path) => {
    const ts = await tsharkLines(path);
    const full = await collectFile(path);
    const peek = await peekCapture(path);
    expect(peek.format).toBe(full.summary.format);
    expect(peek.compression).toBe('none');
    expect(peek.firstTsSec).toBeCloseTo(Number(ts[0].split('\t')[1]), 5);
    expect(peek.linktype).toBe(full.linktypes[0]);
  });

  test('peekCapture(.gz, garbage, header-only) reports compression, unknown format and a null timestamp', async () => {
    const gz = await write('peek.pcap.gz', gzipSync(readFileSync(MODBUS)));
    expect(await peekCapture(gz)).toMatchObject({ format: 'pcap', compression: 'gzip', linktype: 1 });
    expect((await peekCapture(gz)).firstTsSec).toBeCloseTo((await collectFile(MODBUS)).summary.firstTsSec as number, 6);
    expect(await peekCapture(await write('peek.bin', Buffer.from('hello world, not a capture')))).toEqual({ format: 'unknown', compression: 'none', firstTsSec: null, linktype: null });
    expect(await peekCapture(await write('peek-hdr.pcap', pcapHeader({ linktype: 0 })))).toEqual({ format: 'pcap', compression: 'none', firstTsSec: null, linktype: 0 });
  });

  test('peekCapture(a 64 GiB sparse capture) returns at once: it reads only the start', async () => {
    const p = join(dir, 'huge.pcap');
    await writeFile(p, Buffer.concat([pcapHeader(), pcapRecord(1700000000, 5, frame(1))]));
    const fh = await open(p, 'r+');
    await fh.truncate(64 * 1024 ** 3);
    await fh.close();
    const t0 = Date.now();
    const peek = await peekCapture(p);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(peek).toEqual({ format: 'pcap', compression: 'none', firstTsSec: 1700000000.000005, linktype: 1 });
  });
});
