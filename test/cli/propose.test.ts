import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { main } from '../../src/cli/main.js';
import { capturePath } from '../util/captures.js';
import { runMain } from '../util/runMain.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-propose-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = runMain;

describe('zonescope propose', () => {
  const db = join(tmp, 'modbus.db');
  beforeAll(async () => {
    expect((await run(['ingest', capturePath('modbus/zeek_modbusSmall.pcap'), '--db', db, '-q'])).code).toBe(0);
  });

  test('main(propose --db --out) exits 0, writes zones.json and zones.yaml and prints zones and conduits', async () => {
    const out = join(tmp, 'out');
    const r = await run(['propose', '--db', db, '--out', out, '--seed', '7']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^zonescope: \d+ zones?, \d+ conduits? \(\d+ rules\) for \d+ assets and \d+ flows; modularity/);
    expect(r.out).toMatch(/\n {2}Z01 /);
    expect(r.err).toMatch(/wrote .*zones\.json, .*zones\.yaml/);
    const doc = JSON.parse(readFileSync(join(out, 'zones.json'), 'utf8')) as { schema: string; options: { seed: number } };
    expect(doc.schema).toBe('zonescope/zones@1');
    expect(doc.options.seed).toBe(7);
    expect(readFileSync(join(out, 'zones.yaml'), 'utf8')).toMatch(/^# Zones and minimum conduits/);
  });

  test('main(propose with bad options) exits 2 with a one-line usage message', async () => {
    for (const [args, msg] of [
      [['--resolution', '0'], /--resolution 0: expected a number above 0/],
      [['--max-zone-size', '-3'], /--max-zone-size -3/],
      [['--seed', '1.5'], /--seed 1.5: expected a whole number/],
      [['--safety', '10.0.0.1,not-an-ip'], /--safety: 'not-an-ip' is not an IP address/],
    ] as const) {
      const r = await run(['propose', '--db', db, '--out', join(tmp, 'bad'), ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  test('main(propose --db missing store) exits 2 and says what to run, no stack trace', async () => {
    const r = await run(['propose', '--db', join(tmp, 'nope.db'), '--out', join(tmp, 'x')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/does not exist; run 'zonescope ingest/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('main(propose on an empty baseline) exits 0 with a note and writes an empty proposal', async () => {
    const empty = join(tmp, 'empty.db');
    Baseline.open(empty).close();
    const out = join(tmp, 'empty-out');
    const r = await run(['propose', '--db', empty, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/0 zones, 0 conduits/);
    expect(r.out).toMatch(/note: ZONES_NO_FLOWS/);
    expect(existsSync(join(out, 'zones.yaml'))).toBe(true);
  });

  test('main(propose --inventory with a bad row) prints the row diagnostic, still proposes, exits 2', async () => {
    const csv = join(tmp, 'inv.csv');
    writeFileSync(csv, 'name,id,ip,mac,purdue_level,role\nPLC,PLC-1,10.0.0.300,,1,plc\nHMI,HMI-1,10.1.1.1,,2,hmi\n');
    const out = join(tmp, 'inv-out');
    const r = await run(['propose', '--db', db, '--out', out, '--inventory', csv]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/inv\.csv:2/);
    expect(existsSync(join(out, 'zones.json'))).toBe(true);
  });
});
