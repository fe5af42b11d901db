import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { capturePath } from '../../util/captures.js';
import { runMain } from '../../util/runMain.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-assets-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const db = join(tmp, 'z.db');

const run = runMain;

beforeAll(async () => {
  expect((await run(['ingest', capturePath('enip/cisagov_enip_cip_example.pcap'), '--db', db, '-q'])).code).toBe(0);
});

describe('zonescope assets', () => {
  test('main(assets) prints a table with the ENIP product; --json - is assets@1; --csv writes a spreadsheet file', async () => {
    const t = await run(['assets', '--db', db]);
    expect(t.code).toBe(0);
    expect(t.out.split('\n')[0]).toMatch(/^ip\s+mac\s+name\s+vendor \/ product\s+roles\s+level\s+safety\s+first seen\s+last seen$/);
    expect(t.out.split('\n').find((l) => l.startsWith('10.1.1.164 '))).toMatch(/Rockwell Automation/);
    const j = await run(['assets', '--db', db, '--json', '-']);
    const doc = JSON.parse(j.out) as { schema: string; assets: Array<{ ip: string; product: string | null }> };
    expect(doc.schema).toBe('zonescope/assets@1');
    expect(doc.assets.find((a) => a.ip === '10.1.1.164')!.product).toBe('1756-ENBT/A');
    const csv = join(tmp, 'a.csv');
    expect((await run(['assets', '--db', db, '--csv', csv])).code).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\r\n').length).toBe(doc.assets.length + 2);
  });

  test('main(assets --inventory with 12 kinds of bad rows) exits 2, one diagnostic per bad row with its line, the good rows used', async () => {
    const inv = join(tmp, 'inv.csv');
    const rows = [
      'name,id,ip,mac,purdue_level,role,extra',
      'PLC,PLC-1,10.1.1.164,,1,plc,', // 2 good
      'B1,B-1,10.1.1.999,,1,plc,', // 3 bad IP
      'B2,B-2,10.0.0.0/33,,1,plc,', // 4 bad CIDR
      'B3,B-3,10.1.1.3,zz:00:00:00:00:01,1,plc,', // 5 bad MAC
      'B4,B-4,10.1.1.4,,7,plc,', // 6 level outside 0..5
      'B5,PLC-1,10.1.1.5,,1,plc,', // 7 duplicate id
      'B6,B-6,10.1.1.164,,1,plc,', // 8 duplicate IP
      'G1,G-1,10.1.1.0/24,00:1d:9c:00:00:01,2,hmi,', // 9 good
      'B7,B-7,10.1.1.8,00:1d:9c:00:00:01,1,plc,', // 10 duplicate MAC
      ',,10.1.1.9,,1,plc,', // 11 neither name nor id
      'B9,B-9,,,1,plc,', // 12 no address (a warning: it can still be named in a design)
      'B10,B-10,10.1.1.11,,1,plc,,,', // 13 too many fields
      'B11\u0001,B-11,10.1.1.12,,1,plc,', // 14 control character
      'B13,B-13,10.1.1.14,,x,plc,', // 15 level not a number
      'B14,"B-14,10.1.1.15,,1,plc,', // 16 unterminated quote
    ];
    writeFileSync(inv, `${rows.join('\n')}\n`);
    const r = await run(['assets', '--db', db, '--inventory', inv, '--json', '-']);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    const at = (l: string): number => Number(/inv\.csv:(\d+):\d+ /.exec(l)![1]);
    expect(lines.map(at)).toEqual([1, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16]);
    const codes = new Set(lines.map((l) => /(INVENTORY_[A-Z_]+)/.exec(l)![1]));
    expect(codes.size).toBeGreaterThanOrEqual(12);
    const doc = JSON.parse(r.out) as { assets: Array<{ ip: string; inventory_id: string | null; purdue_level: number }>; diagnostics: unknown[]; unseen: Array<{ id: string }> };
    expect(doc.assets.find((a) => a.ip === '10.1.1.164')!.inventory_id).toBe('PLC-1');
    expect(doc.diagnostics).toHaveLength(lines.length);
    expect(doc.unseen.map((e) => e.id)).toEqual(['B-9']);
  });

  test('main(assets --safety bad) is a usage error (exit 2); --safety IP marks it with its reason', async () => {
    expect((await run(['assets', '--db', db, '--safety', 'x.y'])).code).toBe(2);
    const r = await run(['assets', '--db', db, '--safety', '10.1.1.164', '--json', '-']);
    const a = (JSON.parse(r.out) as { assets: Array<{ ip: string; safety: boolean; safety_reason: string }> }).assets.find((x) => x.ip === '10.1.1.164')!;
    expect({ safety: a.safety, reason: a.safety_reason }).toEqual({ safety: true, reason: 'named safety by --safety' });
  });
});
