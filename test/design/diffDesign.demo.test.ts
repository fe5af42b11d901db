/**
 * Issue 10 acceptance on the demo plant: the refinery example design and inventory load with no error,
 * and the diff reports exactly the flows of ground-truth.json's expected_breaking, each with its reason
 * and zones; every other flow is allowed or same-zone as the ground truth says. Also through the CLI:
 * exit codes, diff@1 JSON, the implementation report, --since, and captures given directly.
 */
import { loadInventory } from '../../src/assets/inventory.js';
import { BaselineReader } from '../../src/baseline/reader.js';
import { diffDesign } from '../../src/design/diffDesign.js';
import { loadDesign } from '../../src/design/loadDesign.js';
import { DEMO_DESIGN, DEMO_DIR, DEMO_INVENTORY, demoStore, groundTruth, type GtFlow } from './demoStore.js';
import { runMain } from '../util/runMain.js';

const key = (f: { src: string; dst: string; transport: string; port: number; protocol: string }): string =>
  `${f.src} -> ${f.dst} ${f.transport}/${f.port} ${f.protocol}`;

const run = runMain;

let store: Awaited<ReturnType<typeof demoStore>>;
beforeAll(async () => {
  store = await demoStore();
});
afterAll(() => store.cleanup());

const gt = groundTruth();

describe('diffDesign on the demo plant', () => {
  test('loadDesign(refinery-unit3.yaml, its inventory) has no error and no unresolved asset', () => {
    const inv = loadInventory(DEMO_INVENTORY);
    expect(inv.diagnostics).toEqual([]);
    const { design, diagnostics } = loadDesign(DEMO_DESIGN, { inventory: inv });
    expect(diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
    expect(design!.zones.map((z) => [z.id, z.assets.reduce((n, a) => n + a.targets.length, 0)])).toEqual([
      ['Z1-SIS', 3], ['Z2-BPCS', 19], ['Z3-OPS', 4], ['Z4-DMZ', 4], ['Z5-ENT', 1],
    ]);
    // the restrictions that are not understood are kept as notes, each pointing at its direction
    expect(diagnostics.filter((d) => d.code === 'DESIGN_RESTRICTION_NOT_CHECKED').map((d) => d.message.split("'")[1])).toEqual([
      'unidirectional via data diode', 'patch downloads only', 'historian read', 'remote access portal', 'jump server with MFA',
    ]);
  });

  test('diffDesign(refinery design, demo baseline) breaks exactly the expected_breaking flows, each with its reason and zones', () => {
    const inv = loadInventory(DEMO_INVENTORY);
    const { design } = loadDesign(DEMO_DESIGN, { inventory: inv });
    const reader = BaselineReader.open(store.db);
    try {
      const result = diffDesign(design!, reader.flows(), undefined, { hostMacs: reader.hostMacs(), inventory: inv });
      const got = result.flows.filter((v) => v.verdict === 'breaking').map((v) => ({ k: key(v), reason: v.reason, src_zone: v.srcZone, dst_zone: v.dstZone })).sort((a, b) => (a.k < b.k ? -1 : 1));
      const want = gt.expected_breaking.map((f) => ({ k: key(f), reason: f.reason, src_zone: f.src_zone, dst_zone: f.dst_zone })).sort((a, b) => (a.k < b.k ? -1 : 1));
      expect(got).toEqual(want);
      // every other flow: allowed or same-zone as the ground truth says
      const byKey = new Map(gt.flows.map((f: GtFlow) => [key(f), f]));
      expect(result.flows).toHaveLength(gt.flows.length);
      for (const v of result.flows) expect([key(v), v.verdict]).toEqual([key(v), byKey.get(key(v))!.expected]);
      const write = result.flows.find((v) => v.reason === 'operation-not-allowed')!;
      expect(write.functions.map((f) => f.code)).toEqual([6, 16]);
      expect(write.operations).toEqual(['write']);
      expect(result.unzonedAssets.map((u) => [u.ip, u.flows])).toEqual([['10.20.3.77', 3], ['10.30.1.100', 0], ['10.30.1.60', 0]]);
      expect(result.summary).toMatchObject({ observedFlows: 77, breaking: 12, allowed: 25, sameZone: 40 });
    } finally {
      reader.close();
    }
  });
});

describe('zonescope diff on the demo plant', () => {
  test('zonescope diff --json - exits 1 and writes diff@1 with the 12 breaking flows by reason', async () => {
    const r = await run(['diff', DEMO_DESIGN, '--db', store.db, '--inventory', DEMO_INVENTORY, '--json', '-']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { schema: string; summary: Record<string, unknown>; breaking: Array<{ reason: string; days_seen: number; first_seen: string }> };
    expect(doc.schema).toBe('zonescope/diff@1');
    expect(doc.summary).toMatchObject({ observed_flows: 77, breaking: 12, allowed: 25, unzoned_assets: 3 });
    expect(doc.breaking.map((b) => b.reason)).toEqual([
      'unzoned-asset', 'unzoned-asset', 'unzoned-asset', 'no-conduit', 'protocol-not-allowed', 'protocol-not-allowed', 'protocol-not-allowed',
      'protocol-not-allowed', 'protocol-not-allowed', 'protocol-not-allowed', 'wrong-direction', 'operation-not-allowed',
    ]);
    expect(doc.breaking[0]!.first_seen).toMatch(/^2026-02-10T/);
    // the same bytes twice
    const again = await run(['diff', DEMO_DESIGN, '--db', store.db, '--inventory', DEMO_INVENTORY, '--json', '-']);
    expect(again.out).toBe(r.out);
  });

  test('zonescope diff prints a table grouped by reason; --format implementation-report the integrator report', async () => {
    const t = await run(['diff', DEMO_DESIGN, '--db', store.db, '--inventory', DEMO_INVENTORY]);
    expect(t.code).toBe(1);
    expect(t.out).toMatch(/77 observed flows: 12 breaking, 25 allowed by a conduit, 40 inside one zone/);
    expect(t.out).toMatch(/\nunzoned-asset \(3\)\n[\s\S]*\nno-conduit \(1\)\n[\s\S]*\nprotocol-not-allowed \(6\)\n[\s\S]*\nwrong-direction \(1\)\n[\s\S]*\noperation-not-allowed \(1\)\n/);
    const rep = await run(['diff', DEMO_DESIGN, '--db', store.db, '--inventory', DEMO_INVENTORY, '--format', 'implementation-report']);
    expect(rep.code).toBe(1);
    expect(rep.out).toMatch(/^IEC 62443 Zone Implementation Report\n=+\nFacility: Petrochemical Refinery - Unit 3\nImplementation Date: 2026-02-23\n/);
    expect(rep.out).toContain('Zone Z2-BPCS: Basic Process Control System (SL-T: 2)\nAssets: 19\nConduits: C1-BPCS-OPS\n');
    expect(rep.out).toContain('Conduit C1-BPCS-OPS: Z2-BPCS <-> Z3-OPS (SL: 2)\n');
    expect(rep.out).toMatch(/Firewall Rules: 2 allow \/ 1 deny/);
    expect(rep.out).toContain('Cross-zone tests: 25 pass / 9 fail (34 observed cross-zone flows)');
    expect(rep.out).toContain('Prohibited path tests: 1 exception\n  - 10.50.10.44 (Z5-ENT) -> 10.20.2.12 (Z2-BPCS) rdp tcp/3389');
    expect(rep.out).toMatch(/C1-BPCS-OPS Modbus\/TCP 502 Z3 -> Z2 \(read only, FC 3\/4 only\): 7 flows checked, 1 outside it/);
  });

  test('zonescope diff --since 7d evaluates only the last week: the week-3 laptop and the RDP to the HMI drop out', async () => {
    const r = await run(['diff', DEMO_DESIGN, '--db', store.db, '--inventory', DEMO_INVENTORY, '--since', '7d', '--json', '-']);
    const doc = JSON.parse(r.out) as { window: { since: string }; breaking: Array<{ src: string; dst: string; transport: string; port: number; protocol: string }> };
    const since = Date.parse(doc.window.since) / 1000;
    const lastSeen = new Map(gt.flows.map((f) => [key(f), Date.parse((f as unknown as { last_seen: string }).last_seen) / 1000]));
    const want = gt.expected_breaking.filter((f) => lastSeen.get(key(f))! >= since).map(key).sort();
    expect(doc.breaking.map(key).sort()).toEqual(want);
    expect(want.length).toBeLessThan(gt.expected_breaking.length);
    expect(want).not.toContain('10.50.10.44 -> 10.20.2.12 tcp/3389 rdp');
    const bad = await run(['diff', DEMO_DESIGN, '--db', store.db, '--since', 'last tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--since 'last tuesday' is neither an ISO 8601/);
  });

  test('zonescope diff design.yaml captures/ ingests into a temporary store and gives the same verdicts', async () => {
    const r = await run(['diff', DEMO_DESIGN, DEMO_DIR, '--inventory', DEMO_INVENTORY, '--json', '-', '--quiet']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { summary: { breaking: number; observed_flows: number } };
    expect(doc.summary).toMatchObject({ breaking: 12, observed_flows: 77 });
  });
});
