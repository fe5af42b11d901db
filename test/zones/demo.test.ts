/**
 * The demo plant (fixtures/refinery-unit3) against the zoning of fixtures/examples/refinery-unit3.yaml
 * (ground-truth.json holds each asset's zone): ARI, SIS alone, every cross-zone flow carried by a
 * conduit rule; and byte-identical zones.json across runs and ingest worker counts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../src/assets/inventory.js';
import { Baseline } from '../../src/baseline/baseline.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { BaselineReader } from '../../src/baseline/reader.js';
import type { FlowRecord } from '../../src/baseline/reader.js';
import { buildAssets } from '../../src/assets/buildAssets.js';
import { writeProposal } from '../../src/cli/commands/propose.js';
import { proposeZones } from '../../src/zones/proposeZones.js';
import type { Proposal } from '../../src/zones/types.js';
import { zonesYaml } from '../../src/report/zonesYaml.js';
import { dissectorMainSpace } from '../../src/zones/proposeZones.js';
import { adjustedRandIndex } from './helpers/adjustedRandIndex.js';
import { loadDesignText } from '../../src/design/loadDesign.js';
import { diffDesign } from '../../src/design/diffDesign.js';

const DEMO = 'fixtures/refinery-unit3';
const INVENTORY = 'fixtures/examples/refinery-unit3.assets.csv';
const truth = JSON.parse(readFileSync(join(DEMO, 'ground-truth.json'), 'utf8')) as { assets: Array<{ id: string; ip: string; zone: string | null }> };

let dir: string;
const stores: Record<number, string> = {};

async function ingest(workers: number): Promise<string> {
  const db = join(dir, `w${workers}.db`);
  const b = Baseline.open(db);
  try {
    await ingestCaptures(b, [DEMO], { workers });
  } finally {
    b.close();
  }
  return db;
}

/** The real assets stage, with the demo's inventory or (withInventory false) from the traffic alone. */
function propose(db: string, withInventory = true): { proposal: Proposal; flows: FlowRecord[]; reader: BaselineReader } {
  const reader = BaselineReader.open(db);
  const flows = reader.flows();
  const assets = buildAssets(reader, withInventory ? { inventory: loadInventory(INVENTORY) } : {}).assets;
  return { proposal: proposeZones(assets, flows), flows, reader };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zones-demo-'));
  stores[1] = await ingest(1);
  stores[2] = await ingest(2);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('proposeZones on the demo plant', () => {
  test.each([true, false])('proposeZones(refinery Unit 3, inventory: %s) agrees with the example design: adjusted Rand index >= 0.9', (withInventory) => {
    const { proposal, reader } = propose(stores[1]!, withInventory);
    reader.close();
    const zoned = truth.assets.filter((a) => a.zone !== null);
    const zoneOf = new Map(proposal.placements.map((p) => [p.asset.ip, p.zone]));
    expect(zoned.every((a) => zoneOf.has(a.ip))).toBe(true);
    const ari = adjustedRandIndex(zoned.map((a) => a.zone!), zoned.map((a) => zoneOf.get(a.ip)!));
    expect(ari).toBeGreaterThanOrEqual(0.9);
  });

  test('proposeZones(refinery Unit 3) puts the SIS assets in a zone of their own, with SL 3', () => {
    const { proposal, reader } = propose(stores[1]!);
    reader.close();
    const sis = truth.assets.filter((a) => a.zone === 'Z1-SIS').map((a) => a.ip).sort();
    const zone = proposal.zones.find((z) => z.assets.includes(sis[0]!))!;
    expect(zone.assets).toEqual(sis);
    expect(zone.kind).toBe('safety');
    expect(zone.securityLevelTarget).toBe('SL 3');
    expect(zone.conduits).toEqual([]);
  });

  test('proposeZones(refinery Unit 3) carries every cross-zone flow by a conduit rule naming its host pair', () => {
    const { proposal, flows, reader } = propose(stores[1]!);
    reader.close();
    const zoneOf = new Map(proposal.placements.map((p) => [p.asset.ip, p.zone]));
    const cross = flows.filter((f) => zoneOf.get(f.src) !== zoneOf.get(f.dst));
    expect(cross.length).toBeGreaterThan(20);
    const rules = proposal.conduits.flatMap((c) => c.rules);
    for (const f of cross) {
      const r = rules.find((x) => x.initiatorZone === zoneOf.get(f.src) && x.responderZone === zoneOf.get(f.dst) && x.protocol === f.protocol && x.port === f.port && x.transport === f.transport && x.hostPairs.some((h) => h.src === f.src && h.dst === f.dst));
      expect(r?.hostPairs).toContainEqual(expect.objectContaining({ src: f.src, dst: f.dst }));
      expect(r!.operations).toEqual([...new Set(f.functions.filter((fn) => fn.requests > 0 && fn.opClass !== 'carrier').map((fn) => fn.opClass))].sort());
    }
    expect(rules.reduce((s, r) => s + r.hostPairs.length, 0)).toBe(cross.length);
    // The injected write (MES-01 -> PLC-03, FC 16 and 6) is a risky rule into the BPCS.
    const write = rules.find((r) => r.protocol === 'modbus' && r.hostPairs.some((h) => h.src === '10.30.1.30'))!;
    expect(write.functionCodes).toEqual(expect.arrayContaining([6, 16]));
    expect(write.risky.map((f) => f.flag)).toContain('write-into-control');
  });

  test('zonesYaml(refinery Unit 3 proposal) round trip: its own baseline breaks nothing', () => {
    const { proposal, flows, reader } = propose(stores[1]!);
    reader.close();
    const yaml = zonesYaml(proposal, { hasFunctionCodes: (p) => dissectorMainSpace(p) !== undefined });
    // The real design stage: zones.yaml loads with no error or warning, and diff of the proposal
    // against its own baseline breaks nothing and uses every rule.
    const loaded = loadDesignText(yaml, 'zones.yaml');
    expect(loaded.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
    const result = diffDesign(loaded.design!, flows);
    expect(result.flows.filter((v) => v.verdict === 'breaking').map((v) => `${v.src} ${v.dst} ${v.protocol} ${v.reason}`)).toEqual([]);
    expect(result.summary.unusedRules).toBe(0);
  });

  test('writeProposal(same baseline, ingested with 1 and 2 workers, proposed twice) writes byte-identical zones.json and zones.yaml', () => {
    const out = (db: string, name: string): [Buffer, Buffer] => {
      const { proposal, reader } = propose(db);
      const overview = reader.overview();
      reader.close();
      const [json, yaml] = writeProposal(proposal, join(dir, name), overview);
      return [readFileSync(json!), readFileSync(yaml!)];
    };
    const a = out(stores[1]!, 'a');
    const b = out(stores[1]!, 'b');
    const c = out(stores[2]!, 'c');
    expect(a[0].length).toBeGreaterThan(1000);
    expect(b[0].equals(a[0])).toBe(true);
    expect(c[0].equals(a[0])).toBe(true);
    expect(b[1].equals(a[1])).toBe(true);
    expect(c[1].equals(a[1])).toBe(true);
  });
});
