/**
 * Purdue level per asset from behaviour, each with the evidence that decided it and a confidence.
 * Rules, in order (the first that applies decides; later phases use the levels decided before them):
 *  A. the host's own behaviour and identity: safety controllers and controllers (servers of controller
 *     protocols, ENIP device type PLC, S7 CPU) 1; I/O adapters and devices only controllers talk to 0;
 *     engineering stations (program / control / writes to several controllers, TriStation) 2;
 *     historians (pollers of many controllers that read only, PI-to-PI) and OPC UA servers that are
 *     no controller (aggregation) 3;
 *  B. the operations side, repeated until nothing changes: site services (DNS, NTP, DHCP, domain,
 *     patch) take the level most of their clients have; clients of controllers (HMIs, operator
 *     stations, SCADA) 2;
 *  C. the DMZ 3.5: hosts that terminate connections from both the operations side (levels 0-3) and
 *     hosts that never reach it; remote-access servers only such hosts reach (jump hosts);
 *  D. the enterprise 4: hosts that reach levels 3.5 / 4 and nothing at 0-3, repeated;
 *  E. the subnet: a host whose /24 (IPv4) holds at least two decided hosts, all at one level;
 *  F. the peers: the level most of its decided peers have, repeated.
 * A host nothing tells has level null and confidence 0.
 */
import type { Evidence, PurdueLevel } from './types.js';
import type { Behaviour } from './behaviour.js';
import type { IdentityFact } from './identityFacts.js';
import type { RoleResult } from './inferRoles.js';
import { CONTROLLER_PROTOCOLS, controllersOf } from './inferRoles.js';

export interface LevelDecision {
  level: PurdueLevel | null;
  confidence: number;
  evidence: Evidence[];
}

const REMOTE = ['rdp', 'vnc', 'ssh', 'telnet', 'winrm'];
const SITE_SERVICES = ['dns', 'ntp', 'dhcp', 'kerberos', 'ldap', 'ldaps', 'wsus'];
const FIELD_DEVICE_TYPES = /adapter|discrete i\/o|analog i\/o|drive|sensor|valve|encoder|actuator|motor|photoelectric|generic device|contactor|overload|weigh/i;

function has(r: RoleResult | undefined, role: string): boolean {
  return r !== undefined && r.roles.some((x) => x.role === role);
}

function roleEvidence(r: RoleResult | undefined, ...roles: string[]): Evidence[] {
  if (!r) return [];
  const out: Evidence[] = [];
  r.roles.forEach((x, i) => {
    if (roles.includes(x.role)) out.push({ ...r.evidence[i]!, about: 'level' });
  });
  return out;
}

function levelText(l: PurdueLevel): string {
  return l === 3.5 ? 'level 3.5 (DMZ)' : `level ${l}`;
}

/** Most common level of `ips` among decided ones (ties: the higher level), with how many had it. */
function majority(ips: Iterable<string>, decided: ReadonlyMap<string, LevelDecision>): { level: PurdueLevel; n: number; of: number; hosts: string[] } | null {
  const c = new Map<PurdueLevel, string[]>();
  let of = 0;
  for (const ip of ips) {
    const l = decided.get(ip)?.level;
    if (l === undefined || l === null) continue;
    of++;
    const list = c.get(l) ?? [];
    list.push(ip);
    c.set(l, list);
  }
  let best: PurdueLevel | null = null;
  for (const [l, list] of c) if (best === null || list.length > c.get(best)!.length || (list.length === c.get(best)!.length && l > best)) best = l;
  return best === null ? null : { level: best, n: c.get(best)!.length, of, hosts: c.get(best)!.slice(0, 5) };
}

function subnetKey(ip: string): string | null {
  const m = /^(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
  return m ? `${m[1]}.0/24` : null;
}

export function inferLevels(
  hosts: readonly string[], beh: ReadonlyMap<string, Behaviour>, roles: ReadonlyMap<string, RoleResult>,
  facts: ReadonlyMap<string, readonly IdentityFact[]>,
): Map<string, LevelDecision> {
  const decided = new Map<string, LevelDecision>();
  const controllers = controllersOf(beh);
  const set = (ip: string, level: PurdueLevel | null, confidence: number, evidence: Evidence[]): void => {
    decided.set(ip, { level, confidence, evidence });
  };
  const open = (): string[] => hosts.filter((h) => !decided.has(h));
  const lv = (ip: string): PurdueLevel | null | undefined => decided.get(ip)?.level;
  const text = (t: string, source = 'traffic'): Evidence => ({ about: 'level', text: t, source });

  // A. The host's own behaviour and identity.
  for (const ip of hosts) {
    const r = roles.get(ip);
    const b = beh.get(ip);
    const f = facts.get(ip) ?? [];
    const devType = f.find((x) => x.key === 'device_type_name');
    const order = f.find((x) => x.protocol === 's7comm' && x.key === 'order_number');
    const idEv = (x: IdentityFact): Evidence => ({
      about: 'level', text: `${x.protocol === 'enip' ? 'ENIP device type' : 'S7 order number'}: ${x.value}`, source: x.protocol,
      capture: x.capture ?? undefined, frame: x.frame, firstSeen: x.firstSeen, lastSeen: x.lastSeen,
    });
    if (has(r, 'safety-controller')) {
      set(ip, 1, 0.9, [...roleEvidence(r, 'safety-controller'), text('a safety controller: level 1')]);
      continue;
    }
    const serves = b ? [...b.asServer.entries()].filter(([p]) => CONTROLLER_PROTOCOLS[p]) : [];
    const clients = new Set<string>();
    for (const [, s] of serves) for (const c of s.peers) clients.add(c);
    const onlyControllers = clients.size > 0 && [...clients].every((c) => controllers.has(c) && c !== ip);
    if (devType && FIELD_DEVICE_TYPES.test(devType.value) && !has(r, 'io-scanner')) {
      set(ip, 0, 0.8, [idEv(devType), text('an I/O adapter or field device: level 0', devType.protocol)]);
      continue;
    }
    if ((devType && /programmable logic controller/i.test(devType.value)) || (order && /^6ES7/i.test(order.value))) {
      const x = (devType && /programmable/i.test(devType.value) ? devType : order)!;
      set(ip, 1, serves.length > 0 ? 0.95 : 0.85, [idEv(x), ...roleEvidence(r, ...serves.map(([p]) => `${CONTROLLER_PROTOCOLS[p]}-server`)), text('a controller: level 1', x.protocol)]);
      continue;
    }
    if (serves.length > 0 && !onlyControllers) {
      set(ip, 1, 0.8, [...roleEvidence(r, ...serves.map(([p]) => `${CONTROLLER_PROTOCOLS[p]}-server`)), text('answers controller protocols from non-controllers: a controller (PLC, RTU): level 1')]);
      continue;
    }
    if ((serves.length > 0 && onlyControllers) || (has(r, 'io-adapter') && serves.length === 0)) {
      set(ip, 0, 0.65, [...roleEvidence(r, 'io-adapter', ...serves.map(([p]) => `${CONTROLLER_PROTOCOLS[p]}-server`)), text('only controllers talk to it (I/O adapter, field device): level 0')]);
      continue;
    }
    if (has(r, 'engineering') || has(r, 'safety-engineering')) {
      set(ip, 2, 0.85, [...roleEvidence(r, 'engineering', 'safety-engineering'), text('engineering activity on controllers: an engineering workstation, level 2')]);
      continue;
    }
    const writesControllers = b ? [...(b.requested.get('write') ?? [])].some(([p, s]) => CONTROLLER_PROTOCOLS[p] && [...s.peers].some((x) => controllers.has(x))) : false;
    if (has(r, 'poller') && !writesControllers) {
      set(ip, 3, has(r, 'historian') ? 0.8 : 0.7, [...roleEvidence(r, 'poller', 'historian'), text('reads many controllers without writing (historian): level 3')]);
      continue;
    }
    if (has(r, 'opcua-server')) {
      const aggregates = b !== undefined && [...b.asClient.keys()].some((p) => CONTROLLER_PROTOCOLS[p]);
      set(ip, 3, aggregates ? 0.75 : 0.55, [...roleEvidence(r, 'opcua-server'), text(aggregates ? 'OPC UA server that polls controllers (aggregation): level 3' : 'OPC UA server that is no controller: an operations-level server, level 3', 'opcua')]);
    }
  }

  // B. The operations side.
  for (let changed = true; changed; ) {
    changed = false;
    for (const ip of open()) {
      const b = beh.get(ip);
      if (!b) continue;
      const served = new Set<string>();
      const protos: string[] = [];
      for (const p of SITE_SERVICES) {
        const s = b.asServer.get(p);
        if (!s) continue;
        protos.push(p);
        for (const c of s.peers) served.add(c);
      }
      const m = protos.length > 0 ? majority(served, decided) : null;
      if (m && m.level <= 3) {
        set(ip, m.level, 0.6, [text(`serves ${protos.join('/')} to ${served.size} host${served.size === 1 ? '' : 's'}; ${m.n} of the ${m.of} with a level are at ${levelText(m.level)} (${m.hosts.join(', ')})`)]);
        changed = true;
      }
    }
    for (const ip of open()) {
      const b = beh.get(ip);
      if (!b) continue;
      const servers = new Set<string>();
      const protos: string[] = [];
      for (const [p, s] of b.asClient) {
        if (!CONTROLLER_PROTOCOLS[p]) continue;
        const cs = [...s.peers].filter((x) => lv(x) === 0 || lv(x) === 1);
        if (cs.length === 0) continue;
        protos.push(p);
        for (const x of cs) servers.add(x);
      }
      if (servers.size > 0) {
        set(ip, 2, 0.7, [text(`${protos.join('/')} client of ${servers.size} controller${servers.size === 1 ? '' : 's'} (${[...servers].slice(0, 5).join(', ')}): an HMI / operator station, level 2`)]);
        changed = true;
      }
    }
  }

  const bySubnet = new Map<string, string[]>();
  for (const h of hosts) {
    const k = subnetKey(h);
    if (k) bySubnet.set(k, [...(bySubnet.get(k) ?? []), h]);
  }

  // C. The DMZ: hosts that both the operations side and hosts that never reach it talk to.
  const otPeer = (ip: string): string[] => [...(beh.get(ip)?.peers ?? [])].filter((p) => { const l = lv(p); return l !== undefined && l !== null && l <= 3; });
  // Memoised per decision round: a high-degree server is asked once, not once per peer.
  let itCache = new Map<string, boolean>();
  const itOnly = (ip: string): boolean => {
    let v = itCache.get(ip);
    if (v === undefined) itCache.set(ip, (v = !decided.has(ip) && otPeer(ip).length === 0));
    return v;
  };
  const bridges: Array<[string, Evidence[]]> = [];
  for (const ip of open()) {
    const ot = otPeer(ip);
    const it = [...(beh.get(ip)?.peers ?? [])].filter((p) => itOnly(p));
    if (ot.length > 0 && it.length > 0) {
      bridges.push([ip, [text(`talks to ${ot.length} operations host${ot.length === 1 ? '' : 's'} at levels 0-3 (${ot.slice(0, 3).join(', ')}) and to ${it.length} host${it.length === 1 ? '' : 's'} that never reach them (${it.slice(0, 3).join(', ')}): between operations and the enterprise, level 3.5`)]]);
    }
  }
  for (const [ip, e] of bridges) set(ip, 3.5, 0.6, e);
  itCache = new Map();
  for (const ip of open()) {
    const b = beh.get(ip);
    if (!b) continue;
    const remote = REMOTE.map((p) => b.asServer.get(p)).filter((s) => s !== undefined);
    if (remote.length === 0) continue;
    const clients = new Set<string>();
    for (const s of remote) for (const c of s!.peers) clients.add(c);
    if (![...clients].every((c) => itOnly(c) || (lv(c) ?? 0) >= 3.5)) continue;
    const key = subnetKey(ip);
    const dmzNeighbours = key ? (bySubnet.get(key) ?? []).filter((h) => h !== ip && lv(h) === 3.5).length : 0;
    set(ip, 3.5, dmzNeighbours > 0 ? 0.65 : 0.5, [text(`remote-access server reached by ${clients.size} hosts outside operations: a jump host, level 3.5${dmzNeighbours > 0 ? `; ${dmzNeighbours} host(s) of its /24 are at level 3.5` : ''}`)]);
  }

  // D. The enterprise.
  for (let changed = true; changed; ) {
    changed = false;
    for (const ip of open()) {
      const peers = [...(beh.get(ip)?.peers ?? [])];
      if (otPeer(ip).length > 0) continue;
      const up = peers.filter((p) => { const l = lv(p); return l === 3.5 || l === 4; });
      if (up.length === 0) continue;
      set(ip, 4, 0.6, [text(`talks to ${up.length} host${up.length === 1 ? '' : 's'} at levels 3.5-4 (${up.slice(0, 3).join(', ')}) and none at levels 0-3: enterprise, level 4`)]);
      changed = true;
    }
  }

  // E. The subnet.
  const subnetDecisions: Array<[string, PurdueLevel, Evidence]> = [];
  for (const ip of open()) {
    const k = subnetKey(ip);
    if (!k) continue;
    const levels = (bySubnet.get(k) ?? []).map((h) => lv(h)).filter((l): l is PurdueLevel => l !== undefined && l !== null);
    if (levels.length >= 2 && levels.every((l) => l === levels[0])) {
      subnetDecisions.push([ip, levels[0]!, text(`its subnet ${k} holds ${levels.length} hosts, all at ${levelText(levels[0]!)}`)]);
    }
  }
  for (const [ip, l, e] of subnetDecisions) set(ip, l, 0.5, [e]);

  // F. The peers.
  for (let changed = true; changed; ) {
    changed = false;
    for (const ip of open()) {
      const m = majority(beh.get(ip)?.peers ?? [], decided);
      if (!m) continue;
      set(ip, m.level, 0.4, [text(`${m.n} of its ${m.of} peers with a level are at ${levelText(m.level)} (${m.hosts.join(', ')})`)]);
      changed = true;
    }
  }
  for (const ip of open()) set(ip, null, 0, [text('nothing in the traffic tells its level')]);

  // Signals against the decision stay visible: a host at level 3 or above that reaches controllers
  // directly (a Purdue shortcut worth a look) says so, and its confidence drops.
  for (const ip of hosts) {
    const d = decided.get(ip)!;
    const b = beh.get(ip);
    // Pollers (historians) and OPC UA aggregation servers read controllers by definition.
    if (d.level === null || d.level < 3 || !b || has(roles.get(ip), 'poller') || has(roles.get(ip), 'opcua-server')) continue;
    const reached: string[] = [];
    const protos: string[] = [];
    for (const [p, sp] of b.asClient) {
      if (!CONTROLLER_PROTOCOLS[p]) continue;
      const cs = [...sp.peers].filter((x) => { const l = lv(x); return l === 0 || l === 1; });
      if (cs.length === 0) continue;
      protos.push(p);
      reached.push(...cs);
    }
    if (reached.length === 0) continue;
    const u = [...new Set(reached)].sort();
    d.confidence = Math.round(d.confidence * 0.9 * 100) / 100;
    d.evidence.push(text(`also a ${protos.join('/')} client of ${u.length} controller${u.length === 1 ? '' : 's'} (${u.slice(0, 3).join(', ')}${u.length > 3 ? ', ...' : ''}), as level-2 hosts are: outweighed by the above`));
  }
  return decided;
}
