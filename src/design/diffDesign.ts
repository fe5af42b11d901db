/**
 * diffDesign(design, flows, assets?, options) -> DiffResult: every observed flow with its verdict and
 * the first reason that breaks it, the hosts in no zone, the rules no flow uses, and findings on the
 * design itself. Pure: the caller reads the flows (BaselineReader.flows({since, until})) and renders.
 */
import type { FlowRecord, MacRecord } from '../baseline/reader.js';
import type { Asset, Inventory } from '../assets/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { designDiagnostic } from './designCodes.js';
import { designFindings, zoneMembers } from './designFindings.js';
import { ConduitIndex, evaluateFlow } from './evaluateFlow.js';
import { canonicalMac, entryTargets } from './resolveAssetEntry.js';
import { BREAK_REASONS, type BreakReason, type Design, type DesignRule, type DiffResult, type UnzonedAsset } from './types.js';
import { isLocalDestination, ZoneIndex } from './zoneIndex.js';

export interface DiffOptions {
  /** the window the flows were read for (unix seconds), recorded in the result */
  since?: number | null;
  until?: number | null;
  /** source MACs per IP (BaselineReader.hostMacs()), used when no assets are given */
  hostMacs?: readonly MacRecord[];
  /** to list inventory rows in no zone, and to tell safety assets */
  inventory?: Inventory | null;
  /** zones holding more assets than this are a finding (default 50) */
  maxZoneSize?: number;
}

export const DEFAULT_MAX_ZONE_SIZE = 50;

/** IP -> its own MAC: from the assets when given, else from host MACs, ignoring MACs many IPs share (routers). */
function macsByIp(assets: readonly Asset[] | undefined, hostMacs: readonly MacRecord[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (assets) {
    for (const a of assets) if (a.ip && a.mac && !a.behindRouter) out.set(a.ip, a.mac);
    return out;
  }
  const ipsPerMac = new Map<string, Set<string>>();
  for (const m of hostMacs ?? []) {
    const s = ipsPerMac.get(m.mac) ?? new Set<string>();
    s.add(m.ip);
    ipsPerMac.set(m.mac, s);
  }
  const best = new Map<string, MacRecord>();
  for (const m of hostMacs ?? []) {
    if (ipsPerMac.get(m.mac)!.size !== 1) continue;
    const b = best.get(m.ip);
    if (!b || m.packets > b.packets) best.set(m.ip, m);
  }
  for (const [ip, m] of best) out.set(ip, canonicalMac(m.mac) ?? m.mac);
  return out;
}

export function diffDesign(design: Design, flows: readonly FlowRecord[], assets?: readonly Asset[], options: DiffOptions = {}): DiffResult {
  const index = new ZoneIndex(design);
  const conduits = new ConduitIndex(design.conduits);
  const macs = macsByIp(assets, options.hostMacs);
  const diagnostics: Diagnostic[] = [];
  const conflicted = new Set<string>();
  const zoneOf = (ip: string): string | null => {
    const z = index.lookup(ip, macs.get(ip) ?? null);
    if (z.conflict && !conflicted.has(ip)) {
      conflicted.add(ip);
      diagnostics.push(designDiagnostic('DESIGN_ZONE_CONFLICT', `${ip}${macs.has(ip) ? ` (${macs.get(ip)})` : ''} is in zones ${z.conflict.join(', ')} at the same specificity; evaluated in ${z.zone}`, { file: design.file }));
    }
    return z.zone;
  };
  const used = new Set<DesignRule>();
  const windowed = (options.since ?? null) !== null || (options.until ?? null) !== null;
  const verdicts = flows.map((f) => {
    const local = isLocalDestination(f.dst);
    return evaluateFlow(f, { srcZone: zoneOf(f.src), dstZone: local ? null : zoneOf(f.dst), local }, conduits, used, windowed);
  });

  // Hosts in no zone: every observed endpoint (and asset, and inventory row) that no entry covers.
  const unzoned = new Map<string, UnzonedAsset>();
  const invByIp = new Map<string, { id: string; name: string }>();
  for (const e of options.inventory?.entries ?? []) if (e.ip && !e.ip.includes('/')) invByIp.set(e.ip, { id: e.id, name: e.name });
  const note = (ip: string, packets: number, flow: boolean): void => {
    if (isLocalDestination(ip) || zoneOf(ip) !== null) return;
    const u = unzoned.get(ip) ?? { ip, mac: macs.get(ip) ?? null, flows: 0, packets: 0, inventoryId: invByIp.get(ip)?.id ?? null, name: invByIp.get(ip)?.name ?? null };
    if (flow) u.flows++;
    u.packets += packets;
    unzoned.set(ip, u);
  };
  for (const f of flows) {
    const p = f.packetsToResponder + f.packetsToInitiator;
    note(f.src, p, true);
    note(f.dst, p, true);
  }
  for (const a of assets ?? []) if (a.ip) note(a.ip, 0, false);
  for (const e of options.inventory?.entries ?? []) {
    for (const t of entryTargets(e)) if (t.kind === 'ip' && t.prefix === (t.family === 4 ? 32 : 128)) note(t.ip, 0, false);
  }

  const unusedRules = design.conduits.flatMap((c) =>
    c.rules.filter((r) => !used.has(r)).map((r) => ({ conduit: c.id, rule: r.index, protocol: r.protocol, ports: r.ports, direction: r.direction, pos: r.pos })),
  );
  const hosts = [...new Set([...flows.flatMap((f) => [f.src, f.dst]), ...(assets ?? []).flatMap((a) => (a.ip ? [a.ip] : []))])].filter((ip) => !isLocalDestination(ip));
  const members = zoneMembers(design, hosts, zoneOf, macs);
  const findings = designFindings(design, members, {
    hosts,
    zoneOf,
    assets,
    inventory: options.inventory ?? null,
    flows,
    maxZoneSize: options.maxZoneSize ?? DEFAULT_MAX_ZONE_SIZE,
  });

  const byReason = Object.fromEntries(BREAK_REASONS.map((r) => [r, 0])) as Record<BreakReason, number>;
  for (const v of verdicts) if (v.reason) byReason[v.reason]++;
  const count = (k: string): number => verdicts.filter((v) => v.verdict === k).length;
  const unzonedAssets = [...unzoned.values()].sort((a, b) => b.flows - a.flows || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
  return {
    design,
    window: { since: options.since ?? null, until: options.until ?? null },
    flows: verdicts,
    unzonedAssets,
    zoneMembers: Object.fromEntries([...members].map(([z, m]) => [z, [...m].sort()])),
    unusedRules,
    findings,
    diagnostics,
    summary: {
      observedFlows: verdicts.length,
      allowed: count('allowed'),
      sameZone: count('same-zone'),
      local: count('local'),
      breaking: count('breaking'),
      byReason,
      unzonedAssets: unzonedAssets.length,
      unusedRules: unusedRules.length,
      findings: findings.length,
    },
  };
}
