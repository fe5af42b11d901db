import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { capturePath } from '../../util/captures.js';
import { NullStream } from '../../util/nullStream.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-assets-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const db = join(tmp, 'z.db');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new NullStream();
  const err = new NullStream();
  const code = await main(args, { stdout: out as unknown as NodeJS.WriteStream, stderr: err as unknown as NodeJS.WriteStream });
  return { code, out: out.text, err: err.text };
}

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

  test('main(assets --inventory with bad rows) exits 2, prints one diagnostic per bad row with its line, uses the good rows', async () => {
    const inv = join(tmp, 'inv.csv');
    writeFileSync(inv, 'name,id,ip,mac,purdue_level,role\nPLC,PLC-1,10.1.1.164,,1,plc\nBad,BAD-1,10.1.1.999,,1,plc\nBad2,BAD-2,10.1.1.5,,7,plc\n');
    const r = await run(['assets', '--db', db, '--inventory', inv, '--json', '-']);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/inv\.csv:3:\d+ .*INVENTORY_BAD_IP/);
    expect(lines[1]).toMatch(/inv\.csv:4:\d+ .*INVENTORY_BAD_LEVEL|inv\.csv:4:\d+ .*LEVEL/);
    const doc = JSON.parse(r.out) as { assets: Array<{ ip: string; inventory_id: string | null }>; diagnostics: unknown[] };
    expect(doc.assets.find((a) => a.ip === '10.1.1.164')!.inventory_id).toBe('PLC-1');
    expect(doc.diagnostics).toHaveLength(2);
  });

  test('main(assets --safety bad) is a usage error (exit 2); --safety IP marks it with its reason', async () => {
    expect((await run(['assets', '--db', db, '--safety', 'x.y'])).code).toBe(2);
    const r = await run(['assets', '--db', db, '--safety', '10.1.1.164', '--json', '-']);
    const a = (JSON.parse(r.out) as { assets: Array<{ ip: string; safety: boolean; safety_reason: string }> }).assets.find((x) => x.ip === '10.1.1.164')!;
    expect({ safety: a.safety, reason: a.safety_reason }).toEqual({ safety: true, reason: 'named safety by --safety' });
  });
});
