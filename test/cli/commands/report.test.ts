import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { capturePath } from '../../util/captures.js';
import { runMain } from '../../util/runMain.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-cli-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = runMain;

describe('zonescope report', () => {
  const db = join(tmp, 'm.db');
  beforeAll(async () => {
    expect((await run(['ingest', capturePath('modbus/zeek_modbusSmall.pcap'), '--db', db, '-q'])).code).toBe(0);
  });

  test('main(report --db --out) writes <out>/report.html and exits 0', async () => {
    const out = join(tmp, 'out1');
    const r = await run(['report', '--db', db, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/wrote .*report\.html/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/Content-Security-Policy/);
    expect(html).toContain('"title":"m.db"');
  });

  test('main(report) takes the stage documents found in --out and names them', async () => {
    const out = join(tmp, 'out2');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'zones.json'), JSON.stringify({ schema: 'zonescope/zones@1', zones: [{ id: 'ZX-TEST', assets: [] }], conduits: [] }));
    const r = await run(['report', '--db', db, '--out', out, '--title', 'T']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`using ${join(out, 'zones.json')}`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('ZX-TEST');
  });

  test('main(report --design --inventory) on the demo computes the diff section: every breaking flow of diff --json is in the page', async () => {
    const demo = join(tmp, 'demo.db');
    expect((await run(['ingest', 'fixtures/refinery-unit3', '--db', demo, '-q'])).code).toBe(0);
    const design = 'fixtures/examples/refinery-unit3.yaml';
    const inventory = 'fixtures/examples/refinery-unit3.assets.csv';
    const json = join(tmp, 'demo-diff.json');
    expect((await run(['diff', design, '--db', demo, '--inventory', inventory, '--json', json, '-q'])).code).toBe(1);
    const out = join(tmp, 'out-design');
    const r = await run(['report', '--db', demo, '--out', out, '--design', design, '--inventory', inventory]);
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const data = JSON.parse(html.slice(html.indexOf('<script type="application/json" id="zs-data">') + 45, html.indexOf('</script>', html.indexOf('id="zs-data"')))) as Record<string, unknown>;
    const breaking = (JSON.parse(readFileSync(json, 'utf8')) as { breaking: unknown[] }).breaking;
    expect(breaking.length).toBe(12);
    expect(JSON.stringify(data)).toContain('operation-not-allowed');
    expect((data.summary as { breaking: number }).breaking).toBe(breaking.length);
  });

  test('main(report --zones BAD) exits 2 with the part and path, and writes nothing', async () => {
    const out = join(tmp, 'out3');
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schema: 'zonescope/zones@1', zones: [{ id: 7, assets: [] }], conduits: [] }));
    const r = await run(['report', '--db', db, '--out', out, '--zones', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^zonescope: zones: zones\[0\]\.id: /);
    expect(existsSync(join(out, 'report.html'))).toBe(false);
    writeFileSync(bad, '{not json');
    const r2 = await run(['report', '--db', db, '--out', out, '--zones', bad]);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/not JSON/);
  });

  test('main(report --db MISSING) exits 2 and says what to run', async () => {
    const r = await run(['report', '--db', join(tmp, 'none.db'), '--out', join(tmp, 'out4')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/does not exist; run 'zonescope ingest/);
  });
});
