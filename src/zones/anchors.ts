/**
 * The placements engineers make before looking at communities: safety assets apart, scanners in a
 * security-tools zone, level 3.5 hosts in the DMZ, enterprise hosts together, the site services that
 * almost every host reaches in a services zone; and the supervisory hosts that poll several cells,
 * which belong to the operations layer rather than to one cell. Deterministic (no randomness).
 */
import type { Asset } from '../assets/types.js';
import type { CommunicationGraph } from '../graph/buildGraph.js';
import { pairKey } from '../graph/buildGraph.js';
import type { FlowRecord } from '../baseline/reader.js';
import { hasRole, isController } from './levels.js';

export type AnchorKind = 'safety' | 'security-tools' | 'site-services' | 'dmz' | 'enterprise';

export interface Anchor {
  kind: AnchorKind;
  reason: string;
}

export interface AnchorOptions {
  serviceReach: number;
  serviceMinClients: number;
}

/** Assets placed by rule, with the reason; the others are left to the traffic. */
export function anchorAssets(cg: CommunicationGraph, flows: readonly FlowRecord[], opts: AnchorOptions): Map<string, Anchor> {
  const out = new Map<string, Anchor>();
  for (const a of cg.assets) {
    if (a.safety) out.set(a.id, { kind: 'safety', reason: `safety asset (${a.safetyReason ?? 'marked safety'}): shares a zone with safety assets only` });
    else if (hasRole(a, 'scanner')) out.set(a.id, { kind: 'security-tools', reason: 'scanner: probes many hosts and ports; a security-tools zone of its own' });
    else if (a.purdueLevel === 3.5) out.set(a.id, { kind: 'dmz', reason: 'level 3.5: the DMZ is the hosts at level 3.5' });
    else if (a.purdueLevel === 4 || a.purdueLevel === 5) out.set(a.id, { kind: 'enterprise', reason: `level ${a.purdueLevel}: enterprise hosts group together` });
  }
  // Site services: hosts (levels 2-3 or unknown) answering a large share of the other such hosts.
  const eligible = (a: Asset): boolean => !out.has(a.id) && (a.purdueLevel === null || a.purdueLevel === 2 || a.purdueLevel === 3);
  const population = cg.assets.filter(eligible);
  const idOfIp = new Map<string, string>();
  for (const a of cg.assets) if (a.ip !== null && !idOfIp.has(a.ip)) idOfIp.set(a.ip, a.id);
  const clients = new Map<string, Set<string>>();
  const eligibleIds = new Set(population.map((a) => a.id));
  for (const f of flows) {
    const s = idOfIp.get(f.src);
    const d = idOfIp.get(f.dst);
    if (s === undefined || d === undefined || s === d || !eligibleIds.has(d) || !eligibleIds.has(s)) continue;
    let c = clients.get(d);
    if (!c) clients.set(d, (c = new Set()));
    c.add(s);
  }
  const others = population.length - 1;
  for (const a of population) {
    if (hasRole(a, 'site-service')) {
      out.set(a.id, { kind: 'site-services', reason: 'site service (assets stage: reached by most hosts): a services zone of its own' });
      continue;
    }
    const n = clients.get(a.id)?.size ?? 0;
    if (others > 0 && n >= opts.serviceMinClients && n / others >= opts.serviceReach) {
      out.set(a.id, {
        kind: 'site-services',
        reason: `site service: answers ${n} of the ${others} other level 2-3 hosts (${Math.round((100 * n) / others)}% >= ${Math.round(100 * opts.serviceReach)}%); a services zone of its own instead of pulling the cells it serves together`,
      });
    }
  }
  return out;
}

export interface Poller {
  id: string;
  /** controllers it polls steadily */
  polled: string[];
  /** how many groups those controllers fall into without it */
  cells: number;
}

/**
 * Supervisory pollers: hosts above level 1 that steadily poll controllers (the pair active in at
 * least `pollShare` of the baseline's hours) which, once the poller is taken away, fall into two or
 * more separate groups of two or more hosts each (cells linked only through it). Connectivity counts
 * steady links only.
 */
export function findPollers(cg: CommunicationGraph, core: readonly string[], flows: readonly FlowRecord[], pollShare: number): Poller[] {
  let minHour = Infinity;
  let maxHour = -Infinity;
  for (const f of flows) {
    for (const h of f.hours) {
      if (h.hour < minHour) minHour = h.hour;
      if (h.hour > maxHour) maxHour = h.hour;
    }
  }
  if (!Number.isFinite(minHour)) return [];
  const span = maxHour - minHour + 1;
  const steady = (a: string, b: string): boolean => {
    const p = cg.pairs.get(pairKey(a, b));
    return p !== undefined && p.hours / span >= pollShare;
  };
  const inCore = new Set(core);
  const idOfIp = new Map<string, string>();
  for (const a of cg.assets) if (a.ip !== null && !idOfIp.has(a.ip)) idOfIp.set(a.ip, a.id);
  const polls = new Map<string, Set<string>>();
  for (const f of flows) {
    const s = idOfIp.get(f.src);
    const d = idOfIp.get(f.dst);
    if (s === undefined || d === undefined || !inCore.has(s) || !inCore.has(d)) continue;
    const sa = cg.byId.get(s)!;
    const da = cg.byId.get(d)!;
    if (isController(sa) || !isController(da) || !steady(s, d)) continue;
    let set = polls.get(s);
    if (!set) polls.set(s, (set = new Set()));
    set.add(d);
  }
  // Steady adjacency inside the core, built once.
  const adj = new Map<string, string[]>();
  for (const n of core) adj.set(n, []);
  for (const p of cg.pairs.values()) {
    if (inCore.has(p.a) && inCore.has(p.b) && p.hours / span >= pollShare) {
      adj.get(p.a)!.push(p.b);
      adj.get(p.b)!.push(p.a);
    }
  }
  const out: Poller[] = [];
  for (const id of core) {
    const polled = polls.get(id);
    if (!polled || polled.size < 2) continue;
    const targets = [...polled].sort();
    // Components of the steady core without `id`, counted over the polled controllers only.
    const seen = new Set<string>([id]);
    const pending = new Set(targets);
    let cells = 0;
    for (const t of targets) {
      if (seen.has(t)) continue;
      const stack = [t];
      seen.add(t);
      pending.delete(t);
      let size = 0;
      let rest = false;
      while (stack.length > 0) {
        size++;
        const n = stack.pop()!;
        for (const m of adj.get(n)!) {
          if (!seen.has(m)) {
            seen.add(m);
            stack.push(m);
            pending.delete(m);
          }
        }
        // Every polled controller reached from here, and no cell counted before: one cell, not a poller.
        if (pending.size === 0 && cells === 0) {
          rest = true;
          break;
        }
      }
      if (rest) break;
      // A controller that talks steadily to nobody else is part of the poller's own cell, not a cell of its own.
      if (size >= 2) cells++;
    }
    if (cells >= 2) out.push({ id, polled: targets, cells });
  }
  return out;
}
