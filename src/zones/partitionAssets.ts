/**
 * One run of the zoner under one seed: anchors first (safety, scanners, services, DMZ, enterprise),
 * Louvain on the rest without the supervisory pollers, then the constraints, each change recorded:
 * a zone spans at most two adjacent Purdue levels, pollers join the supervisory/operations layer,
 * hosts follow their traffic once the pollers are gone, hosts with no traffic go with their subnet,
 * and zones over --max-zone-size are split along their sub-communities.
 */
import type { CommunicationGraph } from '../graph/buildGraph.js';
import type { Anchor, AnchorKind, Poller } from './anchors.js';
import { louvainGroups } from './louvainGroups.js';
import { formatLevels, isController, levelRank, levelsOf } from './levels.js';
import { Partition } from './partition.js';

export interface RunAdjustment {
  kind: string;
  assets: string[];
  group: number | null;
  reason: string;
}

export interface RunResult {
  partition: Partition;
  adjustments: RunAdjustment[];
}

export interface RunOptions {
  resolution: number;
  seed: number;
  maxZoneSize: number;
  /** a pair is steady when active in at least this many hours (pollShare of the baseline's hours) */
  steadyHours: number;
}

const ANCHOR_ORDER: AnchorKind[] = ['safety', 'security-tools', 'site-services', 'dmz', 'enterprise'];
const ADJUSTMENT_OF: Record<AnchorKind, string> = {
  safety: 'safety-alone', 'security-tools': 'security-tools', 'site-services': 'site-service', dmz: 'dmz', enterprise: 'enterprise',
};

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

export function partitionAssets(cg: CommunicationGraph, anchors: Map<string, Anchor>, pollers: readonly Poller[], opts: RunOptions): RunResult {
  const part = new Partition(cg);
  const adj: RunAdjustment[] = [];
  // 1. Anchors, in asset order. Safety assets split along their own traffic (one SIS per unit).
  for (const kind of ANCHOR_ORDER) {
    const ids = cg.assets.filter((a) => anchors.get(a.id)?.kind === kind).map((a) => a.id);
    if (ids.length === 0) continue;
    const groups = kind === 'safety' ? louvainGroups(cg, ids, opts) : [ids];
    for (const members of groups) {
      const g = part.newGroup(kind, members);
      for (const m of members) adj.push({ kind: ADJUSTMENT_OF[kind], assets: [m], group: g, reason: anchors.get(m)!.reason });
    }
  }
  // 2. Louvain on the core without the pollers: cells linked only through a poller stay apart.
  const pollerIds = new Set(pollers.map((p) => p.id));
  const core = cg.assets.filter((a) => !anchors.has(a.id) && !pollerIds.has(a.id)).map((a) => a.id);
  for (const members of louvainGroups(cg, core, opts)) part.newGroup('core', members);
  // 3. At most two adjacent Purdue levels per zone.
  splitLevelSpans(part, adj);
  // 3b. Cells of one control system: steadily linked and on the same subnets.
  mergeLinkedCells(part, opts.steadyHours, adj);
  // 4. Supervisory pollers go to the operations layer: a group without controllers, by traffic.
  let opsGroup: number | null = null;
  for (const p of pollers) {
    const w = part.weights(p.id);
    let best = -1;
    let bestW = 0;
    for (const [g, x] of [...w].sort((a, b) => a[0] - b[0])) {
      const grp = part.groups[g]!;
      if (grp.kind !== 'core' || grp.controllers > 0 || !part.fits(p.id, g)) continue;
      if (x > bestW) {
        best = g;
        bestW = x;
      }
    }
    if (best < 0) {
      if (opsGroup === null || !part.fits(p.id, opsGroup)) opsGroup = part.newGroup('core');
      best = opsGroup;
    }
    part.add(p.id, best);
    adj.push({
      kind: 'supervisory-poller', assets: [p.id], group: best,
      reason: `polls ${p.polled.length} controllers in ${p.cells} cells that are linked only through it: belongs to the supervisory/operations layer, not to one cell`,
    });
  }
  // 5. With the pollers placed, hosts above level 1 follow most of their traffic (never into a cell for a poller).
  followTraffic(part, pollerIds, adj);
  // 6. Hosts with no traffic inside the core go with their subnet (a stated choice, recorded).
  placeSilent(part, adj);
  // 7. --max-zone-size.
  if (opts.maxZoneSize > 0) splitLarge(part, opts, adj);
  return { partition: part, adjustments: adj };
}

function internalWeight(part: Partition, members: string[]): number {
  const set = new Set(members);
  let w = 0;
  for (const m of members) {
    part.cg.graph.forEachEdge(m, (_e, attr, s, t) => {
      const o = s === m ? t : s;
      if (set.has(o) && m < o) w += attr.weight;
    });
  }
  return w;
}

function splitLevelSpans(part: Partition, adj: RunAdjustment[]): void {
  const detached: Array<{ id: string; from: string }> = [];
  for (const g of part.live()) {
    const grp = part.groups[g]!;
    if (grp.kind !== 'core') continue;
    const members = [...grp.members];
    const levels = levelsOf(members.map((m) => part.cg.byId.get(m)!));
    if (levels.length === 0 || levelRank(levels[levels.length - 1]!) - levelRank(levels[0]!) <= 1) continue;
    // Keep the window of two adjacent levels holding most of the group's internal weight.
    let best: { lo: number; w: number; n: number } | null = null;
    for (let lo = levelRank(levels[0]!); lo < levelRank(levels[levels.length - 1]!); lo++) {
      const inside = members.filter((m) => {
        const l = part.cg.byId.get(m)!.purdueLevel;
        return l === null || (levelRank(l) >= lo && levelRank(l) <= lo + 1);
      });
      const w = internalWeight(part, inside);
      if (best === null || w > best.w || (w === best.w && inside.length > best.n)) best = { lo, w, n: inside.length };
    }
    const from = formatLevels(levels);
    for (const m of members) {
      const l = part.cg.byId.get(m)!.purdueLevel;
      if (l !== null && (levelRank(l) < best!.lo || levelRank(l) > best!.lo + 1)) {
        part.remove(m);
        detached.push({ id: m, from });
      }
    }
  }
  for (const d of detached) {
    const w = part.weights(d.id);
    let best = -1;
    let bestW = 0;
    for (const [g, x] of [...w].sort((a, b) => a[0] - b[0])) {
      if (part.groups[g]!.kind !== 'core' || !part.fits(d.id, g)) continue;
      if (x > bestW) {
        best = g;
        bestW = x;
      }
    }
    if (best < 0) best = part.newGroup('core');
    part.add(d.id, best);
    const level = part.cg.byId.get(d.id)!.purdueLevel;
    adj.push({
      kind: 'level-span', assets: [d.id], group: best,
      reason: `its traffic community spans ${d.from}; a zone spans at most two adjacent Purdue levels, so this L${level} host goes to the compatible zone it talks to most (${fmt(bestW)} of weight)`,
    });
  }
}

/**
 * Two control groups that Louvain split (its resolution limit cuts a large cell along its HMIs) are
 * one zone when a steady pair links them and they share a subnet: one control system. Cells that
 * share a subnet but not steady traffic stay apart, and so do steadily linked cells on different
 * subnets (they get a conduit).
 */
function mergeLinkedCells(part: Partition, steadyHours: number, adj: RunAdjustment[]): void {
  const nets = new Map<number, Set<string>>();
  for (const g of part.live()) {
    const grp = part.groups[g]!;
    if (grp.kind !== 'core' || grp.controllers === 0) continue;
    const set = new Set<string>();
    for (const m of grp.members) {
      const n = subnetOf(part.cg.byId.get(m)!.ip);
      if (n !== null) set.add(n);
    }
    nets.set(g, set);
  }
  const links: Array<{ a: string; b: string; hours: number }> = [];
  for (const p of part.cg.pairs.values()) {
    if (p.hours < steadyHours) continue;
    const ga = part.groupOf.get(p.a);
    const gb = part.groupOf.get(p.b);
    if (ga === undefined || gb === undefined || ga === gb || !nets.has(ga) || !nets.has(gb)) continue;
    links.push({ a: p.a, b: p.b, hours: p.hours });
  }
  links.sort((x, y) => y.hours - x.hours || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
  for (const l of links) {
    const ga = part.groupOf.get(l.a)!;
    const gb = part.groupOf.get(l.b)!;
    if (ga === gb) continue;
    const na = nets.get(ga)!;
    const nb = nets.get(gb)!;
    const shared = [...na].filter((n) => nb.has(n)).sort();
    if (shared.length === 0) continue;
    const [keep, drop] = part.groups[ga]!.members.size >= part.groups[gb]!.members.size ? [ga, gb] : [gb, ga];
    const moving = [...part.groups[drop]!.members];
    if (!moving.every((m) => part.fits(m, keep))) continue;
    for (const m of moving) part.add(m, keep);
    for (const n of nets.get(drop)!) nets.get(keep)!.add(n);
    nets.delete(drop);
    adj.push({
      kind: 'one-control-system', assets: moving, group: keep,
      reason: `linked to the rest of its control system by steady traffic (${l.a} - ${l.b}, active ${l.hours} hours) on the same subnet${shared.length > 1 ? 's' : ''} ${shared.join(', ')}: one zone`,
    });
  }
}

function followTraffic(part: Partition, pollers: Set<string>, adj: RunAdjustment[]): void {
  const movable = part.cg.assets.filter((a) => !isController(a) && part.groups[part.groupOf.get(a.id)!]!.kind === 'core').map((a) => a.id);
  for (let pass = 0; pass < 3; pass++) {
    let moved = false;
    for (const id of movable) {
      const g0 = part.groupOf.get(id)!;
      const w = part.weights(id);
      const cur = w.get(g0) ?? 0;
      let best = -1;
      let bestW = cur;
      for (const [g, x] of [...w].sort((a, b) => a[0] - b[0])) {
        const grp = part.groups[g]!;
        if (g === g0 || grp.kind !== 'core' || (pollers.has(id) && grp.controllers > 0) || !part.fits(id, g)) continue;
        if (x > bestW) {
          best = g;
          bestW = x;
        }
      }
      if (best < 0) continue;
      part.add(id, best);
      moved = true;
      adj.push({ kind: 'follows-traffic', assets: [id], group: best, reason: `once the pollers were placed, most of its traffic is with this zone (${fmt(bestW)} against ${fmt(cur)} of weight)` });
    }
    if (!moved) break;
  }
}

function subnetOf(ip: string | null): string | null {
  if (ip === null) return null;
  const m = /^(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
  return m ? `${m[1]}.0/24` : null;
}

function placeSilent(part: Partition, adj: RunAdjustment[]): void {
  let unattached: number | null = null;
  const bySubnet = new Map<string, string[]>();
  for (const a of part.cg.assets) {
    const net = subnetOf(a.ip);
    if (net === null) continue;
    const list = bySubnet.get(net);
    if (list) list.push(a.id);
    else bySubnet.set(net, [a.id]);
  }
  for (const a of part.cg.assets) {
    const g0 = part.groupOf.get(a.id)!;
    const grp = part.groups[g0]!;
    if (grp.kind !== 'core' || grp.members.size !== 1) continue;
    const talks = part.cg.graph.degree(a.id) > 0;
    const net = subnetOf(a.ip);
    const counts = new Map<number, number>();
    if (net !== null) {
      for (const bid of bySubnet.get(net) ?? []) {
        const b = part.cg.byId.get(bid)!;
        if (b.id === a.id) continue;
        const g = part.groupOf.get(b.id)!;
        if (part.groups[g]!.kind === 'core' && part.fits(a.id, g)) counts.set(g, (counts.get(g) ?? 0) + 1);
      }
    }
    let best = -1;
    let bestN = 0;
    for (const [g, n] of [...counts].sort((x, y) => x[0] - y[0])) {
      if (n > bestN) {
        best = g;
        bestN = n;
      }
    }
    const what = talks ? 'talks only to hosts placed by rule (services, DMZ, ...)' : 'talks to nobody';
    if (best >= 0) {
      part.add(a.id, best);
      adj.push({ kind: 'no-traffic', assets: [a.id], group: best, reason: `${what}: placed with the ${bestN} host(s) of its subnet ${net} (a stated choice; check it)` });
    } else if (!talks) {
      if (unattached === null) unattached = part.newGroup('unclassified');
      part.add(a.id, unattached);
      adj.push({ kind: 'no-traffic', assets: [a.id], group: unattached, reason: `${what} and no zone holds its subnet: left in the unattached zone (a stated choice; check it)` });
    }
  }
}

function splitLarge(part: Partition, opts: RunOptions, adj: RunAdjustment[]): void {
  for (const g of part.live()) {
    const grp = part.groups[g]!;
    if (grp.members.size <= opts.maxZoneSize) continue;
    const order = part.cg.assets.filter((a) => grp.members.has(a.id)).map((a) => a.id);
    let parts: string[][] = [order];
    for (let k = 1; k <= 6 && parts.some((p) => p.length > opts.maxZoneSize); k++) {
      parts = parts.flatMap((p) => (p.length > opts.maxZoneSize ? louvainGroups(part.cg, p, { resolution: opts.resolution * 2 ** k, seed: opts.seed }) : [p]));
    }
    // Sub-communities that are still too large are cut in address order.
    parts = parts.flatMap((p) => {
      if (p.length <= opts.maxZoneSize) return [p];
      const out: string[][] = [];
      for (let i = 0; i < p.length; i += opts.maxZoneSize) out.push(p.slice(i, i + opts.maxZoneSize));
      return out;
    });
    // Higher resolutions can shatter a zone into many small parts: pack them back, whole, into as few
    // zones of at most N as first-fit decreasing finds.
    const bins: string[][] = [];
    for (const p of [...parts].sort((a, b) => b.length - a.length)) {
      const bin = bins.find((b) => b.length + p.length <= opts.maxZoneSize);
      if (bin) bin.push(...p);
      else bins.push([...p]);
    }
    parts = bins;
    if (parts.length <= 1) continue;
    const size = grp.members.size;
    for (const p of parts.slice(1)) {
      const ng = part.newGroup(grp.kind, p);
      adj.push({ kind: 'max-zone-size', assets: p, group: ng, reason: `a zone of ${size} exceeded --max-zone-size ${opts.maxZoneSize}: split along its sub-communities into ${parts.length}` });
    }
    adj.push({ kind: 'max-zone-size', assets: parts[0]!, group: g, reason: `a zone of ${size} exceeded --max-zone-size ${opts.maxZoneSize}: split along its sub-communities into ${parts.length}` });
  }
}
