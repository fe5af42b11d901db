/**
 * The `zonescope/zones@1` document (docs/INTERFACES.md "Files written by propose"): the proposal's
 * assets with their zone, the zones, the minimum conduits with their rules, the adjustments and the
 * quality figures. snake_case, keys in a fixed order, times UTC: same proposal, same bytes.
 */
import type { BaselineOverview } from '../baseline/reader.js';
import type { Proposal } from '../zones/types.js';
import { isoTime } from './json.js';

/** The address an asset is written by in zones documents: its IP, else its id (the MAC). */
export function assetAddress(a: { ip: string | null; id: string }): string {
  return a.ip ?? a.id;
}

export function zonesDocument(p: Proposal, overview?: BaselineOverview): Record<string, unknown> {
  const addr = new Map(p.placements.map((x) => [x.asset.id, assetAddress(x.asset)]));
  const doc: Record<string, unknown> = { schema: 'zonescope/zones@1' };
  if (overview) {
    doc.baseline = {
      first_seen: overview.firstSeen === null ? null : isoTime(overview.firstSeen),
      last_seen: overview.lastSeen === null ? null : isoTime(overview.lastSeen),
      captures: overview.captures,
      packets: overview.frames,
      bytes: overview.bytes,
      flows: overview.flows,
    };
  }
  doc.options = {
    seed: p.options.seed,
    resolution: p.options.resolution,
    max_zone_size: p.options.maxZoneSize,
    stability_runs: p.options.stabilityRuns,
    weighting: { hour: p.options.weighting.hour, day: p.options.weighting.day, byte: p.options.weighting.byte },
  };
  doc.assets = p.placements.map(({ asset: a, zone, moved, runs }) => ({
    ip: assetAddress(a),
    mac: a.mac,
    name: a.name,
    vendor: a.vendor,
    product: a.product,
    roles: a.roles.map((r) => r.role),
    purdue_level: a.purdueLevel,
    safety: a.safety,
    evidence: a.evidence.filter((e) => e.about === 'level' || e.about === 'safety' || e.about === 'role').map((e) => e.text),
    zone,
    uncertain: moved > 0,
    ...(moved > 0 ? { moved: `${moved} of ${runs} reruns under other seeds` } : {}),
  }));
  doc.zones = p.zones.map((z) => ({
    id: z.id,
    name: z.name,
    kind: z.kind,
    purdue_level: z.purdueLevel,
    purdue_levels: z.purdueLevels,
    security_level_target: z.securityLevelTarget,
    security_level_reason: z.securityLevelReason,
    assets: z.assets.map((id) => addr.get(id) ?? id),
    rationale: z.rationale,
    hubs: z.hubs.map((h) => ({ asset: addr.get(h.asset) ?? h.asset, peers: h.peers, weight_share: h.weightShare })),
    subnets: z.subnets,
    metrics: {
      assets: z.metrics.assets,
      internal_bytes_share: z.metrics.internalBytesShare,
      internal_weight_share: z.metrics.internalWeightShare,
      internal_flows: z.metrics.internalFlows,
      external_flows: z.metrics.externalFlows,
      internal_bytes: z.metrics.internalBytes,
      external_bytes: z.metrics.externalBytes,
    },
    conduits: z.conduits,
  }));
  doc.conduits = p.conduits.map((c) => ({
    id: c.id,
    connects: c.connects,
    security_level: c.securityLevel,
    flows: c.rules.map((r) => ({
      initiator_zone: r.initiatorZone,
      responder_zone: r.responderZone,
      transport: r.transport,
      port: r.port,
      protocol: r.protocol,
      operations: r.operations,
      function_codes: r.functionCodes,
      packets: r.packets,
      bytes: r.bytes,
      first_seen: isoTime(r.firstSeen),
      last_seen: isoTime(r.lastSeen),
      days_seen: r.daysSeen,
      hosts: r.hostPairs.length,
      host_pairs: r.hostPairs,
      risky: r.risky,
    })),
  }));
  doc.adjustments = p.adjustments.map((a) => ({ kind: a.kind, assets: a.assets.map((id) => addr.get(id) ?? id), zone: a.zone, reason: a.reason }));
  doc.quality = {
    modularity: p.quality.modularity,
    cross_zone_bytes_share: p.quality.crossZoneBytesShare,
    cross_zone_flows_share: p.quality.crossZoneFlowsShare,
    zones: p.quality.zones,
    conduits: p.quality.conduits,
    rules: p.quality.rules,
    uncertain_assets: p.quality.uncertainAssets,
  };
  doc.notes = p.notes;
  return doc;
}
