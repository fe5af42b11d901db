/**
 * Findings on the design itself, whatever the traffic: safety assets sharing a zone with others or
 * reachable through a conduit; zones above a size; conduits that allow writes or programming into a
 * control zone from a higher level; traffic allowed across the DMZ without terminating there
 * (IEC 62443-3-2 ZCR 3: separate safety, business and temporarily connected assets; ISA-95 levels).
 */
import type { FlowRecord } from '../baseline/reader.js';
import type { Asset, Inventory } from '../assets/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { designDiagnostic } from './designCodes.js';
import { ruleLabel } from './evaluateFlow.js';
import { entryTargets } from './resolveAssetEntry.js';
import type { Design, DesignRule, DesignZone } from './types.js';

export interface FindingInputs {
  /** every host to place (observed endpoints and assets) */
  hosts: string[];
  zoneOf(ip: string): string | null;
  assets?: readonly Asset[];
  inventory: Inventory | null;
  flows: readonly FlowRecord[];
  maxZoneSize: number;
}

/**
 * Zone id -> its assets: the hosts placed in it, plus its host entries (IPs, MACs) no placed host
 * stands for (a MAC entry whose host was seen is counted once, by its IP).
 */
export function zoneMembers(
  design: Design,
  hosts: readonly string[],
  zoneOf: (ip: string) => string | null,
  macs: ReadonlyMap<string, string> = new Map(),
): Map<string, Set<string>> {
  const members = new Map<string, Set<string>>(design.zones.map((z) => [z.id, new Set<string>()]));
  const seenMacs = new Set<string>();
  for (const h of hosts) {
    const z = zoneOf(h);
    if (z) members.get(z)!.add(h);
    const m = macs.get(h);
    if (m) seenMacs.add(m);
  }
  for (const z of design.zones) {
    for (const a of z.assets) {
      for (const t of a.targets) {
        if (t.kind === 'mac' && !seenMacs.has(t.mac)) members.get(z.id)!.add(t.mac);
        else if (t.kind === 'ip' && t.prefix === (t.family === 4 ? 32 : 128)) members.get(z.id)!.add(t.ip);
      }
    }
  }
  return members;
}

/** Protocols that carry process data and commands (where writes and programming matter). */
const ICS = new Set(['modbus', 'enip', 'cipio', 's7comm', 'isotsap', 'opcua', 'dnp3', 'iec104', 'bacnet', 'fins', 'melsec', 'gesrtp', 'codesys', 'profinet', 'tristation', 'tsaa', 'hartip', 'ffhse', 'proconos']);
const SAFETY_TEXT = /\b(sis|safety|triconex|tristation|esd|sil\s?\d)\b/i;
const SAFETY_PROTOCOLS = new Set(['tristation', 'tsaa']);

function isDmz(z: DesignZone): boolean {
  return z.purdueLevels.includes(3.5) || /\bdmz\b|demilitari[sz]ed/i.test(`${z.id} ${z.name}`);
}

/** Hosts that belong to a safety system: asset verdicts, inventory roles and names, safety protocols. */
function safetyHosts(inputs: FindingInputs): Set<string> {
  const s = new Set<string>();
  for (const a of inputs.assets ?? []) if (a.safety && a.ip) s.add(a.ip);
  for (const e of inputs.inventory?.entries ?? []) {
    if (!SAFETY_TEXT.test(`${e.role ?? ''} ${e.name} ${e.id}`)) continue;
    for (const t of entryTargets(e)) if (t.kind === 'ip' && t.prefix === (t.family === 4 ? 32 : 128)) s.add(t.ip);
  }
  // both ends of safety-system protocols: the controllers and the workstation that programs them
  for (const f of inputs.flows) {
    if (SAFETY_PROTOCOLS.has(f.protocol)) {
      s.add(f.src);
      s.add(f.dst);
    }
  }
  return s;
}

function allowsWrites(r: DesignRule): boolean {
  return r.operations === null || r.operations.some((o) => o === 'write' || o === 'program' || o === 'control' || o === 'io');
}

export function designFindings(design: Design, members: Map<string, Set<string>>, inputs: FindingInputs): Diagnostic[] {
  const out: Diagnostic[] = [];
  const safety = safetyHosts(inputs);
  const safetyZones = new Set<string>();
  for (const z of design.zones) {
    const m = [...members.get(z.id)!];
    const safe = m.filter((h) => safety.has(h));
    if (safe.length === 0) continue;
    safetyZones.add(z.id);
    const others = m.filter((h) => !safety.has(h));
    if (others.length > 0) {
      out.push(designDiagnostic('DESIGN_SAFETY_SHARED_ZONE', `zone ${z.id} holds safety assets (${safe.slice(0, 5).join(', ')}) and ${others.length} other asset${others.length === 1 ? '' : 's'} (${others.slice(0, 5).join(', ')})`, z.pos));
    }
  }
  for (const z of design.zones) {
    const n = members.get(z.id)!.size;
    if (n > inputs.maxZoneSize) out.push(designDiagnostic('DESIGN_ZONE_TOO_LARGE', `zone ${z.id} holds ${n} assets; the limit is ${inputs.maxZoneSize}`, z.pos));
  }
  const zone = new Map(design.zones.map((z) => [z.id, z]));
  for (const c of design.conduits) {
    const sz = c.connects.filter((z) => safetyZones.has(z));
    if (sz.length > 0) out.push(designDiagnostic('DESIGN_SAFETY_REACHABLE', `conduit ${c.id} makes safety zone ${sz.join(', ')} reachable from ${c.connects.filter((z) => !sz.includes(z)).join(', ')}`, c.pos));
    for (const r of c.rules) {
      if (!allowsWrites(r) || (r.protocolIds !== null && !r.protocolIds.some((p) => ICS.has(p)))) continue;
      const pairs: Array<[string, string]> = r.initiator !== null
        ? c.connects.filter((z) => z !== r.initiator && (r.responder === null || z === r.responder)).map((z) => [r.initiator!, z])
        : c.connects.flatMap((a) => c.connects.filter((b) => b !== a).map((b): [string, string] => [a, b]));
      for (const [from, to] of pairs) {
        const fz = zone.get(from);
        const tz = zone.get(to);
        if (!fz || !tz || fz.purdueLevels.length === 0 || tz.purdueLevels.length === 0) continue;
        if (Math.max(...tz.purdueLevels) <= 2 && Math.min(...fz.purdueLevels) > Math.max(...tz.purdueLevels)) {
          const ops = r.operations === null ? 'any operation' : r.operations.join(', ');
          out.push(designDiagnostic('DESIGN_WRITE_INTO_CONTROL', `${ruleLabel(r)} allows ${ops} from ${from} (level ${fz.purdueLevel}) into control zone ${to} (level ${tz.purdueLevel})`, r.pos));
        }
      }
    }
  }
  out.push(...dmzFindings(design, zone));
  return out;
}

function dmzFindings(design: Design, zone: Map<string, DesignZone>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const dmz = design.zones.filter(isDmz);
  if (dmz.length === 0) return out;
  const side = (z: DesignZone | undefined): 'below' | 'above' | null => {
    if (!z || isDmz(z) || z.purdueLevels.length === 0) return null;
    if (Math.max(...z.purdueLevels) <= 3) return 'below';
    if (Math.min(...z.purdueLevels) >= 4) return 'above';
    return null;
  };
  for (const c of design.conduits) {
    const below = c.connects.filter((z) => side(zone.get(z)) === 'below');
    const above = c.connects.filter((z) => side(zone.get(z)) === 'above');
    if (below.length > 0 && above.length > 0) {
      out.push(designDiagnostic('DESIGN_DMZ_BYPASS', `conduit ${c.id} joins ${below.join(', ')} and ${above.join(', ')} directly, around the DMZ ${dmz.map((d) => d.id).join(', ')}`, c.pos));
    }
  }
  for (const d of dmz) {
    const inbound: Array<{ r: DesignRule; from: string }> = [];
    const outbound: Array<{ r: DesignRule; to: string }> = [];
    for (const c of design.conduits) {
      if (!c.connects.includes(d.id)) continue;
      for (const r of c.rules) {
        const others = c.connects.filter((z) => z !== d.id);
        if (r.initiator === null || r.initiator !== d.id) for (const o of r.initiator === null ? others : [r.initiator]) inbound.push({ r, from: o });
        if (r.initiator === null || r.initiator === d.id) for (const o of r.initiator === null ? others : [r.responder ?? others[0]!]) outbound.push({ r, to: o });
      }
    }
    const seen = new Set<string>();
    for (const i of inbound) {
      for (const o of outbound) {
        const si = side(zone.get(i.from));
        const so = side(zone.get(o.to));
        if (!si || !so || si === so || !sameService(i.r, o.r)) continue;
        const k = `${i.r.conduit}#${i.r.index}>${o.r.conduit}#${o.r.index}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(designDiagnostic('DESIGN_DMZ_PASS_THROUGH', `${ruleLabel(i.r)} lets ${i.from} into ${d.id} and ${ruleLabel(o.r)} lets ${d.id} on to ${o.to} with the same service: make sure it terminates in ${d.id}`, o.r.pos));
      }
    }
  }
  return out;
}

function sameService(a: DesignRule, b: DesignRule): boolean {
  const protoOverlap = a.protocolIds === null || b.protocolIds === null || a.protocolIds.some((p) => b.protocolIds!.includes(p));
  const portOverlap = a.ports === null || b.ports === null || a.ports.some(([l1, h1]) => b.ports!.some(([l2, h2]) => l1 <= h2 && l2 <= h1));
  return protoOverlap && portOverlap;
}
