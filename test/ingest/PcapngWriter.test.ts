/**
 * PcapngWriter: what it writes reads back through our reader and through tshark (the oracle) as the
 * same packets with the same times and lengths, with its section and interface options; it never
 * writes over a file, and says why a file cannot be created.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapngWriteError, PcapngWriter } from '../../src/ingest/PcapngWriter.js';
import { readCaptureFile } from '../../src/ingest/readCapture.js';
import { newCaptureRecord, type CaptureRecord } from '../../src/ingest/record.js';
import { capturePath } from '../util/captures.js';
import { tshark, tsharkFields } from '../util/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'zs-pcapng-writer-'));
const FIXTURE = capturePath('modbus/cisagov_modbus_example.pcap');

interface Frame {
  hex: string;
  tsSec: number;
  tsNsec: number;
  origlen: number;
}

async function frames(path: string): Promise<Frame[]> {
  const out: Frame[] = [];
  await readCaptureFile(path, (r) => out.push({ hex: r.data.subarray(r.offset, r.offset + r.caplen).toString('hex'), tsSec: r.tsSec, tsNsec: r.tsNsec, origlen: r.origlen }), {});
  return out;
}

/** Copy every record of `from` into a new pcapng at `to` through ONE reused record, as the live capture does. */
async function copy(from: string, to: string, opts: { tsResolution: 'us' | 'ns'; bufferSize?: number; cut?: number }): Promise<PcapngWriter> {
  const w = PcapngWriter.create(to, {
    linktype: 1, interfaceName: 'eth7', tsResolution: opts.tsResolution, filter: 'tcp port 502', snaplen: 65535, application: 'zonescope test', comment: 'a comment',
    bufferSize: opts.bufferSize,
  });
  const rec: CaptureRecord = newCaptureRecord();
  const scratch = Buffer.alloc(70000);
  await readCaptureFile(from, (r) => {
    // A reused buffer at an offset, like libpcap's: the writer must copy, not keep.
    r.data.copy(scratch, 3, r.offset, r.offset + r.caplen);
    rec.data = scratch;
    rec.offset = 3;
    rec.caplen = opts.cut !== undefined ? Math.min(opts.cut, r.caplen) : r.caplen;
    rec.origlen = r.origlen;
    rec.tsSec = r.tsSec;
    // Nanoseconds: 7 ns more than the fixture's microseconds, to see that they survive.
    rec.tsNsec = opts.tsResolution === 'us' ? Math.floor(r.tsNsec / 1000) * 1000 : Math.floor(r.tsNsec / 1000) * 1000 + 7;
    w.write(rec);
    scratch.fill(0xee);
  }, {});
  w.close();
  return w;
}

describe('PcapngWriter', () => {
  test('PcapngWriter.write(every packet of a capture, microseconds) reads back as the same frames, times and lengths', async () => {
    const out = join(dir, 'us.pcapng');
    const w = await copy(FIXTURE, out, { tsResolution: 'us', bufferSize: 1 }); // the smallest buffer: many flushes
    const want = await frames(FIXTURE);
    expect(await frames(out)).toEqual(want.map((f) => ({ ...f, tsNsec: Math.floor(f.tsNsec / 1000) * 1000 })));
    expect(w.packets).toBe(want.length);
    expect(w.size).toBe(statSync(out).size);
  });

  test('PcapngWriter.write(nanoseconds) keeps nanoseconds; tshark reads the same lengths and the nanosecond times', async () => {
    const out = join(dir, 'ns.pcapng');
    await copy(FIXTURE, out, { tsResolution: 'ns' });
    const want = await frames(FIXTURE);
    expect(await frames(out)).toEqual(want.map((f) => ({ ...f, tsNsec: Math.floor(f.tsNsec / 1000) * 1000 + 7 })));
    const rows = tsharkFields(out, ['frame.time_epoch', 'frame.len', 'frame.cap_len']);
    expect(rows.map((r) => r.slice(1))).toEqual(tsharkFields(FIXTURE, ['frame.len', 'frame.cap_len']));
    expect(rows.every((r) => r[0]!.endsWith('007'))).toBe(true);
    expect(rows).toHaveLength(100);
  });

  test('PcapngWriter(a packet cut short) keeps its original length beside the captured one', async () => {
    const out = join(dir, 'cut.pcapng');
    await copy(FIXTURE, out, { tsResolution: 'us', cut: 40 });
    const rows = tsharkFields(out, ['frame.len', 'frame.cap_len']);
    const orig = tsharkFields(FIXTURE, ['frame.len']);
    expect(rows.map((r) => r[0])).toEqual(orig.map((r) => r[0]));
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['40']));
  });

  test('PcapngWriter.create() writes the section and interface options tshark shows', async () => {
    const out = join(dir, 'opts.pcapng');
    await copy(FIXTURE, out, { tsResolution: 'us' });
    const info = tshark(['-r', out, '-c', '1', '-T', 'fields', '-e', 'frame.interface_name', '-e', 'frame.interface_id']);
    expect(info.trim()).toBe('eth7\t0');
    const capinfos = spawnText('capinfos', [out]);
    expect(capinfos).toMatch(/Capture application:\s+zonescope test/);
    expect(capinfos).toMatch(/Capture comment:\s+a comment/);
    expect(capinfos).toMatch(/Time precision = microseconds \(6\)/);
    expect(capinfos).toMatch(/Capture length = 65535/);
    expect(capinfos).toMatch(/Filter string = tcp port 502/);
  });

  test('PcapngWriter.create(a header only) is a valid pcapng with no packet', () => {
    const out = join(dir, 'empty.pcapng');
    const w = PcapngWriter.create(out, { linktype: 1, interfaceName: 'eth0', tsResolution: 'us', application: 'zonescope test' });
    w.close();
    expect(tshark(['-r', out])).toBe('');
    expect(w.size).toBe(statSync(out).size);
  });

  test('PcapngWriter.create(an existing file) refuses with EEXIST and leaves it as it was', () => {
    const out = join(dir, 'us.pcapng');
    const before = readFileSync(out);
    expect(() => PcapngWriter.create(out, { linktype: 1, interfaceName: 'eth0', tsResolution: 'us', application: 'x' })).toThrow(PcapngWriteError);
    try {
      PcapngWriter.create(out, { linktype: 1, interfaceName: 'eth0', tsResolution: 'us', application: 'x' });
    } catch (e) {
      expect((e as PcapngWriteError).errno).toBe('EEXIST');
      expect((e as Error).message).toMatch(/a file of that name exists already/);
    }
    expect(readFileSync(out).equals(before)).toBe(true);
  });

  test('PcapngWriter.create(in a folder that does not exist) is a PcapngWriteError ENOENT naming the path', () => {
    const out = join(dir, 'no-such-folder', 'x.pcapng');
    let err: unknown;
    try {
      PcapngWriter.create(out, { linktype: 1, interfaceName: 'eth0', tsResolution: 'us', application: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PcapngWriteError);
    expect((err as PcapngWriteError).errno).toBe('ENOENT');
    expect((err as Error).message).toBe(`creating ${out}: the folder does not exist (any more) (ENOENT)`);
  });
});

function spawnText(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}
