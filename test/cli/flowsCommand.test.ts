/**
 * `zonescope flows` and the ingest points users hit (issue 12), through the real binary: --decode-as
 * anywhere on the line, the default store, standard input, input sets with no capture, the folded
 * skipped-files line, and the flows table (aligned on a TTY, TSV in pipes, numeric IP order, first/last
 * seen, days, --sort, --protocol, --host, --csv, totals, CIP services in hex, Modbus tables 0-based).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturePath, REPO_ROOT } from '../util/captures.js';
import { ZONESCOPE_BIN, zonescope, zonescopeShell } from '../util/cli.js';
import { buildPcap } from '../util/pcap.js';
import { modbusAdu, tcpFrame } from '../util/frameBuilder.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-flows-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const DEMO = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
const MODBUS = capturePath('modbus/zeek_modbusSmall.pcap');
const demoDb = join(tmp, 'demo.db');

beforeAll(() => {
  expect(zonescope(['ingest', DEMO, '--db', demoDb, '-q']).status).toBe(0);
});

interface Row {
  [column: string]: string;
}

/** The TSV the flows command writes into a pipe, as rows keyed by header. */
function tsv(text: string): Row[] {
  const [head, ...lines] = text.trimEnd().split('\n');
  const cols = head!.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i]!, v])));
}

function ipKey(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** A Modbus read on a handshaken connection from `src` to 10.0.0.1:502 at time `t`. */
function modbusConversation(src: string, sport: number): Buffer[] {
  const c = { src, dst: '10.0.0.1', sport, dport: 502 };
  const s = { src: '10.0.0.1', dst: src, sport: 502, dport: sport };
  return [
    tcpFrame({ ...c, seq: 100, flags: 0x02 }),
    tcpFrame({ ...s, seq: 500, ack: 101, flags: 0x12 }),
    tcpFrame({ ...c, seq: 101, ack: 501, flags: 0x10 }),
    tcpFrame({ ...c, seq: 101, ack: 501, flags: 0x18, payload: modbusAdu(1, 1, [3, 0, 0, 0, 10]) }),
    tcpFrame({ ...s, seq: 501, ack: 113, flags: 0x18, payload: modbusAdu(1, 1, [3, 20, ...new Array<number>(20).fill(0)]) }),
  ];
}

describe('ingest inputs', () => {
  test('zonescope ingest --decode-as P=opcua FILE (option before the inputs) keeps the inputs and applies the option', () => {
    const db = join(tmp, 'decodeas.db');
    const r = zonescope(['ingest', '--decode-as', 'tcp:48010=opcua', capturePath('opcua/cisagov_open62541_mainloop-not-localhost-non-standard-port.pcap'), '--db', db, '-q']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(zonescope(['flows', '--db', db, '--json', '-']).stdout) as { flows: Array<{ protocol: string; port: number }> };
    expect(doc.flows.find((f) => f.port === 48010)?.protocol).toBe('opcua');
  });

  test('cat CAPTURE | zonescope ingest - reads the capture from standard input; the same capture piped again is skipped', () => {
    const db = join(tmp, 'stdin.db');
    const first = zonescopeShell(`cat '${MODBUS}' | zonescope ingest - --db '${db}'`);
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/1 file \(1 ingested\)/);
    const doc = JSON.parse(zonescope(['flows', '--db', db, '--json', '-']).stdout) as { flows: Array<{ protocol: string }> };
    expect(doc.flows.some((f) => f.protocol === 'modbus')).toBe(true);
    const again = zonescopeShell(`gzip -c '${MODBUS}' | gzip -dc | zonescope ingest - --db '${db}'`);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/1 file \(0 ingested, 1 skipped\)/);
  });

  test('zonescope ingest EMPTY_DIR, zonescope analyze EMPTY_DIR and an empty standard input exit 2 and create no store', () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const db = join(tmp, 'never.db');
    const i = zonescope(['ingest', empty, '--db', db]);
    expect(i.status).toBe(2);
    expect(i.stderr).toMatch(/INPUT_NO_CAPTURES/);
    expect(i.stderr).toMatch(/^zonescope: no capture file among the inputs/m);
    expect(existsSync(db)).toBe(false);
    const a = zonescope(['analyze', empty, '--out', join(tmp, 'empty-out')]);
    expect(a.status).toBe(2);
    expect(existsSync(join(tmp, 'empty-out', 'flows.json'))).toBe(false);
    const s = zonescopeShell(`zonescope ingest - --db '${db}' < /dev/null`);
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/^zonescope: standard input was empty/);
    expect(existsSync(db)).toBe(false);
  });

  test('zonescope ingest (again) folds the skipped files into one line with a count; --verbose lists each', () => {
    const db = join(tmp, 'twice.db');
    expect(zonescope(['ingest', 'fixtures/captures', '--db', db, '-q']).status).toBe(0);
    const again = zonescope(['ingest', 'fixtures/captures', '--db', db]);
    expect(again.status).toBe(0);
    const skippedLines = again.stderr.split('\n').filter((l) => /skipped/.test(l) && !/^zonescope:/.test(l));
    expect(skippedLines).toEqual(['  skipped: 22 files (already in the baseline; --verbose lists them)']);
    const verbose = zonescope(['ingest', 'fixtures/captures', '--db', db, '--verbose']);
    expect(verbose.stderr.split('\n').filter((l) => /^ {2}skipped: fixtures\/captures\/.+: already in the baseline/.test(l))).toHaveLength(22);
  });
});

describe('the default store', () => {
  test("zonescope flows (no --db) after 'analyze --out zonescope-out' reads that store and says so", () => {
    const cwd = join(tmp, 'cwd-analyze');
    mkdirSync(cwd);
    expect(zonescope(['analyze', MODBUS, '--out', 'zonescope-out', '-q'], { cwd }).status).toBe(0);
    const r = zonescope(['flows'], { cwd });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^zonescope: reading \.\/zonescope-out\/zonescope\.db/);
    expect(tsv(r.stdout).some((row) => row.PROTO === 'tcp/modbus')).toBe(true);
  });

  test('zonescope flows (no --db, no store) exits 2 with one line that says what to run', () => {
    const cwd = join(tmp, 'cwd-none');
    mkdirSync(cwd);
    const r = zonescope(['flows'], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^zonescope: no baseline store: .*run 'zonescope ingest CAPTURES' or 'zonescope analyze CAPTURES' first.*\n$/);
    expect(existsSync(join(cwd, 'zonescope.db'))).toBe(false);
  });
});

describe('zonescope flows', () => {
  test('zonescope flows | cat writes TSV, rows in numeric IP order (10.0.0.2 before 10.0.0.10)', () => {
    const file = join(tmp, 'order.pcap');
    writeFileSync(file, buildPcap(1, [...modbusConversation('10.0.0.10', 40000), ...modbusConversation('10.0.0.2', 40001)]));
    const db = join(tmp, 'order.db');
    expect(zonescope(['ingest', file, '--db', db, '-q']).status).toBe(0);
    const r = zonescope(['flows', '--db', db]);
    expect(r.stdout.split('\n')[0]).toBe('SRC\tDST\tPROTO\tPORT\tPACKETS\tBYTES\tCONNS\tFIRST_SEEN\tLAST_SEEN\tDAYS\tOPERATIONS\tCODES');
    expect(tsv(r.stdout).map((row) => row.SRC)).toEqual(['10.0.0.2', '10.0.0.10']);
  });

  test('zonescope flows (demo) lists first/last seen and days seen; in a pipe nothing but the TSV (no totals line, nothing on stderr)', () => {
    const r = zonescope(['flows', '--db', demoDb]);
    const rows = tsv(r.stdout);
    expect(rows).toHaveLength(77);
    const srcKeys = rows.map((row) => ipKey(row.SRC!));
    expect(srcKeys).toEqual([...srcKeys].sort((a, b) => a - b));
    for (const row of rows) {
      expect(row.FIRST_SEEN).toMatch(/^2026-0[12]-\d\d \d\d:\d\d:\d\dZ$/);
      expect(row.LAST_SEEN! >= row.FIRST_SEEN!).toBe(true);
      expect(Number(row.DAYS)).toBeGreaterThanOrEqual(1);
      expect(Number(row.DAYS)).toBeLessThanOrEqual(28);
    }
    expect(rows.some((row) => row.DAYS === '28')).toBe(true);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/^total:/m);
  });

  test('zonescope flows --sort packets orders by packets, largest first', () => {
    const rows = tsv(zonescope(['flows', '--db', demoDb, '--sort', 'packets']).stdout);
    const p = rows.map((row) => Number(row.PACKETS));
    expect(p).toEqual([...p].sort((a, b) => b - a));
    expect(p[0]).toBeGreaterThan(p[p.length - 1]!);
  });

  test('zonescope flows --protocol modbus --host 10.30.1.0/24 keeps only those flows', () => {
    const all = tsv(zonescope(['flows', '--db', demoDb]).stdout);
    const rows = tsv(zonescope(['flows', '--db', demoDb, '--protocol', 'modbus', '--host', '10.30.1.0/24']).stdout);
    const want = all.filter((row) => row.PROTO === 'tcp/modbus' && (row.SRC!.startsWith('10.30.1.') || row.DST!.startsWith('10.30.1.')));
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all.length);
    expect(rows).toEqual(want);
    expect(zonescope(['flows', '--db', demoDb, '--host', 'plc-7']).status).toBe(2);
  });

  test('zonescope flows --csv FILE writes the same rows as RFC 4180 CSV', () => {
    const file = join(tmp, 'flows.csv');
    const r = zonescope(['flows', '--db', demoDb, '--csv', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const lines = readFileSync(file, 'utf8').split('\r\n').filter((l) => l !== '');
    const rows = tsv(zonescope(['flows', '--db', demoDb]).stdout);
    expect(lines[0]).toBe('SRC,DST,PROTO,PORT,PACKETS,BYTES,CONNS,FIRST_SEEN,LAST_SEEN,DAYS,OPERATIONS,CODES');
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[1]!.split(',').slice(0, 5)).toEqual([rows[0]!.SRC, rows[0]!.DST, rows[0]!.PROTO, rows[0]!.PORT, rows[0]!.PACKETS]);
  });

  test('zonescope flows shows CIP services in hex (Forward Open 0x54, not 84) and Modbus codes as FC3', () => {
    const rows = tsv(zonescope(['flows', '--db', demoDb]).stdout);
    const enip = rows.filter((row) => row.PROTO === 'tcp/enip');
    expect(enip.some((row) => row.CODES!.split(' ').includes('0x54'))).toBe(true);
    for (const row of enip) for (const c of row.CODES!.split(' ').filter((x) => x !== '')) expect(c).toMatch(/^0x[0-9A-F]{2}$/);
    expect(rows.some((row) => row.PROTO === 'tcp/modbus' && row.CODES!.split(' ').includes('FC3'))).toBe(true);
  });

  test('zonescope flows --detail names Modbus tables and says the starts are 0-based', () => {
    const r = zonescope(['flows', '--db', demoDb, '--protocol', 'modbus', '--detail']);
    expect(r.stdout).toMatch(/^ {4}read holding registers \d+\.\.\d+ \(\d+, 0-based\) x\d+$/m);
    expect(r.stdout).toMatch(/^ {4}function FC3 READ_HOLDING_REGISTERS \[read\]: /m);
  });

  test('zonescope flows on a terminal: aligned columns, the totals line and the 0-based note on stdout', () => {
    const out = execFileSync('script', ['-qec', `stty cols 200; '${process.execPath}' '${ZONESCOPE_BIN}' flows --db '${demoDb}' --protocol modbus`, '/dev/null'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const lines = out.replace(/\r/g, '').split('\n').filter((l) => l !== '');
    expect(lines[0]).toMatch(/^SRC +DST +PROTO +PORT +PACKETS +BYTES +CONNS +FIRST_SEEN +LAST_SEEN +DAYS +OPERATIONS +CODES$/);
    expect(out).not.toContain('\t');
    const at = lines[0]!.indexOf('PROTO');
    const rows = lines.slice(1).filter((l) => /^\d/.test(l));
    expect(rows.length).toBeGreaterThan(1);
    for (const l of rows) expect(l.slice(at, at + 10)).toBe('tcp/modbus');
    // PACKETS is right-aligned: each value ends where the header ends.
    const end = lines[0]!.indexOf('PACKETS') + 'PACKETS'.length;
    const packets = rows.reduce((n, l) => n + Number(l.slice(0, end).trim().split(/ +/).pop()!.replace(/,/g, '')), 0);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^total: ${rows.length} flows between \\d+ hosts, ${packets.toLocaleString('en-US')} packets, `)));
    expect(lines.some((l) => /0-based/.test(l))).toBe(true);
  });
});

describe('package.json', () => {
  test('allowScripts covers every dependency whose install scripts run (npm 12 skips the others)', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const deps = { ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.devDependencies };
    const withScripts: string[] = [];
    for (const name of Object.keys(deps)) {
      const p = join(REPO_ROOT, 'node_modules', name, 'package.json');
      if (!existsSync(p)) continue;
      const s = (JSON.parse(readFileSync(p, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
      if (s.preinstall || s.install || s.postinstall || existsSync(join(REPO_ROOT, 'node_modules', name, 'binding.gyp'))) withScripts.push(name);
    }
    expect(withScripts.sort()).toEqual(expect.arrayContaining(['better-sqlite3', 'esbuild']));
    for (const name of withScripts) expect(pkg.allowScripts?.[name]).toBe(true);
  });
});

