/**
 * A partition of the graph's nodes into groups (future zones) that keeps, per group, what the
 * constraints ask about: the span of Purdue levels and the number of controllers.
 */
import type { CommunicationGraph } from '../graph/buildGraph.js';
import { isController, levelRank } from './levels.js';
import type { ZoneKind } from './types.js';

export interface Group {
  kind: ZoneKind | 'core';
  members: Set<string>;
  /** members per Purdue rank (0 1 2 3 3.5 4 5) */
  ranks: number[];
  controllers: number;
}

export class Partition {
  readonly groups: Group[] = [];
  readonly groupOf = new Map<string, number>();

  constructor(readonly cg: CommunicationGraph) {}

  newGroup(kind: Group['kind'], members: Iterable<string> = []): number {
    const g = this.groups.length;
    this.groups.push({ kind, members: new Set(), ranks: [0, 0, 0, 0, 0, 0, 0], controllers: 0 });
    for (const m of members) this.add(m, g);
    return g;
  }

  add(id: string, g: number): void {
    const old = this.groupOf.get(id);
    if (old === g) return;
    if (old !== undefined) this.remove(id);
    const grp = this.groups[g]!;
    const a = this.cg.byId.get(id)!;
    grp.members.add(id);
    if (a.purdueLevel !== null) grp.ranks[levelRank(a.purdueLevel)]!++;
    if (isController(a)) grp.controllers++;
    this.groupOf.set(id, g);
  }

  remove(id: string): void {
    const g = this.groupOf.get(id);
    if (g === undefined) return;
    const grp = this.groups[g]!;
    const a = this.cg.byId.get(id)!;
    grp.members.delete(id);
    if (a.purdueLevel !== null) grp.ranks[levelRank(a.purdueLevel)]!--;
    if (isController(a)) grp.controllers--;
    this.groupOf.delete(id);
  }

  /** Would group `g` still span at most two adjacent levels with `id` in it? */
  fits(id: string, g: number): boolean {
    const a = this.cg.byId.get(id)!;
    const grp = this.groups[g]!;
    let lo = 7;
    let hi = -1;
    grp.ranks.forEach((n, r) => {
      if (n > 0) {
        lo = Math.min(lo, r);
        hi = Math.max(hi, r);
      }
    });
    if (a.purdueLevel !== null) {
      const r = levelRank(a.purdueLevel);
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
    }
    return hi < 0 || hi - lo <= 1;
  }

  /** Weight from `id` to each group it has edges into. */
  weights(id: string): Map<number, number> {
    const w = new Map<number, number>();
    this.cg.graph.forEachEdge(id, (_e, attr, s, t) => {
      const other = s === id ? t : s;
      const g = this.groupOf.get(other);
      if (g !== undefined) w.set(g, (w.get(g) ?? 0) + attr.weight);
    });
    return w;
  }

  /** Non-empty groups, in creation order. */
  live(): number[] {
    const out: number[] = [];
    this.groups.forEach((g, i) => {
      if (g.members.size > 0) out.push(i);
    });
    return out;
  }
}
