/**
 * The zoner on four more plants of different shapes, generated with fixtures/generator (into a temp
 * folder, ingested into a temp store): the expert zoning written into each plant's spec
 * (fixtures/generator/zonePlants) is the ground truth. Assets come from the spec (test helper).
 */
import { ZONED_PLANTS } from '../../fixtures/generator/zonePlants/index.js';
import { proposeZones } from '../../src/zones/proposeZones.js';
import { adjustedRandIndex } from './helpers/adjustedRandIndex.js';
import { ingestPlant } from './helpers/ingestPlant.js';
import { assetsFromSpec } from './helpers/plantAssets.js';

describe('proposeZones on the generated plants', () => {
  for (const [name, make] of Object.entries(ZONED_PLANTS)) {
    test(`proposeZones(${name}) agrees with the expert zoning (ARI >= 0.9), keeps safety assets alone and carries every cross-zone flow`, async () => {
      const plant = make();
      const { flows, cleanup } = await ingestPlant(plant, 7);
      try {
        const assets = assetsFromSpec(plant.assets, flows);
        const p = proposeZones(assets, flows);
        const zoneOf = new Map(p.placements.map((x) => [x.asset.ip, x.zone]));
        const spec = plant.assets.filter((a) => zoneOf.has(a.ip));
        expect(spec.length).toBe(plant.assets.length);
        const ari = adjustedRandIndex(spec.map((a) => a.zone), spec.map((a) => zoneOf.get(a.ip)!));
        expect(ari).toBeGreaterThanOrEqual(0.9);
        for (const s of spec.filter((a) => a.safety)) {
          const z = p.zones.find((x) => x.id === zoneOf.get(s.ip))!;
          expect(z.kind).toBe('safety');
          expect(z.assets.every((ip) => spec.find((a) => a.ip === ip)!.safety)).toBe(true);
        }
        const rules = p.conduits.flatMap((c) => c.rules);
        const cross = flows.filter((f) => zoneOf.get(f.src) !== zoneOf.get(f.dst));
        for (const f of cross) {
          const r = rules.find((x) => x.initiatorZone === zoneOf.get(f.src) && x.responderZone === zoneOf.get(f.dst) && x.protocol === f.protocol && x.port === f.port && x.transport === f.transport && x.hostPairs.some((h) => h.src === f.src && h.dst === f.dst));
          expect(r).toBeDefined();
          expect(r!.operations).toEqual([...new Set(f.functions.filter((fn) => fn.requests > 0 && fn.opClass !== 'carrier').map((fn) => fn.opClass))].sort());
        }
      } finally {
        cleanup();
      }
    }, 120_000);
  }
});
