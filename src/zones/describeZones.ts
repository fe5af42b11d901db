/**
 * Turns the final groups into zones: a stable id (ordered by lowest level, then size), a name from
 * the members' roles ("Control cell: 4 PLCs, 2 HMIs"), Purdue levels, a suggested SL-T with its
 * reason, and the rationale in numbers (share of traffic that stays inside, hubs, subnets).
 */
import type { Asset } from '../assets/types.js';
import type { FlowRecord } from '../baseline/reader.js';
import type { CommunicationGraph } from '../graph/buildGraph.js';
import { formatLevels, hasRole, levelRank, levelsOf } from './levels.js';
import type { Group } from './partition.js';
import type { Zone, ZoneKind } from './types.js';

/** What a member is, for the zone's name. */
export function memberLabel(a: Asset): string {
  if (a.safety) return a.purdueLevel !== null && a.purdueLevel <= 1 ? 'SIS controller' : 'SIS workstation';
  if (hasRole(a, 'scanner')) return 'scanner';
  if (hasRole(a, 'hmi')) return 'HMI';
  if (hasRole(a, 'engineering', 'engineering-workstation', 'safety-engineering')) return 'engineering workstation';
  if (hasRole(a, 'historian', 'historian-replica')) return 'historian';
  if (hasRole(a, 'plc', 'rtu', 'controller', 'robot-controller')) return 'PLC';
  if (hasRole(a, 'scada', 'poller')) return 'SCADA server';
  if (hasRole(a, 'site-service', 'domain-controller', 'dns-server', 'ntp-server', 'dhcp-server', 'antivirus-server')) return 'service';
  if (hasRole(a, 'mes')) return 'MES';
  if (hasRole(a, 'opcua-server', 'opcua-aggregator')) return 'OPC UA server';
  if (hasRole(a, 'alarm-server')) return 'alarm server';
  if (hasRole(a, 'jump-host', 'remote-access-server')) return 'jump host';
  if (hasRole(a, 'patch-server')) return 'patch server';
  if (a.purdueLevel === 0 || (a.purdueLevel === null && hasRole(a, 'io-adapter', 'io-device'))) return 'I/O device';
  if (a.purdueLevel === 1) return 'PLC';
  if (a.purdueLevel === 3.5) return 'DMZ host';
  if (a.purdueLevel === 4 || a.purdueLevel === 5) return 'enterprise host';
  // A level 2 host that reads controllers over an ICS protocol is an operator station.
  if (a.purdueLevel === 2 && hasRole(a, 'enip-client', 'modbus-client', 's7comm-client', 'opcua-client')) return 'HMI';
  if (a.purdueLevel === 2) return 'level 2 host';
  if (a.purdueLevel === 3) return 'level 3 server';
  return 'unknown host';
}

function plural(label: string, n: number): string {
  if (n === 1) return `1 ${label}`;
  if (/[A-Z]$/.test(label)) return `${n} ${label}s`;
  if (label.endsWith('device')) return `${n} ${label}s`;
  if (label.endsWith('s')) return `${n} ${label}es`;
  return `${n} ${label}s`;
}

const TITLE: Record<ZoneKind, string> = {
  safety: 'Safety (SIS)', 'security-tools': 'Security tools', 'site-services': 'Site services', dmz: 'DMZ', enterprise: 'Enterprise',
  control: 'Control cell', supervisory: 'Supervisory', operations: 'Operations', unclassified: 'Unattached hosts',
};

function kindOf(g: Group, levels: number[]): ZoneKind {
  if (g.kind !== 'core') return g.kind;
  if (g.controllers > 0) return 'control';
  if (levels.length === 0) return 'unclassified';
  return levels[0]! <= 2 ? 'supervisory' : 'operations';
}

export interface ZoneDraft extends Omit<Zone, 'conduits'> {
  group: number;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function describeZones(cg: CommunicationGraph, groups: readonly Group[], live: readonly number[], flows: readonly FlowRecord[]): ZoneDraft[] {
  const zoneOfAsset = new Map<string, number>();
  for (const g of live) for (const m of groups[g]!.members) zoneOfAsset.set(m, g);
  const idOfIp = new Map<string, string>();
  for (const a of cg.assets) if (a.ip !== null && !idOfIp.has(a.ip)) idOfIp.set(a.ip, a.id);
  const stat = new Map<number, { inB: number; outB: number; inF: number; outF: number; changesIn: Set<string> }>();
  for (const g of live) stat.set(g, { inB: 0, outB: 0, inF: 0, outF: 0, changesIn: new Set() });
  for (const f of flows) {
    const gs = zoneOfAsset.get(idOfIp.get(f.src) ?? '');
    const gd = zoneOfAsset.get(idOfIp.get(f.dst) ?? '');
    const bytes = f.bytesToInitiator + f.bytesToResponder;
    if (gs === undefined || gd === undefined) continue;
    if (gs === gd) {
      stat.get(gs)!.inB += bytes;
      stat.get(gs)!.inF++;
    } else {
      for (const g of [gs, gd]) {
        stat.get(g)!.outB += bytes;
        stat.get(g)!.outF++;
      }
      for (const fn of f.functions) if (fn.requests > 0 && ['write', 'program', 'control'].includes(fn.opClass)) stat.get(gd)!.changesIn.add(fn.opClass);
    }
  }
  const membersOf = new Map<number, Asset[]>(live.map((g) => [g, []]));
  for (const a of cg.assets) membersOf.get(zoneOfAsset.get(a.id)!)?.push(a);
  const drafts = live.map((g): ZoneDraft & { rankKey: number } => {
    const grp = groups[g]!;
    const members = membersOf.get(g)!;
    const levels = levelsOf(members);
    const kind = kindOf(grp, levels);
    // Weights: inside the zone and towards others.
    let inW = 0;
    let outW = 0;
    const internalDegree = new Map<string, { w: number; peers: number }>();
    for (const m of members) {
      let w = 0;
      let peers = 0;
      cg.graph.forEachEdge(m.id, (_e, attr, s, t) => {
        const o = s === m.id ? t : s;
        if (grp.members.has(o)) {
          w += attr.weight;
          peers++;
          if (m.id < o) inW += attr.weight;
        } else outW += attr.weight;
      });
      internalDegree.set(m.id, { w, peers });
    }
    const st = stat.get(g)!;
    const hubs = members
      .map((m) => ({ asset: m.id, peers: internalDegree.get(m.id)!.peers, w: internalDegree.get(m.id)!.w }))
      .filter((h) => h.peers > 0)
      .sort((a, b) => b.w - a.w || (a.asset < b.asset ? -1 : 1))
      .slice(0, 3)
      .map((h) => ({ asset: h.asset, peers: h.peers, weightShare: inW > 0 ? Math.round((h.w / (2 * inW)) * 1000) / 1000 : 0 }));
    const nets = new Map<string, number>();
    for (const m of members) {
      const net = m.ip === null ? 'no IP' : /^(\d+\.\d+\.\d+)\.\d+$/.exec(m.ip) ? `${m.ip.replace(/\.\d+$/, '')}.0/24` : m.ip;
      nets.set(net, (nets.get(net) ?? 0) + 1);
    }
    const subnets = [...nets].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([subnet, n]) => ({ subnet, assets: n }));
    const labels = new Map<string, number>();
    for (const m of members) labels.set(memberLabel(m), (labels.get(memberLabel(m)) ?? 0) + 1);
    const counted = [...labels].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const shown = counted.slice(0, 3);
    const rest = members.length - shown.reduce((s, x) => s + x[1], 0);
    const name = `${TITLE[kind]}: ${shown.map(([l, n]) => plural(l, n)).join(', ')}${rest > 0 ? `, ${rest} more` : ''}`;
    const [slt, slReason] = securityTarget(kind, st.changesIn);
    const byteShare = st.inB + st.outB > 0 ? st.inB / (st.inB + st.outB) : 1;
    const weightShare = inW + outW > 0 ? inW / (inW + outW) : 1;
    const label = (id: string): string => cg.byId.get(id)!.name ?? cg.byId.get(id)!.ip ?? id;
    const rationale = [
      `${members.length} asset${members.length === 1 ? '' : 's'} at ${formatLevels(levels)}`,
      `${pct(byteShare)} of the bytes of their flows (${pct(weightShare)} of the steady-traffic weight) stay inside`,
      hubs.length > 0 ? `hubs: ${hubs.map((h) => `${label(h.asset)} (${h.peers} peer${h.peers === 1 ? '' : 's'})`).join(', ')}` : 'no traffic inside',
      `subnets: ${subnets.slice(0, 4).map((s) => `${s.subnet} (${s.assets})`).join(', ')}${subnets.length > 4 ? ` and ${subnets.length - 4} more` : ''}`,
    ].join('; ');
    return {
      id: '', group: g, name, kind,
      purdueLevel: levels[0] ?? null, purdueLevels: levels,
      securityLevelTarget: slt, securityLevelReason: slReason,
      assets: members.map((m) => m.id).sort(),
      hubs, subnets, rationale,
      metrics: {
        assets: members.length,
        internalBytesShare: Math.round(byteShare * 1e4) / 1e4,
        internalWeightShare: Math.round(weightShare * 1e4) / 1e4,
        internalFlows: st.inF, externalFlows: st.outF, internalBytes: st.inB, externalBytes: st.outB,
      },
      rankKey: levels.length > 0 ? levelRank(levels[0]!) : 99,
    };
  });
  drafts.sort((a, b) => a.rankKey - b.rankKey || b.assets.length - a.assets.length || (a.assets[0]! < b.assets[0]! ? -1 : 1));
  return drafts.map(({ rankKey: _r, ...d }, i) => ({ ...d, id: `Z${String(i + 1).padStart(2, '0')}` }));
}

function securityTarget(kind: ZoneKind, changesIn: Set<string>): [string, string] {
  switch (kind) {
    case 'safety':
      return ['SL 3', 'safety zone: SL 3 or more (a compromise can defeat the last layer of protection)'];
    case 'control':
      return changesIn.size > 0
        ? ['SL 3', `control zone that receives ${[...changesIn].sort().join(', ')} from other zones`]
        : ['SL 2', 'control zone; only reads cross its boundary'];
    case 'supervisory':
    case 'operations':
      return ['SL 2', `${kind} zone: supervises the control zones`];
    case 'site-services':
      return ['SL 2', 'site services every zone depends on'];
    case 'security-tools':
      return ['SL 2', 'security tools reach every zone'];
    case 'dmz':
      return ['SL 2', 'DMZ: terminates every connection between operations and the enterprise'];
    case 'enterprise':
      return ['SL 1', 'enterprise network: outside the OT boundary'];
    case 'unclassified':
      return ['SL 2', 'hosts with no traffic to place them by: review'];
  }
}

