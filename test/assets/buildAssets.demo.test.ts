/**
 * Done-when of issue 8 on the demo plant (fixtures/refinery-unit3): without the inventory the Purdue
 * level equals the ground truth for at least 90 % of the assets and every SIS asset is safety from its
 * traffic alone; with the inventory every level is right, `unseen` is exactly SIEM-01, DD-TX and
 * DMZ-DD-01, and `uninventoried` exactly 10.20.3.77.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { buildAssets } from '../../src/assets/buildAssets.js';
import { loadInventory } from '../../src/assets/inventory.js';
import type { AssetSet } from '../../src/assets/types.js';
import { assetsDocument } from '../../src/report/assetsDocument.js';
import { canonicalJson } from '../../src/report/json.js';
import { REPO_ROOT } from '../util/captures.js';

const DEMO = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
interface GtAsset {
  id: string;
  ip: string;
  mac: string;
  vendor: string;
  purdue_level: number;
  zone: string | null;
}
const gt = JSON.parse(readFileSync(join(DEMO, 'ground-truth.json'), 'utf8')) as { assets: GtAsset[] };

let bare: AssetSet;
let withInventory: AssetSet;
let again: AssetSet;

beforeAll(async () => {
  const b = Baseline.open(':memory:');
  await ingestCaptures(b, [DEMO], { registry: createRegistry(defaultDissectors) });
  const reader = b.reader();
  bare = buildAssets(reader);
  withInventory = buildAssets(reader, { inventory: loadInventory(join(REPO_ROOT, 'fixtures', 'examples', 'refinery-unit3.assets.csv')) });
  again = buildAssets(reader);
  b.close();
}, 120_000);

function levelsRight(set: AssetSet): { right: number; wrong: string[] } {
  let right = 0;
  const wrong: string[] = [];
  for (const g of gt.assets) {
    const a = set.assets.find((x) => x.ip === g.ip);
    if (a && a.purdueLevel === g.purdue_level) right++;
    else wrong.push(`${g.id} ${g.ip}: ${a?.purdueLevel ?? 'missing'} != ${g.purdue_level}`);
  }
  return { right, wrong };
}

describe('buildAssets(demo plant)', () => {
  test('buildAssets(demo) has one asset per ground-truth host, with its MAC and vendor', () => {
    expect(bare.assets.map((a) => a.ip).sort()).toEqual(gt.assets.map((g) => g.ip).sort());
    for (const g of gt.assets) {
      const a = bare.assets.find((x) => x.ip === g.ip)!;
      expect({ ip: g.ip, mac: a.mac, behindRouter: a.behindRouter }).toEqual({ ip: g.ip, mac: g.mac, behindRouter: false });
      expect(a.evidence.some((e) => e.source === 'oui' && e.text.includes(g.vendor))).toBe(true);
    }
  });

  test('buildAssets(demo, no inventory) levels equal the ground truth for >= 90 % of the assets', () => {
    const { right, wrong } = levelsRight(bare);
    expect(wrong.length).toBeLessThanOrEqual(Math.floor(gt.assets.length * 0.1));
    expect(right / gt.assets.length).toBeGreaterThanOrEqual(0.9);
  });

  test('buildAssets(demo, no inventory) marks every SIS asset safety from its traffic alone, and no other', () => {
    const sis = gt.assets.filter((g) => g.zone === 'Z1-SIS').map((g) => g.ip).sort();
    expect(sis).toHaveLength(3);
    expect(bare.assets.filter((a) => a.safety).map((a) => a.ip).sort()).toEqual(sis);
    for (const ip of sis) {
      const a = bare.assets.find((x) => x.ip === ip)!;
      expect(a.evidence.filter((e) => e.about === 'safety').every((e) => e.source !== 'inventory' && e.source !== 'option')).toBe(true);
      expect(a.safetyReason).toMatch(/TriStation/);
    }
  });

  test('buildAssets(demo, inventory) every level right, unseen SIEM-01 / DD-TX / DMZ-DD-01, uninventoried 10.20.3.77', () => {
    expect(levelsRight(withInventory).wrong).toEqual([]);
    expect(withInventory.unseen.map((e) => e.id).sort()).toEqual(['DD-TX', 'DMZ-DD-01', 'SIEM-01']);
    expect(withInventory.uninventoried).toEqual(['10.20.3.77']);
    expect(withInventory.diagnostics).toEqual([]);
    const plc = withInventory.assets.find((a) => a.ip === '10.20.1.10')!;
    expect(plc.inventoryId).toBe('PLC-01');
    expect(plc.evidence.find((e) => e.about === 'level')!.text).toMatch(/inventory .*:5 \(PLC-01\): purdue_level 1 overrides the traffic \(the traffic agrees: level 1\)/);
    const ent = withInventory.assets.find((a) => a.ip === '10.50.10.44')!;
    expect({ id: ent.inventoryId, in: ent.inInventory, level: ent.purdueLevel }).toEqual({ id: 'ENT', in: true, level: 4 });
  });

  test('buildAssets(demo) every level, role and safety verdict has evidence; names come from DNS answers', () => {
    for (const a of bare.assets) {
      expect(a.evidence.some((e) => e.about === 'level')).toBe(true);
      for (const r of a.roles) expect({ a: a.id, r: r.role, n: a.evidence.filter((e) => e.about === 'role' || e.about === 'router').length > 0 }).toEqual({ a: a.id, r: r.role, n: true });
      if (a.safety) expect(a.evidence.some((e) => e.about === 'safety')).toBe(true);
    }
    const opc = bare.assets.find((a) => a.ip === '10.30.1.40')!;
    expect(opc.name).toBe('opc-01.unit3.refinery.local');
    const named = opc.evidence.find((e) => e.text.includes('opc-01.unit3.refinery.local') && e.source === 'dns')!;
    expect(named).toMatchObject({ about: 'identity', text: 'DNS answer (A) from 10.30.1.30: opc-01.unit3.refinery.local', capture: expect.stringContaining('unit3-span_00001'), frame: expect.any(Number) });
  });

  test('buildAssets(demo) is deterministic: the same store gives the same assets@1 bytes', () => {
    expect(canonicalJson(assetsDocument(again))).toBe(canonicalJson(assetsDocument(bare)));
  });
});
