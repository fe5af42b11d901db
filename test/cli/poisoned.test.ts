/**
 * A store poisoned by a zonescope from before timestamps were checked (issue 13, finding 1: a capture
 * committed with a time beyond what a JS Date holds, and with it a flow's last_seen, an hour and a
 * function day of that time; a MAC row whose time is the text 'NaN') is crafted with SQL on a scratch
 * store. Through the real binary, flows, flows --json, assets, report and analyze read it (exit 0, no
 * internal error) and say what is wrong: a BASELINE_TIME_INVALID warning naming the capture and each
 * field. Before the fix every one of them exited 3 (`RangeError: Invalid time value`); run with
 * ZONESCOPE_BIN=<old main>/bin/zonescope.js to see it. And today's ingest of such a capture (a pcapng
 * if_tsoffset beyond a Date) stores no such time: exit 2 with the frame and offset, a store flows reads.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturePath } from '../util/captures.js';
import { hasNoStack, zonescope } from '../util/cli.js';
import { epb, frame, idb, shb } from '../ingest/captureTestUtil.js';

const MODBUS = capturePath('modbus/cisagov_modbus_example.pcap');
const BEYOND = 1e17; // seconds: far beyond a Date's ±8.64e12 s
let dir = '';
let db = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zs-poisoned-'));
  db = join(dir, 'poisoned.db');
  expect(zonescope(['ingest', MODBUS, '--db', db, '-q']).status).toBe(0);
  const sql = new Database(db);
  sql.prepare('UPDATE captures SET last_seen = ?').run(BEYOND);
  const flow = (sql.prepare("SELECT id FROM flows WHERE src = '127.0.0.1'").get() as { id: number }).id;
  sql.prepare('UPDATE flows SET last_seen = ? WHERE id = ?').run(BEYOND, flow);
  sql.prepare('INSERT INTO flow_hours (flow_id, hour, packets, bytes) VALUES (?, ?, 1, 60)').run(flow, Math.floor(BEYOND / 3600));
  const fn = sql.prepare('SELECT space, code, variant FROM flow_functions WHERE flow_id = ? LIMIT 1').get(flow) as { space: string; code: number; variant: number };
  sql.prepare('INSERT INTO flow_function_days (flow_id, space, code, variant, day, requests, responses, exceptions) VALUES (?, ?, ?, ?, ?, 1, 1, 0)')
    .run(flow, fn.space, fn.code, fn.variant, Math.floor(BEYOND / 86400));
  sql.prepare("UPDATE host_macs SET first_seen = 'NaN'").run();
  sql.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectNamesTheDamage(stderr: string): void {
  const lines = stderr.split('\n').filter((l) => l.includes('BASELINE_TIME_INVALID'));
  expect(lines).toEqual([
    expect.stringMatching(/^.*poisoned\.db: warning: BASELINE_TIME_INVALID: capture .*cisagov_modbus_example\.pcap: captures\.last_seen \(last_seen 100000000000000000\) is no time a date can hold; read as its first_seen\./),
    expect.stringMatching(/flows\.last_seen: 1 row \(127\.0\.0\.1 -> 127\.0\.0\.1 tcp\/502 modbus: last_seen 100000000000000000\)/),
    expect.stringMatching(/host_macs\.first_seen: \d+ rows? \(.* first_seen NaN\) .*read as the row's last_seen/),
    expect.stringMatching(/flow_hours\.hour: 1 row \(hour 27777777777777\) .*left out of the hourly activity/),
    expect.stringMatching(/flow_function_days\.day: 1 row \(day 1157407407407\)/),
  ]);
  expect(stderr).not.toMatch(/internal error/);
  expect(hasNoStack(stderr)).toBe(true);
}

describe('a store poisoned with times beyond a Date', () => {
  test('zonescope flows(poisoned store) exits 0, lists every flow with usable times and names the capture and fields', () => {
    const r = zonescope(['flows', '--db', db]);
    expect(r.status).toBe(0);
    expectNamesTheDamage(r.stderr);
    expect(r.stdout).toMatch(/^127\.0\.0\.1\t127\.0\.0\.1\ttcp\/modbus\t502\t98\t7169\t1\t2020-07-25 07:03:28Z\t2020-07-25 07:03:28Z\t1\t/m);
  });

  test('zonescope flows --json -(poisoned store) exits 0 with a document whose times are dates', () => {
    const r = zonescope(['flows', '--db', db, '--json', '-']);
    expect(r.status).toBe(0);
    expectNamesTheDamage(r.stderr);
    const doc = JSON.parse(r.stdout) as { flows: Array<{ first_seen: string; last_seen: string }> };
    expect(doc.flows).toHaveLength(2);
    for (const f of doc.flows) expect(f.last_seen).toMatch(/^2020-07-2\dT/);
  });

  test('zonescope flows --since(poisoned store) windows the flows without the bad hour', () => {
    const r = zonescope(['flows', '--db', db, '--since', '2020-07-25', '--json', '-']);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { flows: unknown[] }).flows).toHaveLength(2);
  });

  test('zonescope assets and report(poisoned store) exit 0 and name the damage', () => {
    const a = zonescope(['assets', '--db', db]);
    expect(a.status).toBe(0);
    expectNamesTheDamage(a.stderr);
    const r = zonescope(['report', '--db', db, '--out', join(dir, 'report')]);
    expect(r.status).toBe(0);
    expectNamesTheDamage(r.stderr);
  });

  test('zonescope analyze(the same capture, poisoned store) skips the capture, writes every output and names the damage', () => {
    const r = zonescope(['analyze', MODBUS, '--db', db, '--out', join(dir, 'out')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/skipped: 1 file/);
    expectNamesTheDamage(r.stderr);
  });
});

describe('a capture with a time beyond a Date', () => {
  test('zonescope ingest(pcapng whose interface has an if_tsoffset beyond a Date) exits 2 naming frame and offset, stores no such time; flows --json reads the store', () => {
    const T_US = 1700000000000000n;
    const head = Buffer.concat([shb(true), idb(true, 1), idb(true, 1, { tsoffset: 1n << 62n })]);
    const good = epb(true, 0, T_US, frame(1));
    const file = join(dir, 'tsoffset.pcapng');
    writeFileSync(file, Buffer.concat([head, good, epb(true, 1, T_US, frame(2)), epb(true, 0, T_US + 1n, frame(3))]));
    const store = join(dir, 'tsoffset.db');
    const r = zonescope(['ingest', file, '--db', store]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`tsoffset.pcapng: frame 2 @0x${(head.length + good.length).toString(16)} PCAPNG_BAD_TIMESTAMP`);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(hasNoStack(r.stderr)).toBe(true);
    const flows = zonescope(['flows', '--db', store, '--json', '-']);
    expect(flows.status).toBe(0);
    expect(flows.stderr).toBe('');
    expect(JSON.parse(flows.stdout)).toMatchObject({ flows: [expect.objectContaining({ first_seen: '2023-11-14T22:13:20Z', last_seen: '2023-11-14T22:13:20.000001Z', packets: 2 })] });
  });
});
