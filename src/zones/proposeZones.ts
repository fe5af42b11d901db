/**
 * proposeZones(assets, flows, options): the zones an IEC 62443 engineer would draw from the observed
 * traffic, and the minimum conduits between them, as data. Louvain (seeded) on the communication
 * graph, under the engineers' constraints, each adjustment recorded with its reason; rerun under
 * several seeds to flag the assets whose zone is uncertain.
 */
import type { Asset } from '../assets/types.js';
import type { FlowRecord } from '../baseline/reader.js';
import { createRegistry } from '../dissectors/registry.js';
import { defaultDissectors } from '../dissectors/index.js';
import { buildCommunicationGraph, DEFAULT_WEIGHTING } from '../graph/buildGraph.js';
import type { CommunicationGraph } from '../graph/buildGraph.js';
import { anchorAssets, findPollers } from './anchors.js';
import { minimumConduits } from './conduits.js';
import { describeZones } from './describeZones.js';
import { levelsOf, spanOk } from './levels.js';
import { partitionAssets } from './partitionAssets.js';
import type { Partition } from './partition.js';
import type { Adjustment, Proposal, ProposeOptions, Zone } from './types.js';

export const DEFAULT_SEED = 62443;

let registryMainSpace: ((p: string) => string | undefined) | null = null;

/** The main code space of each dissected protocol (Modbus 'function', ENIP 'cip', OPC UA 'service', ...). */
export function dissectorMainSpace(protocol: string): string | undefined {
  if (registryMainSpace === null) {
    const reg = createRegistry(defaultDissectors);
    registryMainSpace = (p) => reg.byId(p)?.spaces[0];
  }
  return registryMainSpace(protocol);
}

export const DEFAULT_PROPOSE_OPTIONS: Readonly<ProposeOptions> = Object.freeze({
  resolution: 1,
  seed: DEFAULT_SEED,
  maxZoneSize: 0,
  stabilityRuns: 4,
  weighting: {},
  serviceReach: 0.75,
  serviceMinClients: 5,
  pollShare: 0.1,
  mainSpace: dissectorMainSpace,
});

export function proposeZones(assets: readonly Asset[], flows: readonly FlowRecord[], options: Partial<ProposeOptions> = {}): Proposal {
  const o: ProposeOptions = { ...DEFAULT_PROPOSE_OPTIONS, ...options };
  const notes: Proposal['notes'] = [];
  if (flows.length === 0) notes.push({ code: 'ZONES_NO_FLOWS', message: 'the baseline holds no flows: every asset is placed by rule or by subnet only' });
  if (assets.length === 0 && flows.length === 0) notes.push({ code: 'ZONES_EMPTY', message: 'no assets and no flows: nothing to zone' });
  const cg = buildCommunicationGraph(assets, flows, o.weighting);
  if (cg.unlisted.length > 0) {
    notes.push({ code: 'ZONES_UNLISTED_HOSTS', message: `${cg.unlisted.length} flow endpoint(s) not in the asset list were zoned with no level: ${cg.unlisted.slice(0, 5).join(', ')}${cg.unlisted.length > 5 ? ' ...' : ''}` });
  }
  if (cg.assets.length === 1) notes.push({ code: 'ZONES_ONE_HOST', message: 'one host: one zone, no conduits' });
  contradictions(cg, notes);
  const anchors = anchorAssets(cg, flows, o);
  const core = cg.assets.filter((a) => !anchors.has(a.id)).map((a) => a.id);
  const pollers = findPollers(cg, core, flows, o.pollShare);
  const steadyHours = Math.max(1, o.pollShare * baselineHours(flows));
  const run = (seed: number) => partitionAssets(cg, anchors, pollers, { resolution: o.resolution, seed, maxZoneSize: o.maxZoneSize, steadyHours });
  const main = run(o.seed);
  const live = main.partition.live();
  const drafts = describeZones(cg, main.partition.groups, live, flows);
  const idOfGroup = new Map(drafts.map((d) => [d.group, d.id]));
  const zoneOfAsset = new Map<string, string>();
  for (const d of drafts) for (const a of d.assets) zoneOfAsset.set(a, d.id);
  const zoneOfIp = new Map<string, string>();
  for (const a of cg.assets) if (a.ip !== null && !zoneOfIp.has(a.ip)) zoneOfIp.set(a.ip, zoneOfAsset.get(a.id)!);
  const zonesNoConduits: Zone[] = drafts.map(({ group: _g, ...d }) => ({ ...d, conduits: [] }));
  const conduits = minimumConduits(flows, (ip) => zoneOfIp.get(ip), zonesNoConduits, o.mainSpace);
  const byZone = new Map<string, string[]>();
  for (const c of conduits) {
    for (const z of c.connects) {
      const list = byZone.get(z);
      if (list) list.push(c.id);
      else byZone.set(z, [c.id]);
    }
  }
  const zones = zonesNoConduits.map((z) => ({ ...z, conduits: byZone.get(z.id) ?? [] }));
  // Stability: the same proposal under other seeds; an asset whose zone changes is uncertain.
  const moved = new Map<string, number>();
  for (let k = 1; k <= o.stabilityRuns; k++) {
    const alt = run(o.seed + k).partition;
    for (const [id, n] of movedAssets(main.partition, alt)) moved.set(id, (moved.get(id) ?? 0) + n);
  }
  const adjustments: Adjustment[] = main.adjustments.map((a) => ({
    kind: a.kind, assets: a.assets, zone: a.group === null ? null : idOfGroup.get(main.partition.groupOf.get(a.assets[0]!) ?? a.group) ?? null, reason: a.reason,
  }));
  for (const a of cg.unlisted) adjustments.push({ kind: 'unlisted-host', assets: [a], zone: zoneOfAsset.get(a) ?? null, reason: 'seen in flows but not in the asset list: zoned by its traffic, with no level' });
  const placements = cg.assets.map((a) => ({ asset: a, zone: zoneOfAsset.get(a.id)!, moved: moved.get(a.id) ?? 0, runs: o.stabilityRuns }));
  let crossBytes = 0;
  let allBytes = 0;
  let crossFlows = 0;
  for (const f of flows) {
    const b = f.bytesToInitiator + f.bytesToResponder;
    allBytes += b;
    if (zoneOfIp.get(f.src) !== zoneOfIp.get(f.dst)) {
      crossBytes += b;
      crossFlows++;
    }
  }
  return {
    options: { resolution: o.resolution, seed: o.seed, maxZoneSize: o.maxZoneSize, stabilityRuns: o.stabilityRuns, weighting: { ...DEFAULT_WEIGHTING, ...o.weighting } },
    placements,
    zones,
    conduits,
    adjustments,
    quality: {
      modularity: round(modularity(cg, main.partition, o.resolution)),
      crossZoneBytesShare: round(allBytes > 0 ? crossBytes / allBytes : 0),
      crossZoneFlowsShare: round(flows.length > 0 ? crossFlows / flows.length : 0),
      zones: zones.length,
      conduits: conduits.length,
      rules: conduits.reduce((s, c) => s + c.rules.length, 0),
      uncertainAssets: placements.filter((p) => p.moved > 0).length,
    },
    notes,
  };
}

/** Hours from the first to the last active hour of any flow. */
export function baselineHours(flows: readonly FlowRecord[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const f of flows) {
    for (const h of f.hours) {
      if (h.hour < lo) lo = h.hour;
      if (h.hour > hi) hi = h.hour;
    }
  }
  return Number.isFinite(lo) ? hi - lo + 1 : 0;
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

/** Per asset of `main`: 1 when its group in `alt` best matches another group of `main`. */
function movedAssets(main: Partition, alt: Partition): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of alt.live()) {
    const overlap = new Map<number, number>();
    for (const m of alt.groups[g]!.members) {
      const mg = main.groupOf.get(m)!;
      overlap.set(mg, (overlap.get(mg) ?? 0) + 1);
    }
    let best = -1;
    let bestN = 0;
    for (const [mg, n] of [...overlap].sort((a, b) => a[0] - b[0])) {
      if (n > bestN) {
        best = mg;
        bestN = n;
      }
    }
    for (const m of alt.groups[g]!.members) if (main.groupOf.get(m) !== best) out.set(m, 1);
  }
  return out;
}

/** Newman-Girvan modularity with resolution: sum over zones of I_c/m - gamma (D_c/2m)^2. */
function modularity(cg: CommunicationGraph, part: Partition, resolution: number): number {
  const m = cg.totalWeight;
  if (m <= 0) return 0;
  const inside = new Map<number, number>();
  const degree = new Map<number, number>();
  for (const p of cg.pairs.values()) {
    const ga = part.groupOf.get(p.a)!;
    const gb = part.groupOf.get(p.b)!;
    degree.set(ga, (degree.get(ga) ?? 0) + p.weight);
    degree.set(gb, (degree.get(gb) ?? 0) + p.weight);
    if (ga === gb) inside.set(ga, (inside.get(ga) ?? 0) + p.weight);
  }
  let q = 0;
  for (const [g, d] of degree) q += (inside.get(g) ?? 0) / m - resolution * (d / (2 * m)) ** 2;
  return q;
}

/** Inventory levels that the traffic contradicts: a stated note, the inventory's level is kept. */
function contradictions(cg: CommunicationGraph, notes: Proposal['notes']): void {
  for (const a of cg.assets) {
    if (!a.evidence.some((e) => e.about === 'level' && e.source === 'inventory')) continue;
    let lower = 0;
    let peers = 0;
    cg.graph.forEachNeighbor(a.id, (n) => {
      const b = cg.byId.get(n)!;
      peers++;
      if (b.purdueLevel !== null && a.purdueLevel !== null && !spanOk(levelsOf([a, b])) && b.purdueLevel !== 3.5 && a.purdueLevel !== 3.5) lower++;
    });
    if (peers >= 3 && lower === peers) {
      notes.push({
        code: 'ZONES_LEVEL_CONTRADICTED',
        message: `${a.name ?? a.id}: the inventory says level ${a.purdueLevel}, but all ${peers} of its peers are more than one level away; the inventory's level is kept (correct the inventory if it is wrong)`,
      });
    }
  }
}
