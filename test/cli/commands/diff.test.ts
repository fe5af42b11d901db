/** `zonescope diff` exit codes and options beyond the demo acceptance (test/design/diffDesign.demo.test.ts). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_DESIGN, DEMO_INVENTORY, demoStore } from '../../design/demoStore.js';
import { runMain } from '../../util/runMain.js';

const run = runMain;

let store: Awaited<ReturnType<typeof demoStore>>;
let tmp: string;
beforeAll(async () => {
  store = await demoStore();
  tmp = mkdtempSync(join(tmpdir(), 'zs-diffcli-'));
});
afterAll(() => {
  store.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('zonescope diff', () => {
  test('zonescope diff (one zone holding everything) exits 0: nothing breaks', async () => {
    const d = join(tmp, 'flat.yaml');
    writeFileSync(d, 'zones:\n  - zone_id: ALL\n    assets: ["0.0.0.0/0"]\n');
    const r = await run(['diff', d, '--db', store.db]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/77 observed flows: 0 breaking, 0 allowed by a conduit, 77 inside one zone/);
  });

  test('zonescope diff --json FILE writes the document and still prints the table', async () => {
    const j = join(tmp, 'diff.json');
    const r = await run(['diff', DEMO_DESIGN, '--db', store.db, '--inventory', DEMO_INVENTORY, '--json', j]);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(j, 'utf8')).schema).toBe('zonescope/diff@1');
    expect(r.out).toMatch(/^zonescope diff: /);
  });

  test('zonescope diff --html FILE writes the diff as a self-contained page listing every breaking flow', async () => {
    const h = join(tmp, 'diff.html');
    const j = join(tmp, 'diff-for-html.json');
    const r = await run(['diff', DEMO_DESIGN, '--db', store.db, '--inventory', DEMO_INVENTORY, '--html', h, '--json', j]);
    expect(r.code).toBe(1);
    const html = readFileSync(h, 'utf8');
    const doc = JSON.parse(readFileSync(j, 'utf8')) as { breaking: Array<{ src: string; dst: string }> };
    expect(doc.breaking.length).toBeGreaterThan(0);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    for (const b of doc.breaking) expect(html).toContain(b.src);
  });

  test('zonescope diff (an inventory with a bad row) reports it with its line, evaluates with the good rows, exits 2', async () => {
    const inv = join(tmp, 'bad.csv');
    writeFileSync(inv, `${readFileSync(DEMO_INVENTORY, 'utf8')}Broken,BAD-01,10.0.0.300,,1,plc\n`);
    const r = await run(['diff', DEMO_DESIGN, '--db', store.db, '--inventory', inv]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.csv:35:\d+ .*INVENTORY_/);
    expect(r.out).toMatch(/12 breaking/);
  });

  test('zonescope diff (without an inventory) warns for every name it cannot resolve, naming it', async () => {
    const r = await run(['diff', DEMO_DESIGN, '--db', store.db]);
    expect(r.err).toMatch(/refinery-unit3\.yaml:16:9 zones\[0\]\.assets\[0\] warning: DESIGN_UNRESOLVED_ASSET: 'Triconex 3008 Safety Controller \(SIS-01\)' in zone Z1-SIS resolves to no asset/);
    expect(r.err).toMatch(/--inventory CSV resolves names and ids/);
    expect(r.code).toBe(1);
  });

  test('zonescope diff (usage problems) exits 2 with a message: captures and --db together, --until before --since', async () => {
    const both = await run(['diff', DEMO_DESIGN, 'caps/', '--db', store.db]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/either captures or --db, not both/);
    const order = await run(['diff', DEMO_DESIGN, '--db', store.db, '--since', '2026-02-10', '--until', '2026-02-01']);
    expect(order.code).toBe(2);
    expect(order.err).toMatch(/--until 2026-02-01 is before --since 2026-02-10/);
    const none = await run(['diff', DEMO_DESIGN, '--db', join(tmp, 'missing.db')]);
    expect(none.code).toBe(2);
    expect(none.err).not.toMatch(/internal error/);
  });
});
