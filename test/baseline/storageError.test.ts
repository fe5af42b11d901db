/**
 * Storage and environment failures (issue 13 point 3): a full disk, a lock held by another process, a
 * read-only store or folder, two ingests of one file. Each is a BaselineError that says what to do
 * (the CLI: one line, exit 2), and the store is left as it was.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Baseline, BaselineError } from '../../src/baseline/baseline.js';
import { BaselineReader } from '../../src/baseline/reader.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import type { PipelineStore } from '../../src/pipeline/source.js';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { CAPTURES_DIR, capturePath, REPO_ROOT } from '../util/captures.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const tmp = mkdtempSync(join(tmpdir(), 'zs-storage-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const V1_STORE = join(REPO_ROOT, 'fixtures', 'stores', 'v1-refinery-unit3.db');
const NEW_CAPTURES = [capturePath('s7comm/cisagov_snap7.pcap'), capturePath('opcua/cisagov_opcua_with-gap_with-handshake.pcap'), capturePath('dnp3/cisagov_dnp3_example.pcap')];

function storeCopy(name: string): string {
  const p = join(tmp, name);
  copyFileSync(V1_STORE, p);
  Baseline.open(p).close(); // migrated, clean
  return p;
}

/** The store's content through the reader. */
function content(path: string): string {
  const r = BaselineReader.open(path);
  try {
    return JSON.stringify(r.snapshot(() => [r.captures().map(({ ingestedAt: _i, ...c }) => c), r.flows(), r.identities(), r.hostMacs(), r.scans(), r.diagnostics(), r.protocolStats()]));
  } finally {
    r.close();
  }
}

async function failure(p: Promise<unknown>): Promise<BaselineError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BaselineError) return e;
    throw e;
  }
  throw new Error('expected a BaselineError');
}

describe('Baseline on a full disk', () => {
  test('ingestCaptures(into a store at its size limit) is BASELINE_FULL naming the file, the store as it was before it; then it resumes', async () => {
    const path = storeCopy('full.db');
    const pages = Math.ceil(readFileSync(path).length / 4096);
    const b = Baseline.open(path, { maxPages: pages + 1 });
    // The store's content as each file starts to be read: after the last commit before it.
    const atFileStart = new Map<number, string>();
    let err: BaselineError;
    try {
      err = await failure(ingestCaptures(b, [CAPTURES_DIR], {
        workers: 1,
        onProgress: (p) => void (atFileStart.has(p.file) || atFileStart.set(p.file, content(path))),
      }));
    } finally {
      b.close();
    }
    expect(err.code).toBe('BASELINE_FULL');
    expect(err.message).toMatch(/adding .*: the disk is full .*nothing of it was written.* free space .* run again to resume/);
    const failedAt = Math.max(...atFileStart.keys());
    expect(content(path)).toBe(atFileStart.get(failedAt));
    // With room again, the same run completes: what was committed is skipped, the rest ingested.
    const again = Baseline.open(path);
    try {
      const r = await ingestCaptures(again, [CAPTURES_DIR], { workers: 1 });
      expect(r.files.filter((f) => f.status === 'ingested').length).toBeGreaterThan(5);
      expect(r.files.filter((f) => f.status === 'failed')).toEqual([]);
    } finally {
      again.close();
    }
  }, 60_000);
});

describe('Baseline beside another process that holds the lock', () => {
  function holdLock(path: string, ms: number): Promise<{ done: Promise<number | null> }> {
    const child = spawn(process.execPath, ['--import', TSX, join(REPO_ROOT, 'test', 'util', 'holdLock.ts'), path, String(ms)], {
      cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' },
    });
    const done = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return new Promise((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => (d.toString().includes('locked') ? resolve({ done }) : undefined));
      child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
    });
  }

  test('ingestCaptures(a store locked longer than the wait) says it waits, then gives up with BASELINE_BUSY, the store as it was', async () => {
    const path = storeCopy('busy.db');
    const before = content(path);
    const lock = await holdLock(path, 8000);
    const waits: string[] = [];
    const t0 = Date.now();
    const err = await failure(
      (async () => {
        const b = Baseline.open(path, { busyTimeoutMs: 200, waitMs: 1500, onWait: (m) => waits.push(m) });
        try {
          await ingestCaptures(b, NEW_CAPTURES, { workers: 1 });
        } finally {
          b.close();
        }
      })(),
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(waits).toEqual([expect.stringMatching(/is locked by another process .*: waiting up to 2 s for it$/)]);
    expect(err.code).toBe('BASELINE_BUSY');
    expect(err.message).toMatch(/another process holds the store's lock \(database is locked, after waiting 2 s for it\): let it finish .* run again; the store was left as it was/);
    await lock.done;
    expect(content(path)).toBe(before);
  }, 30_000);

  test('ingestCaptures(a store locked for a moment) waits for it, says so, and then ingests', async () => {
    const path = storeCopy('wait.db');
    const lock = await holdLock(path, 1500);
    const waits: string[] = [];
    const b = Baseline.open(path, { busyTimeoutMs: 200, waitMs: 20_000, onWait: (m) => waits.push(m) });
    try {
      const r = await ingestCaptures(b, NEW_CAPTURES, { workers: 1 });
      expect(r.files.map((f) => f.status)).toEqual(['ingested', 'ingested', 'ingested']);
    } finally {
      b.close();
    }
    expect(waits.length).toBeGreaterThanOrEqual(1);
    await lock.done;
  }, 30_000);
});

describe('two ingests of one file', () => {
  test('ingestCaptures(a file another process committed while this one read it) writes it once and says skipped', async () => {
    const path = storeCopy('race.db');
    const a = Baseline.open(path);
    const b = Baseline.open(path);
    try {
      const file = [NEW_CAPTURES[0]!];
      await ingestCaptures(b, file, { workers: 1 });
      // a planned the file before b committed it: its planning saw no such capture.
      const planningEarlier: PipelineStore = {
        captureByFingerprint: () => undefined,
        captureByContentId: () => undefined,
        capturesWithoutContentId: () => [],
        setContentId: () => undefined,
        grownFrom: (h, n) => a.grownFrom(h, n),
        capturesAtPath: () => [],
        commitCapture: (...args) => a.commitCapture(...args),
        commitDeltas: (...args) => a.commitDeltas(...args),
      };
      const r = await ingestCaptures(planningEarlier, file, { workers: 1 });
      expect(r.files.map((f) => [f.status, f.note])).toEqual([['skipped', 'ingested meanwhile by another process']]);
      expect(r.failed).toBe(false);
    } finally {
      a.close();
      b.close();
    }
    const reader = BaselineReader.open(path);
    try {
      expect(reader.captures().filter((c) => c.path === NEW_CAPTURES[0])).toHaveLength(1);
    } finally {
      reader.close();
    }
  });
});

/** The CLI from source as an unprivileged user (root ignores permission bits). */
function runAsUser(args: string[]): { code: number | null; out: string; err: string } {
  const cli = ['--import', TSX, join(REPO_ROOT, 'test', 'util', 'runCli.ts'), ...args];
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...cli]]
    : [process.execPath, cli];
  const r = spawnSync(cmd, argv, { cwd: tmp, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', HOME: tmp }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the CLI on stores this user cannot write', () => {
  const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
  let dir: string;

  beforeAll(() => {
    dir = join(tmp, 'perm');
    mkdirSync(dir);
    chmodSync(tmp, 0o755);
    chmodSync(dir, 0o777);
  });

  test('main(ingest into a read-only store file) is BASELINE_READ_ONLY, exit 2, the file untouched', () => {
    const path = join(dir, 'ro-file.db');
    copyFileSync(storeCopy('ro-src.db'), path);
    chmodSync(path, 0o444);
    const before = sha(path);
    const r = runAsUser(['ingest', NEW_CAPTURES[0]!, '--db', path, '-q']);
    expect(r.err).toMatch(/^zonescope: BASELINE_READ_ONLY: .*the store file cannot be written by this user.*make it writable, or name another store with --db/);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    expect(r.code).toBe(2);
    expect(sha(path)).toBe(before);
  }, 60_000);

  test('main(flows on a cleanly closed store in a read-only folder) reads it, exit 0', () => {
    const ro = join(tmp, 'ro-folder');
    mkdirSync(ro);
    copyFileSync(storeCopy('ro-folder-src.db'), join(ro, 'z.db'));
    chmodSync(join(ro, 'z.db'), 0o444);
    chmodSync(ro, 0o555);
    const r = runAsUser(['flows', '--db', join(ro, 'z.db')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').length).toBeGreaterThan(80);
  }, 60_000);

  test('main(ingest into a store in a read-only folder) is BASELINE_READ_ONLY, exit 2', () => {
    const ro = join(tmp, 'ro-folder-2');
    mkdirSync(ro);
    copyFileSync(storeCopy('ro-folder-2-src.db'), join(ro, 'z.db'));
    chmodSync(join(ro, 'z.db'), 0o666);
    chmodSync(ro, 0o555);
    const before = sha(join(ro, 'z.db'));
    const r = runAsUser(['ingest', NEW_CAPTURES[0]!, '--db', join(ro, 'z.db'), '-q']);
    expect(r.err).toMatch(/^zonescope: BASELINE_READ_ONLY: .*its folder .* cannot be written by this user/);
    expect(r.code).toBe(2);
    expect(sha(join(ro, 'z.db'))).toBe(before);
    expect(existsSync(join(ro, 'z.db-wal'))).toBe(false);
  }, 60_000);

  test('main(flows on a store left in WAL mode in a read-only folder) is BASELINE_READ_ONLY saying why and what to do, exit 2', () => {
    const ro = join(tmp, 'ro-folder-wal');
    mkdirSync(ro);
    const path = join(ro, 'z.db');
    copyFileSync(storeCopy('ro-wal-src.db'), path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.close();
    chmodSync(path, 0o444);
    chmodSync(ro, 0o555);
    const r = runAsUser(['flows', '--db', path]);
    expect(r.err).toMatch(/BASELINE_READ_ONLY: baseline .*z\.db: reading it needs .*z\.db-shm beside it .* make the folder writable once .* or copy the store somewhere writable/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  }, 60_000);
});
