/**
 * `zonescope capture --write DIR [--rotate] [--keep]` through the real CLI (from source) on a veth pair
 * in a network namespace, fed by tcpreplay: the rotated files are valid pcapng holding every captured
 * packet; ingesting them into the same store adds nothing, into a fresh store gives the same flows;
 * --keep deletes only its own oldest files; a kill -9 mid-capture then an ingest of the folder counts
 * nothing twice; a full disk is a warning and the baseline stays complete.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaselineReader } from '../../src/baseline/reader.js';
import { parseRotate } from '../../src/cli/commands/capture.js';
import { readEvidenceMark } from '../../src/ingest/liveEvidenceMark.js';
import { readCaptureFile } from '../../src/ingest/readCapture.js';
import { CLI, CLI_ENV, REPO_ROOT, requireNetnsInCi, startCapture, wait } from '../util/liveCli.js';
import { createVethPair, replay, type VethPair } from '../util/netns.js';
import { tshark } from '../util/tshark.js';

const FILE = 'fixtures/captures/modbus/cisagov_modbus_example.pcap'; // 100 Ethernet frames captured whole
const netns = requireNetnsInCi('captureWrite.test');

const env = CLI_ENV;

function cli(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The flows document (`zonescope flows --json`) of a store. */
function flowsDocument(db: string, dir: string): string {
  const out = join(dir, `flows-${Math.random().toString(36).slice(2)}.json`);
  const r = cli(['flows', '--db', db, '--json', out]);
  if (r.code !== 0) throw new Error(`flows failed: ${r.err}`);
  return readFileSync(out, 'utf8');
}

/**
 * A flows document without its capture count: a store that captured live holds the live intervals and
 * the evidence files as captures, a store that ingested the files holds the files; everything else
 * (flows, events with their file and frame, times) must be the same.
 */
function withoutCaptureCount(doc: string): unknown {
  const d = JSON.parse(doc) as { meta: Record<string, unknown> };
  expect(typeof d.meta.captures).toBe('number');
  delete d.meta.captures;
  return d;
}

const evidenceFiles = (dir: string): string[] => readdirSync(dir).filter((n) => /^zonescope-.*\.pcapng$/.test(n)).sort().map((n) => join(dir, n));
const tsharkCount = (file: string): number => tshark(['-r', file, '-T', 'fields', '-e', 'frame.number']).split('\n').filter(Boolean).length;
async function frameHex(file: string): Promise<string[]> {
  const out: string[] = [];
  await readCaptureFile(file, (r) => out.push(`${r.origlen} ${r.data.subarray(r.offset, r.offset + r.caplen).toString('hex')}`), {});
  return out;
}
const counted = (err: string): number => Number(/captured ([\d,]+) packets/.exec(err)![1]!.replace(/,/g, ''));

function stored(db: string): { frames: number; flowPackets: number; captures: number } {
  const r = BaselineReader.open(db);
  try {
    return { frames: r.overview().frames, flowPackets: r.flows().reduce((s, f) => s + f.packetsToInitiator + f.packetsToResponder, 0), captures: r.captures().length };
  } finally {
    r.close();
  }
}

describe('parseRotate', () => {
  test('parseRotate(30m, 1h, 1d, 90, 2s) is the interval in ms; (0, 1w, 400d, x) is null', () => {
    expect(['30m', '1h', '1d', '90', '2s', '1.5h'].map(parseRotate)).toEqual([1_800_000, 3_600_000, 86_400_000, 90_000, 2000, 5_400_000]);
    expect(['0', '1w', '400d', 'x', '', '-1h'].map(parseRotate)).toEqual([null, null, null, null, null, null]);
  });
});

(netns.ok ? describe : describe.skip)('zonescope capture --write on a veth pair', () => {
  let pair: VethPair;
  let dir: string;
  beforeAll(() => {
    pair = createVethPair('cw');
    dir = mkdtempSync(join(tmpdir(), 'zs-capture-write-'));
  });
  afterAll(() => pair.remove());

  test('capture(--write DIR --rotate 2s, SIGTERM) writes valid pcapng files holding every captured packet; ingest DIR adds nothing to that store, and gives a fresh store the same flows', async () => {
    const ev = join(dir, 'ev');
    mkdirSync(ev);
    const db = join(dir, 'live.db');
    const cap = startCapture(['-i', pair.hostIf, '--db', db, '--commit-every', '1', '--write', ev, '--rotate', '2s']);
    await cap.ready;
    replay(pair, FILE, { pps: 40 }); // 2.5 s: at least two files
    // While it runs, into another store: the closed files are read, the one it writes is not.
    const other = join(dir, 'other.db');
    const meanwhile = cli(['ingest', ev, '--db', other, '--verbose']);
    expect(meanwhile.code).toBe(0);
    expect(meanwhile.err.match(/warning: LIVE_EVIDENCE_OPEN: not ingested: it is still being written by zonescope capture \(pid \d+/g)).toHaveLength(1);
    cap.kill('SIGTERM');
    const { code, err } = await cap.done;
    expect(code).toBe(0);
    const n = counted(err);
    expect(n).toBe(100);
    const files = evidenceFiles(ev);
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(err).toContain(`evidence: ${files.length} pcapng files written in ${ev}, ${files.length} recorded as live evidence`);
    for (const f of files) expect(f).toMatch(new RegExp(`/zonescope-${pair.hostIf}-\\d{8}T\\d{6}Z\\.pcapng$`));
    expect(files.map(tsharkCount).reduce((a, b) => a + b, 0)).toBe(n);
    // The frames, byte for byte and in order, are the replayed file's.
    const written: string[] = [];
    for (const f of files) written.push(...(await frameHex(f)));
    expect(written).toEqual(await frameHex(join(REPO_ROOT, FILE)));
    for (const f of files) expect((await readEvidenceMark(f))?.interface).toBe(pair.hostIf);

    const before = flowsDocument(db, dir);
    const storedBefore = stored(db);
    expect(storedBefore.frames).toBe(n);
    const again = cli(['ingest', ev, '--db', db, '--verbose']);
    expect(again.code).toBe(0);
    expect(again.err).toContain(`${files.length} files (0 ingested, ${files.length} skipped)`);
    for (const f of files) expect(again.err).toMatch(new RegExp(`skipped: ${f}: live-capture evidence: its packets are in the baseline from the live capture`));
    expect(flowsDocument(db, dir)).toBe(before);
    expect(stored(db)).toEqual(storedBefore);

    const fresh = join(dir, 'fresh.db');
    const r = cli(['ingest', ev, '--db', fresh, '-q']);
    expect(r.code).toBe(0);
    expect(withoutCaptureCount(flowsDocument(fresh, dir))).toEqual(withoutCaptureCount(before));
    expect(stored(fresh).frames).toBe(n);
    // The other store, given the rest once the capture stopped, holds the same too.
    expect(cli(['ingest', ev, '--db', other, '-q']).code).toBe(0);
    expect(stored(other).flowPackets).toBe(n);
    expect(stored(other).frames).toBe(n);
  });

  test('capture(--keep 2 --rotate 1s) leaves only its newest 2 files, and never a file it did not write', async () => {
    const ev = join(dir, 'keep');
    mkdirSync(ev);
    // Not its own: named like its files but not marked, a plain capture, a file of another interface's name.
    const lookalike = join(ev, `zonescope-${pair.hostIf}-20200101T000000Z.pcapng`);
    copyFileSync(join(REPO_ROOT, 'fixtures/captures/s7comm/cisagov_snap7.pcap'), lookalike);
    copyFileSync(join(REPO_ROOT, FILE), join(ev, 'plant.pcap'));
    const db = join(dir, 'keep.db');
    const cap = startCapture(['-i', pair.hostIf, '--db', db, '--commit-every', '1', '--write', ev, '--rotate', '1s', '--keep', '2']);
    await cap.ready;
    replay(pair, FILE, { pps: 25 }); // 4 s
    await wait(500);
    cap.kill('SIGINT');
    const { code, err } = await cap.done;
    expect(code).toBe(0);
    const written = Number(/evidence: (\d+) pcapng files written/.exec(err)![1]);
    expect(written).toBeGreaterThanOrEqual(4);
    expect(err).toContain(`${written - 2} old files deleted (--keep 2)`);
    const own = [];
    for (const f of evidenceFiles(ev)) if (await readEvidenceMark(f)) own.push(f);
    expect(own).toHaveLength(2);
    expect(existsSync(lookalike)).toBe(true);
    expect(existsSync(join(ev, 'plant.pcap'))).toBe(true);
    // The two kept are the newest: together they hold the end of the replay, its last frame included.
    const kept = [...(await frameHex(own[0]!)), ...(await frameHex(own[1]!))];
    const replayed = await frameHex(join(REPO_ROOT, FILE));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(replayed.length);
    expect(kept).toEqual(replayed.slice(-kept.length));
  });

  test('capture(killed with SIGKILL mid-replay) then ingest DIR: the packets its intervals committed are not counted again, the rest of its open file is added', async () => {
    const ev = join(dir, 'kill');
    mkdirSync(ev);
    const db = join(dir, 'kill.db');
    const cap = startCapture(['-i', pair.hostIf, '--db', db, '--commit-every', '2', '--write', ev]);
    await cap.ready;
    const replaying = spawn('ip', ['netns', 'exec', pair.ns, 'tcpreplay', '-q', '-i', pair.peerIf, '--pps=3000', '--loop=100', FILE], { stdio: 'ignore' });
    await wait(3200); // one commit at 2 s, then 1.2 s of packets flushed to the file but not committed
    cap.kill('SIGKILL');
    const { signal } = await cap.done;
    replaying.kill('SIGTERM');
    expect(signal).toBe('SIGKILL');
    const files = evidenceFiles(ev);
    expect(files).toHaveLength(1);
    const inFile = tsharkCount(files[0]!);
    const before = stored(db);
    expect(before.frames).toBeGreaterThan(1000);
    expect(before.frames).toBeLessThan(inFile);

    const r = cli(['ingest', ev, '--db', db, '--verbose']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('1 file (0 ingested, 1 resumed)');
    expect(r.err).toMatch(/LIVE_EVIDENCE_TAIL: live-capture evidence left open by a capture that stopped abruptly/);
    const after = stored(db);
    // Every packet of the file once: the committed ones from the live run, the rest from the file.
    expect(after.flowPackets).toBe(inFile);
    expect(after.frames).toBe(inFile);
    // And a second ingest adds nothing.
    const again = cli(['ingest', ev, '--db', db, '--verbose']);
    expect(again.err).toContain('1 file (0 ingested, 1 skipped)');
    expect(stored(db)).toEqual(after);
  }, 60_000);

  test('capture(--write on a disk that fills up) warns LIVE_WRITE_FAILED once, keeps capturing into the baseline, exit 0', async () => {
    const ev = join(dir, 'full');
    mkdirSync(ev);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', ev], { encoding: 'utf8' });
    if (mount.status !== 0) throw new Error(`cannot mount a small tmpfs: ${mount.stderr}`);
    try {
      const db = join(dir, 'full.db');
      const cap = startCapture(['-i', pair.hostIf, '--db', db, '--commit-every', '1', '--write', ev]);
      await cap.ready;
      replay(pair, FILE, { pps: 3000, loop: 60 }); // 6,000 packets, 650 KB as pcapng: more than the disk holds
      await wait(1000);
      cap.kill('SIGINT');
      const { code, err } = await cap.done;
      expect(code).toBe(0);
      expect(err).toMatch(/warning: LIVE_WRITE_FAILED: evidence file: writing \S+: the disk is full \(ENOSPC\): free space in the folder/);
      expect(err.match(/warning: LIVE_WRITE_FAILED/g)).toHaveLength(1);
      expect(err).toMatch(/1 write failure \(LIVE_WRITE_FAILED above: the baseline is complete, the files are not\)/);
      expect(err).not.toMatch(/\n\s+at /); // no stack trace
      const n = counted(err);
      expect(n).toBe(6000);
      expect(stored(db).frames).toBe(n);
      // The file keeps what fitted, is readable, and is recorded: ingesting it adds nothing.
      const files = evidenceFiles(ev);
      expect(files).toHaveLength(1);
      const inFile = tshark(['-r', files[0]!, '-T', 'fields', '-e', 'frame.number']).split('\n').filter(Boolean).length;
      expect(inFile).toBeGreaterThan(0);
      expect(inFile).toBeLessThan(n);
      const flows = flowsDocument(db, dir);
      expect(cli(['ingest', ev, '--db', db, '-q']).code).toBe(0);
      expect(flowsDocument(db, dir)).toBe(flows);
    } finally {
      spawnSync('umount', [ev]);
    }
  });
});

describe('zonescope capture --write errors', () => {
  test('capture(--write a folder that does not exist) is LIVE_WRITE_DIR, one line, exit 2, no store', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'zs-capture-nodir-'));
    const r = cli(['capture', '-i', 'lo', '--duration', '1', '--db', join(tmp, 'x.db'), '--write', join(tmp, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`zonescope: LIVE_WRITE_DIR: --write ${join(tmp, 'nope')}: no such folder: create it (mkdir -p ${join(tmp, 'nope')}) or name another; nothing was captured\n`);
    expect(existsSync(join(tmp, 'x.db'))).toBe(false);
  });

  test('capture(--rotate 1w, or --keep without --write) is a usage error, exit 2', () => {
    const bad = cli(['capture', '-i', 'lo', '--write', tmpdir(), '--rotate', '1w']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--rotate 1w: expected an interval such as 30m, 1h, 1d or a number of seconds/);
    const keep = cli(['capture', '-i', 'lo', '--keep', '3']);
    expect(keep.code).toBe(2);
    expect(keep.err).toMatch(/--rotate and --keep go with --write DIR/);
  });
});
