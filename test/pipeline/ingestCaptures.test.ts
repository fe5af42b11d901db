import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Baseline } from '../../src/baseline/baseline.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { capturePath, listCaptures } from '../util/captures.js';
import { tsharkIpPacketCount } from '../util/tshark.js';

const registry = createRegistry(defaultDissectors);
const tmp = mkdtempSync(join(tmpdir(), 'zs-ingest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Ingest files into a fresh in-memory baseline; returns the flows' packet total and the result. */
async function ingestTotal(files: string[]) {
  const b = Baseline.open(':memory:');
  try {
    const r = await ingestCaptures(b, files, { registry });
    const flows = b.reader().flows();
    const packets =
      flows.reduce((s, f) => s + f.packetsToResponder + f.packetsToInitiator, 0) + b.reader().scans().reduce((s, x) => s + x.packets, 0);
    return { packets, result: r, flows };
  } finally {
    b.close();
  }
}

/** The store's content through the reader (flows and their details, identities, MACs, ARP, L2, scans). */
function contentDigest(b: Baseline): string {
  const r = b.reader();
  return JSON.stringify(r.snapshot(() => [r.flows(), r.identities(), r.hostMacs(), r.arp(), r.l2Frames(), r.scans()]));
}

/** The offset of the last record of a classic pcap (walks the record headers). */
function lastPcapRecordOffset(buf: Buffer): number {
  const le = buf.readUInt32LE(0) === 0xa1b2c3d4 || buf.readUInt32LE(0) === 0xa1b23c4d;
  let off = 24;
  let last = 24;
  while (off + 16 <= buf.length) {
    const incl = le ? buf.readUInt32LE(off + 8) : buf.readUInt32BE(off + 8);
    if (off + 16 + incl > buf.length) break;
    last = off;
    off += 16 + incl;
  }
  return last;
}

describe('ingestCaptures: flows total equals tshark\'s IP packet count', () => {
  const captures = listCaptures();

  test('the copied capture set is complete (22 files)', () => {
    expect(captures).toHaveLength(22);
  });

  test.each(captures)('ingestCaptures(%s) and its re-encodings (ns pcap, pcapng, gzip)', async (rel) => {
    const src = capturePath(rel);
    const expected = tsharkIpPacketCount(src);
    expect(expected).toBeGreaterThan(0);
    const stem = basename(rel).replace(/\.[^.]+$/, '');
    const ns = join(tmp, `${stem}.ns.pcap`);
    const ng = join(tmp, `${stem}.pcapng`);
    const gz = join(tmp, `${stem}.pcap.gz`);
    execFileSync('editcap', ['-F', 'nsecpcap', src, ns]);
    execFileSync('editcap', ['-F', 'pcapng', src, ng]);
    writeFileSync(gz, gzipSync(readFileSync(src)));
    for (const f of [src, ns, ng, gz]) {
      const { packets, result } = await ingestTotal([f]);
      expect({ file: basename(f), packets, failed: result.failed }).toEqual({ file: basename(f), packets: expected, failed: false });
    }
  });

  test.each(captures)(
    'ingestCaptures(%s cut mid-record) keeps every record but the cut one and warns with the offset',
    async (rel) => {
      // Classic pcap only (re-encode pcapng ones), cut in the middle of the last record.
      const src = join(tmp, `${basename(rel)}.cut-src.pcap`);
      execFileSync('editcap', ['-F', 'pcap', capturePath(rel), src]);
      const buf = readFileSync(src);
      const lastOff = lastPcapRecordOffset(buf);
      const cut = join(tmp, `${basename(rel)}.cut.pcap`);
      writeFileSync(cut, buf.subarray(0, lastOff + 16 + 3));
      // tshark on the file without its last record is the expectation.
      const whole = join(tmp, `${basename(rel)}.whole.pcap`);
      writeFileSync(whole, buf.subarray(0, lastOff));
      const expected = lastOff > 24 ? tsharkIpPacketCount(whole) : 0;
      const { packets, result } = await ingestTotal([cut]);
      expect(packets).toBe(expected);
      const trunc = result.diagnostics.kept.filter((d) => d.code === 'PCAP_TRUNCATED_RECORD');
      expect(trunc).toEqual([expect.objectContaining({ severity: 'warning', offset: lastOff, file: cut })]);
    },
  );
});

describe('ingestCaptures: bad inputs and idempotence', () => {
  test('ingestCaptures(a directory with a garbage file) ingests the others, names the bad file, fails; again changes nothing', async () => {
    const dir = join(tmp, 'mixed');
    mkdirSync(dir, { recursive: true });
    copyFileSync(capturePath('modbus/zeek_modbusSmall.pcap'), join(dir, 'a.pcap'));
    copyFileSync(capturePath('enip/cisagov_enip_cip_example.pcap'), join(dir, 'b.pcap'));
    writeFileSync(join(dir, 'garbage.pcap'), Buffer.from('this is not a capture file at all, just text that happens to end in .pcap\n'.repeat(20)));
    const dbPath = join(tmp, 'mixed.db');
    const b = Baseline.open(dbPath);
    const r1 = await ingestCaptures(b, [dir], { registry });
    expect(r1.failed).toBe(true);
    const bad = r1.files.find((f) => f.path.endsWith('garbage.pcap'))!;
    expect(bad.status).toBe('failed');
    const diag = r1.diagnostics.kept.find((d) => d.file?.endsWith('garbage.pcap'));
    expect(diag).toMatchObject({ code: 'CAPTURE_UNKNOWN_FORMAT', severity: 'error', offset: 0 });
    expect(r1.files.filter((f) => f.status === 'ingested').map((f) => basename(f.path)).sort()).toEqual(['a.pcap', 'b.pcap']);
    const expected = tsharkIpPacketCount(join(dir, 'a.pcap')) + tsharkIpPacketCount(join(dir, 'b.pcap'));
    const total = (): number => b.reader().flows().reduce((s, f) => s + f.packetsToResponder + f.packetsToInitiator, 0);
    expect(total()).toBe(expected);
    const before = contentDigest(b);
    const capturesBefore = b.reader().captures().length;

    // The same inputs again (one under another name): known content is skipped, nothing changes.
    copyFileSync(join(dir, 'a.pcap'), join(dir, 'a-renamed.pcap'));
    const r2 = await ingestCaptures(b, [dir], { registry });
    expect(r2.files.filter((f) => f.status === 'skipped')).toHaveLength(3);
    expect(contentDigest(b)).toBe(before);
    expect(b.reader().captures()).toHaveLength(capturesBefore);
    expect(total()).toBe(expected);
    b.close();
  });

  test('ingestCaptures(non-Modbus payload on TCP/502) locates each violation at the faulty bytes of the file', async () => {
    const file = capturePath('modbus/zeek_modbus-and-non-modbus-p502.pcap');
    const b = Baseline.open(':memory:');
    const r = await ingestCaptures(b, [file], { registry });
    b.close();
    const bad = r.diagnostics.kept.filter((d) => d.code === 'MODBUS_BAD_PROTOCOL_ID');
    expect(bad.length).toBeGreaterThan(5);
    const bytes = readFileSync(file);
    for (const d of bad) {
      // "protocol id N, Modbus is 0": the two bytes at the reported offset are N (big-endian).
      const id = Number(/protocol id (\d+)/.exec(d.message)![1]);
      expect({ frame: d.frame, id: bytes.readUInt16BE(d.offset!) }).toEqual({ frame: d.frame, id });
    }
  });

  test('ingestCaptures(files named against their time order) reads them in the order of their first timestamp', async () => {
    const dir = join(tmp, 'order');
    mkdirSync(dir, { recursive: true });
    // Names sort the other way round from the captures' times.
    const early = capturePath('enip/cisagov_enip_cip_example.pcap'); // October 2008
    const late = capturePath('iec104/iti_090813_diverse.pcap'); // August 2009
    copyFileSync(late, join(dir, 'a-late.pcap'));
    copyFileSync(early, join(dir, 'b-early.pcap'));
    const b = Baseline.open(':memory:');
    const r = await ingestCaptures(b, [dir], { registry });
    b.close();
    const times = r.files.map((f) => [basename(f.path), f.firstTs!] as const);
    expect(times.map((t) => t[0])).toEqual(['b-early.pcap', 'a-late.pcap']);
    expect(times[0]![1]).toBeLessThan(times[1]![1]);
  });

  test('ingestCaptures(a file that grew since) ingests only the new records', async () => {
    const src = join(tmp, 'grow-src.pcap');
    execFileSync('editcap', ['-F', 'pcap', capturePath('modbus/cisagov_modbus_example.pcap'), src]);
    const buf = readFileSync(src);
    const growing = join(tmp, 'growing.pcap');
    // First half (cut mid-record, like a capture still being written), then the whole file.
    writeFileSync(growing, buf.subarray(0, Math.floor(buf.length / 2)));
    const b = Baseline.open(':memory:');
    await ingestCaptures(b, [growing], { registry });
    writeFileSync(growing, buf);
    const r = await ingestCaptures(b, [growing], { registry });
    expect(r.files[0]!.status).toBe('resumed');
    const total = b.reader().flows().reduce((s, f) => s + f.packetsToResponder + f.packetsToInitiator, 0);
    expect(total).toBe(tsharkIpPacketCount(src));
    expect(statSync(growing).size).toBe(buf.length);
    b.close();
  });
});
