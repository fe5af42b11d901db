/**
 * The live-evidence mark: written in a pcapng section comment by PcapngWriter, read back from the file
 * (plain or gzip) whatever its name; whether its writer still runs, told from /proc without being
 * fooled by a pid that another process reuses.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileOpenByWriter, formatEvidenceMark, parseEvidenceMark, processIdentity, readEvidenceMark, writerRunning, type EvidenceMark } from '../../src/ingest/liveEvidenceMark.js';
import { PcapngWriter } from '../../src/ingest/PcapngWriter.js';
import { capturePath } from '../util/captures.js';

const dir = mkdtempSync(join(tmpdir(), 'zs-mark-'));
const mark: EvidenceMark = { key: '0f9c', interface: 'eth0', run: 'live:eth0@2026-12-02T01:25:00Z', file: 3, ...processIdentity() };

function marked(name: string, m: EvidenceMark): string {
  const path = join(dir, name);
  const w = PcapngWriter.create(path, { linktype: 1, interfaceName: m.interface, tsResolution: 'us', application: 'zonescope test', comment: `Some words first.\n${formatEvidenceMark(m)}` });
  w.close();
  return path;
}

describe('liveEvidenceMark', () => {
  test('parseEvidenceMark(formatEvidenceMark(m)) is m; another comment is null', () => {
    expect(parseEvidenceMark(`x\n${formatEvidenceMark(mark)}`)).toEqual(mark);
    expect(parseEvidenceMark('captured with dumpcap')).toBeNull();
    expect(parseEvidenceMark('zonescope-live-evidence: key=1 interface=eth0')).toBeNull();
  });

  test('readEvidenceMark(a marked pcapng, plain and gzipped under another name) is its mark; an unmarked capture is null', async () => {
    const path = marked('m.pcapng', mark);
    expect(await readEvidenceMark(path)).toEqual(mark);
    const gz = join(dir, 'renamed.bin');
    writeFileSync(gz, gzipSync(readFileSync(path)));
    expect(await readEvidenceMark(gz)).toEqual(mark);
    expect(await readEvidenceMark(capturePath('modbus/cisagov_modbus_example.pcap'))).toBeNull();
    expect(await readEvidenceMark(join(dir, 'missing.pcapng'))).toBeNull();
  });

  test('writerRunning(this process) is true; (a process that ended, or a reused pid) is false; (another boot) is false', async () => {
    expect(writerRunning(mark)).toBe(true);
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    expect(writerRunning({ ...mark, pid })).toBe(false);
    expect(writerRunning({ ...mark, start: String(Number(mark.start) + 1) })).toBe(false);
    expect(writerRunning({ ...mark, boot: '00000000-0000-0000-0000-000000000000' })).toBe(false);
    expect(writerRunning({ ...mark, boot: '?' })).toBeNull();
  });

  test('fileOpenByWriter(mark, path) is true while its writer holds the file open, false once closed or when the writer is gone', async () => {
    const path = marked('open.pcapng', mark);
    const fd = openSync(path, 'r');
    try {
      expect(fileOpenByWriter(mark, path)).toBe(true);
    } finally {
      closeSync(fd);
    }
    expect(fileOpenByWriter(mark, path)).toBe(false);
    expect(fileOpenByWriter({ ...mark, boot: '00000000-0000-0000-0000-000000000000' }, path)).toBe(false);
    expect(fileOpenByWriter({ ...mark, start: '?' }, path)).toBeNull();
  });
});
