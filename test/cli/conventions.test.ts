/**
 * The conventions every command shares, tried through the real binary (`node bin/zonescope.js`) the
 * way a new user meets them: one-line failures with the documented exit code and no stack trace,
 * quiet broken pipes, checked numeric options, did-you-mean, the command's own help on a usage error,
 * --quiet, Ctrl-C and SIGTERM, a progress bar that fits 80 columns, the store always closed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeShortConnCapture } from '../../fixtures/generator/benchShortConns.js';
import { BaselineReader } from '../../src/baseline/reader.js';
import { capturePath, REPO_ROOT } from '../util/captures.js';
import { hasNoStack, startZonescope, zonescope, zonescopeShell } from '../util/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-conv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const DEMO = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
const MODBUS = capturePath('modbus/zeek_modbusSmall.pcap');
const demoDb = join(tmp, 'demo.db');

beforeAll(() => {
  const r = zonescope(['ingest', DEMO, '--db', demoDb, '-q']);
  expect(r.status).toBe(0);
});

function captures(db: string): number {
  const r = BaselineReader.open(db);
  try {
    return r.captures().length;
  } finally {
    r.close();
  }
}

/** Exactly one line on stderr, starting with `zonescope: `, and no stack. */
function expectOneLine(stderr: string): void {
  expect(stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(stderr).toMatch(/^zonescope: /);
  expect(hasNoStack(stderr)).toBe(true);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await sleep(25);
  }
}

describe('zonescope --version', () => {
  test('zonescope --version prints the version of package.json and exits 0', () => {
    const r = zonescope(['--version']);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });
});

describe('broken pipes', () => {
  test('zonescope flows --json - | head -3 ends quietly with exit 0', () => {
    const r = zonescopeShell(`zonescope flows --db '${demoDb}' --json - | head -3; echo "status=\${PIPESTATUS[0]}" >&2`);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['{', '  "schema": "zonescope/flows@2",', '  "meta": {']);
    expect(r.stderr).toBe('status=0\n');
  });

  test('zonescope analyze CAPTURES 2>&1 | head -2 still ingests every capture and writes flows.json', () => {
    const out = join(tmp, 'analyze-head');
    const r = zonescopeShell(`zonescope analyze fixtures/captures --out '${out}' 2>&1 | head -2 >/dev/null; echo "status=\${PIPESTATUS[0]}"`);
    expect(r.stdout).toMatch(/status=[02]\n/);
    expect(captures(join(out, 'zonescope.db'))).toBe(22);
    expect(existsSync(join(out, 'flows.json'))).toBe(true);
  });
});

describe('one-line failures', () => {
  test('zonescope flows --json (no value) exits 2 with the message and the flows help, no stack', () => {
    const r = zonescope(['flows', '--db', demoDb, '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('zonescope: Not enough arguments following: json');
    expect(r.stderr).toMatch(/zonescope flows\n/);
    expect(r.stderr).toMatch(/--sort/);
    expect(hasNoStack(r.stderr)).toBe(true);
  });

  test('zonescope flows --json MISSING/x.json exits 2 with one line naming the folder', () => {
    const r = zonescope(['flows', '--db', demoDb, '--json', join(tmp, 'nope', 'x.json')]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain(`folder ${join(tmp, 'nope')} does not exist`);
  });

  test('zonescope analyze --out FILE (a file, not a folder) exits 2 with one line', () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const r = zonescope(['analyze', MODBUS, '--out', file]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('is a file, not a folder');
  });

  test('zonescope analyze --out into an unwritable folder (/sys) exits 2 with one line', () => {
    const r = zonescope(['analyze', MODBUS, '--out', '/sys/zonescope-test']);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/cannot create folder \/sys\/zonescope-test: (operation not permitted|permission denied|read-only)/);
  });

  test('zonescope analyze --out /proc/x fails at once (exit 2, one line) instead of spinning', () => {
    const t0 = Date.now();
    const r = zonescope(['analyze', MODBUS, '--out', '/proc/x'], { timeoutMs: 20_000 });
    expect(r.status).toBe(2);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expectOneLine(r.stderr);
  });

  test('zonescope (an internal error) prints one line with the message and exits 3; ZONESCOPE_DEBUG=1 adds the stack', () => {
    // A preloaded module breaks JSON.stringify for zonescope documents: the kind of failure no input check anticipates.
    const preload = join(tmp, 'break.mjs');
    writeFileSync(preload, "const s = JSON.stringify; JSON.stringify = function (v, ...r) { if (v && v.schema) throw new Error('boom in stringify'); return s.call(this, v, ...r); };\n");
    const r = zonescope(['flows', '--db', demoDb, '--json', '-'], { env: { NODE_OPTIONS: `--import=${preload}` } });
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('zonescope: internal error: boom in stringify (run with ZONESCOPE_DEBUG=1 for the stack)\n');
    const d = zonescope(['flows', '--db', demoDb, '--json', '-'], { env: { NODE_OPTIONS: `--import=${preload}`, ZONESCOPE_DEBUG: '1' } });
    expect(d.status).toBe(3);
    expect(hasNoStack(d.stderr)).toBe(false);
  });
});

describe('numeric options', () => {
  test.each([
    ['--workers', 'abc'],
    ['--workers', '0'],
    ['--workers', '-5'],
    ['--workers', '1.5'],
    ['--max-connections', 'abc'],
    ['--max-connections', '0'],
    ['--max-connections', '-5'],
  ])('zonescope ingest %s %s exits 2 naming the option and the range, before touching the store', (opt, value) => {
    const db = join(tmp, `num-${opt}-${value}.db`);
    const r = zonescope(['ingest', MODBUS, '--db', db, `${opt}=${value}`]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^zonescope: ${opt} '?${value.replace('.', '\\.')}'?: expected a whole number from \\d+ to [\\d_]+$`));
    expect(existsSync(db)).toBe(false);
  });

  test('zonescope ingest --workers 2 --max-connections 5000 accepts whole numbers in range', () => {
    const r = zonescope(['ingest', MODBUS, '--db', join(tmp, 'num-ok.db'), '--workers', '2', '--max-connections', '5000', '-q']);
    expect(r.status).toBe(0);
  });
});

describe('usage errors', () => {
  test("zonescope ingst (a mistyped command) exits 2 and asks 'did you mean ingest?'", () => {
    const r = zonescope(['ingst', MODBUS]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("zonescope: unknown command 'ingst': did you mean ingest?");
  });

  test("zonescope flows --sort nope exits 2 and shows the flows command's own help", () => {
    const r = zonescope(['flows', '--db', demoDb, '--sort', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^zonescope: Invalid values:/);
    expect(r.stderr).toMatch(/^zonescope flows$/m);
    expect(r.stderr).toMatch(/--protocol/);
    expect(r.stderr).not.toMatch(/--decode-as/);
  });

  test('zonescope ingest --decode-as nonsense FILE exits 2 with the ingest help', () => {
    const r = zonescope(['ingest', '--decode-as', 'nonsense', MODBUS, '--db', join(tmp, 'u.db')]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("zonescope: --decode-as 'nonsense': expected PORT=PROTOCOL, e.g. 48010=opcua or tcp:48010=opcua");
    expect(r.stderr).toMatch(/^zonescope ingest \[inputs\.\.\]$/m);
  });
});

describe('--quiet', () => {
  test('zonescope analyze DEMO -q prints nothing at all and exits 0', () => {
    const r = zonescope(['analyze', DEMO, '--out', join(tmp, 'quiet'), '-q']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
  });

  test('zonescope ingest BROKEN -q prints only the error lines and exits 2', () => {
    const bad = join(tmp, 'broken.pcap');
    writeFileSync(bad, Buffer.alloc(100, 0x41));
    const r = zonescope(['ingest', bad, MODBUS, '--db', join(tmp, 'q2.db'), '-q']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^.*broken\.pcap.*CAPTURE_UNKNOWN_FORMAT.*\n$/);
  });
});

describe('signals', () => {
  test('zonescope ingest (Ctrl-C) says "interrupted; run again to resume", exits 130, closes the store; the next run resumes', async () => {
    const db = join(tmp, 'sigint.db');
    const { child, done } = startZonescope(['ingest', DEMO, '--db', db]);
    await waitFor(() => existsSync(`${db}-wal`));
    await sleep(300);
    child.kill('SIGINT');
    const r = await done;
    expect(r.status).toBe(130);
    expect(r.stderr).toMatch(/^zonescope: interrupted; run again to resume/m);
    expect(hasNoStack(r.stderr)).toBe(true);
    expect(existsSync(`${db}-wal`)).toBe(false);
    const again = zonescope(['ingest', DEMO, '--db', db]);
    expect(again.status).toBe(0);
    expect(captures(db)).toBe(28);
  });

  test('zonescope ingest (SIGTERM) says "terminated", exits 143 and closes the store', async () => {
    const db = join(tmp, 'sigterm.db');
    const { child, done } = startZonescope(['ingest', DEMO, '--db', db]);
    await waitFor(() => existsSync(`${db}-wal`));
    child.kill('SIGTERM');
    const r = await done;
    expect(r.status).toBe(143);
    expect(r.stderr).toMatch(/^zonescope: terminated \(SIGTERM\); run again to resume/m);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  test('zonescope ingest on an 80-column terminal: the whole progress line fits (ETA shown); Ctrl-C clears it before the message', () => {
    const db = join(tmp, 'pty.db');
    // After the demo, a capture of 150,000 short connections (about a second of ingest): the run is
    // still going when Ctrl-C comes, however fast the demo itself is ingested.
    const runway = join(tmp, 'runway.pcap');
    writeShortConnCapture(runway, { connections: 150_000, hosts: 2000, servers: 100, spacingUs: 300, seed: 7 });
    const zs = `'${process.execPath}' '${join(REPO_ROOT, 'bin', 'zonescope.js')}'`;
    const bin = process.env.ZONESCOPE_BIN ? `'${process.execPath}' '${process.env.ZONESCOPE_BIN}'` : zs;
    // Interrupted once the first capture is committed: planning (which inflates new gzip captures for their content identity) is over and the bar is drawn.
    const committed = "const D=require('better-sqlite3'); const d=new D(process.argv[1],{readonly:true}); process.exit(d.prepare('SELECT count(*) AS n FROM captures').get().n>0?0:1)";
    const inner = `stty cols 80; ${bin} ingest '${DEMO}' '${runway}' --db '${db}' & pid=$!; while [ ! -e '${db}-wal' ]; do sleep 0.05; done; until '${process.execPath}' -e "${committed}" '${db}' 2>/dev/null; do sleep 0.1; done; sleep 0.3; kill -INT $pid; wait $pid; echo EXIT=$?`;
    const out = execFileSync('script', ['-qec', inner, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(out).toMatch(/EXIT=130/);
    expect(out).not.toMatch(/29 files \(29 ingested\)/);
    // Each frame of the bar is drawn after a cursor-to-column-1 sequence.
    const frames = out.split('\x1b[1G').map((s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '')).filter((s) => s.includes('files'));
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) {
      expect([...f].length).toBeLessThanOrEqual(80);
      expect(f).toMatch(/ETA \S+/);
    }
    const last = out.lastIndexOf('files');
    const msg = out.indexOf('zonescope: interrupted');
    expect(msg).toBeGreaterThan(last);
    expect(out.slice(last, msg)).toContain('\x1b[2K');
  });
});

describe('the store is always closed', () => {
  test('zonescope analyze and zonescope flows leave no -wal or -shm beside the store', () => {
    const out = join(tmp, 'closed');
    expect(zonescope(['analyze', MODBUS, '--out', out, '-q']).status).toBe(0);
    expect(zonescope(['flows', '--db', join(out, 'zonescope.db')]).status).toBe(0);
    expect(zonescope(['flows', '--db', join(out, 'zonescope.db'), '--json', join(out, 'f.json')]).status).toBe(0);
    expect(existsSync(join(out, 'zonescope.db-wal'))).toBe(false);
    expect(existsSync(join(out, 'zonescope.db-shm'))).toBe(false);
  });
});
