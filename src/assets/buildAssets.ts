/**
 * The assets stage: one asset per IP seen in flows (and per scanning IP and ARP-only IP), plus
 * MAC-only assets (non-IP frames such as PROFINET RT, GOOSE, LLDP from MACs with no IP traffic), each
 * with identity, roles, Purdue level and safety, and the evidence that decided each. Reads the
 * baseline only through BaselineReader; returns data (the CLI renders it).
 */
import ipaddr from 'ipaddr.js';
import type { BaselineReader, FlowRecord, IdentityRecord, L2FrameRecord, MacRecord, ScanRecord } from '../baseline/reader.js';
import type { Asset, AssetSet, Evidence, Inventory, InventoryEntry, PurdueLevel } from './types.js';
import { inventoryEntryFor } from './inventory.js';
import { ouiVendor } from './ouiVendor.js';
import { DEFAULT_MAC_OPTIONS, resolveMacs, type MacOptions } from './resolveMacs.js';
import { summariseBehaviour } from './behaviour.js';
import { DEFAULT_ROLE_OPTIONS, inferRoles, type RoleOptions } from './inferRoles.js';
import { collectIdentityFacts, deviceIdentity, factText, nameFacts, type IdentityFact } from './identityFacts.js';
import { inferLevels, type LevelDecision } from './inferLevels.js';
import { decideSafety } from './decideSafety.js';
import { macOnlyLevel } from './macOnlyLevel.js';

export interface BuildAssetsOptions {
  inventory?: Inventory;
  /** IPs the user names as safety assets (`--safety`) */
  safety?: readonly string[];
  macs?: MacOptions;
  roles?: RoleOptions;
}

/** What buildAssets reads from the baseline (the reader's records). */
export interface AssetInputs {
  flows: readonly FlowRecord[];
  identities: readonly IdentityRecord[];
  hostMacs: readonly MacRecord[];
  arp: readonly MacRecord[];
  l2Frames: readonly L2FrameRecord[];
  scans: readonly ScanRecord[];
}

export function buildAssets(reader: BaselineReader, opts: BuildAssetsOptions = {}): AssetSet {
  const inputs = reader.snapshot(() => ({
    flows: reader.flows(), identities: reader.identities(), hostMacs: reader.hostMacs(), arp: reader.arp(),
    l2Frames: reader.l2Frames(), scans: reader.scans(),
  }));
  return assetsFrom(inputs, opts);
}

/** Sort key: IPv4 before IPv6, numerically; MAC-only assets last, by MAC. */
function sortKey(a: Asset): string {
  if (a.ip === null) return `z${a.id}`;
  try {
    const p = ipaddr.parse(a.ip);
    return `${p.kind() === 'ipv4' ? 'a' : 'b'}${p.toByteArray().map((x) => x.toString(16).padStart(2, '0')).join('')}`;
  } catch {
    return `y${a.ip}`;
  }
}

function withLocation(f: IdentityFact, about: Evidence['about'], text: string): Evidence {
  return { about, text, source: f.protocol, capture: f.capture ?? undefined, frame: f.frame, firstSeen: f.firstSeen, lastSeen: f.lastSeen };
}

function levelOverride(d: LevelDecision, e: InventoryEntry, file: string): LevelDecision {
  if (e.purdueLevel === null) return d;
  const traffic = d.level === null ? 'the traffic tells none' : d.level === e.purdueLevel ? `the traffic agrees: level ${d.level}` : `the traffic says level ${d.level}`;
  return {
    level: e.purdueLevel,
    confidence: 1,
    evidence: [{ about: 'level', text: `inventory ${file}:${e.line} (${e.id}): purdue_level ${e.purdueLevel} overrides the traffic (${traffic})`, source: 'inventory', line: e.line }, ...d.evidence],
  };
}

/**
 * Is `ip` a host: not unspecified (0.0.0.0, ::), broadcast or multicast, and not an IPv4 address ending
 * in .255 that never sent a packet (a directed broadcast: `sources` holds the IPs seen as senders).
 */
export function isHostAddress(ip: string, sources: ReadonlySet<string>): boolean {
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    a = ipaddr.parse(ip);
  } catch {
    return false;
  }
  const range = a.range();
  if (range === 'unspecified' || range === 'broadcast' || range === 'multicast') return false;
  return !(a.kind() === 'ipv4' && ip.endsWith('.255') && !sources.has(ip));
}

export function assetsFrom(inputs: AssetInputs, opts: BuildAssetsOptions = {}): AssetSet {
  const sources = new Set<string>();
  for (const m of inputs.hostMacs) sources.add(m.ip);
  const hostCache = new Map<string, boolean>();
  const isHost = (ip: string): boolean => {
    let v = hostCache.get(ip);
    if (v === undefined) hostCache.set(ip, (v = isHostAddress(ip, sources)));
    return v;
  };
  const beh = summariseBehaviour(inputs.flows, isHost);
  const roles = inferRoles(beh, inputs.scans, opts.roles ?? DEFAULT_ROLE_OPTIONS);
  const macs = resolveMacs(inputs.hostMacs, inputs.arp, opts.macs ?? DEFAULT_MAC_OPTIONS);
  const facts = collectIdentityFacts(inputs.identities);
  const ips = new Set<string>(beh.keys());
  for (const s of inputs.scans) if (s.kind === 'scan' && isHost(s.host)) ips.add(s.host);
  for (const [ip, m] of macs.byIp) if (m.fromArp && !beh.has(ip) && isHost(ip)) ips.add(ip);
  const hosts = [...ips].sort();

  // Facts per IP: its own, those about its MAC (DHCP), those about the MAC DHCP gave its address to.
  const macOfIp = new Map<string, string | null>();
  for (const ip of hosts) macOfIp.set(ip, macs.byIp.get(ip)?.mac ?? null);
  const ipOfDhcpMac = new Map<string, string>();
  for (const [mac, ip] of facts.dhcpAddress) ipOfDhcpMac.set(mac, ip);
  const factsOf = new Map<string, IdentityFact[]>();
  for (const ip of hosts) factsOf.set(ip, [...(facts.byIp.get(ip) ?? [])]);
  const ipsOfMac = new Map<string, string[]>();
  for (const [ip, mac] of macOfIp) if (mac) ipsOfMac.set(mac, [...(ipsOfMac.get(mac) ?? []), ip]);
  for (const [mac, list] of facts.byMac) {
    const owners = new Set<string>(ipsOfMac.get(mac) ?? []);
    const dhcpIp = ipOfDhcpMac.get(mac);
    if (dhcpIp && ips.has(dhcpIp)) owners.add(dhcpIp);
    for (const ip of owners) factsOf.get(ip)!.push(...list);
  }

  const levels = inferLevels(hosts, beh, roles, factsOf);
  const inventory = opts.inventory;
  const invFile = inventory?.file ?? null;
  const safetyIps = new Set(opts.safety ?? []);
  const matched = new Set<InventoryEntry>();
  const assets: Asset[] = [];
  const routerOf = new Map<string, { mac: string; ips: number }>();
  for (const r of macs.routers.values()) if (r.ownIp) routerOf.set(r.ownIp, r);

  const finish = (a: Asset, fl: readonly IdentityFact[], level: LevelDecision, entry: InventoryEntry | null): void => {
    const dev = deviceIdentity(fl);
    const names = nameFacts(fl);
    const hostnames: string[] = [];
    for (const f of names) if (!hostnames.includes(f.value)) hostnames.push(f.value);
    a.hostnames = hostnames;
    a.identity = dev.attributes;
    const ev: Evidence[] = [];
    if (a.mac && !a.behindRouter) {
      const v = ouiVendor(a.mac);
      if (v) ev.push({ about: 'identity', text: `MAC ${a.mac} is registered to ${v} (IEEE OUI)`, source: 'oui' });
      a.vendor = v;
    }
    if (dev.vendor) {
      a.vendor = dev.vendor.value;
      ev.push(withLocation(dev.vendor, 'identity', factText(dev.vendor)));
    }
    if (dev.product) {
      a.product = dev.product.value;
      if (dev.product !== dev.vendor) ev.push(withLocation(dev.product, 'identity', factText(dev.product)));
    }
    for (const f of fl) if (f !== dev.vendor && f !== dev.product && !names.includes(f)) ev.push(withLocation(f, 'identity', factText(f)));
    for (const f of names) ev.push(withLocation(f, 'identity', factText(f)));
    if (entry) {
      matched.add(entry);
      a.inInventory = true;
      a.inventoryId = entry.id;
      const single = entry.prefix === null || entry.prefix === (entry.ip?.includes(':') ? 128 : 32);
      if (entry.name && entry.name !== entry.id) a.identity = { ...a.identity, inventory_name: entry.name };
      ev.push({ about: 'identity', text: `inventory ${invFile}:${entry.line}: ${entry.id} (${entry.name}${entry.ip ? `, ${entry.ip}` : ''}${entry.role ? `, role ${entry.role}` : ''})`, source: 'inventory', line: entry.line });
      a.name = single ? entry.id || entry.name : hostnames[0] ?? null;
      level = levelOverride(level, entry, invFile ?? '');
    } else {
      a.name = hostnames[0] ?? null;
    }
    a.purdueLevel = level.level;
    a.levelConfidence = level.confidence;
    const r = a.ip ? roles.get(a.ip) : undefined;
    const safety = decideSafety(a.ip, r, fl, entry, safetyIps, invFile);
    a.safety = safety.length > 0;
    a.safetyReason = safety[0]?.text ?? null;
    if (r) {
      a.roles = r.roles.map((x) => ({ ...x }));
      ev.push(...r.evidence);
    }
    ev.push(...level.evidence, ...safety);
    a.evidence = ev;
    assets.push(a);
  };

  for (const ip of hosts) {
    const b = beh.get(ip);
    const m = macs.byIp.get(ip);
    const a: Asset = {
      id: ip, ip, mac: m?.mac ?? null, behindRouter: m?.behindRouter ?? false, name: null, hostnames: [], inventoryId: null,
      vendor: null, product: null, identity: {}, roles: [], purdueLevel: null, levelConfidence: 0, safety: false, safetyReason: null,
      packets: b?.packets ?? 0, bytes: b?.bytes ?? 0,
      firstSeen: b && Number.isFinite(b.firstSeen) ? b.firstSeen : m?.firstSeen ?? 0,
      lastSeen: b && Number.isFinite(b.lastSeen) ? b.lastSeen : m?.lastSeen ?? 0,
      inInventory: false, evidence: [],
    };
    const entry = inventory ? inventoryEntryFor(inventory.entries, ip, a.mac) : null;
    finish(a, factsOf.get(ip) ?? [], levels.get(ip)!, entry);
    const ownRouter = routerOf.get(ip);
    if (ownRouter) {
      a.roles.push({ role: 'router', count: ownRouter.ips });
      a.evidence.push({ about: 'router', text: `packets of ${ownRouter.ips} IPs arrive from its MAC ${ownRouter.mac}: a router`, source: 'traffic' });
    }
    if (m?.behindRouter) {
      a.evidence.push({ about: 'router', text: `its packets arrive from ${m.routerMacs.join(', ')}, a MAC that many IPs share (a router): behind a router, no MAC vendor from it`, source: 'traffic', firstSeen: m.firstSeen, lastSeen: m.lastSeen });
    }
    if (!b && m?.fromArp) a.evidence.push({ about: 'identity', text: `seen only in ARP (${m.mac})`, source: 'arp', firstSeen: m.firstSeen, lastSeen: m.lastSeen });
  }

  // MAC-only assets: non-IP frames from MACs with no IP.
  const known = new Set<string>();
  for (const r of inputs.hostMacs) known.add(r.mac);
  for (const r of inputs.arp) known.add(r.mac);
  const l2 = new Map<string, L2FrameRecord[]>();
  for (const f of inputs.l2Frames) {
    if (known.has(f.mac) || (Number.parseInt(f.mac.slice(0, 2), 16) & 1) !== 0) continue;
    const list = l2.get(f.mac) ?? [];
    list.push(f);
    l2.set(f.mac, list);
  }
  for (const [mac, frames] of [...l2].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const a: Asset = {
      id: mac, ip: null, mac, behindRouter: false, name: null, hostnames: [], inventoryId: null, vendor: null, product: null,
      identity: {}, roles: [], purdueLevel: null, levelConfidence: 0, safety: false, safetyReason: null,
      packets: frames.reduce((s, f) => s + f.packets, 0), bytes: frames.reduce((s, f) => s + f.bytes, 0),
      firstSeen: Math.min(...frames.map((f) => f.firstSeen)), lastSeen: Math.max(...frames.map((f) => f.lastSeen)),
      inInventory: false, evidence: [],
    };
    const { level, roles: l2roles } = macOnlyLevel(frames);
    const entry = inventory ? inventoryEntryFor(inventory.entries, null, mac) : null;
    finish(a, [], level, entry);
    a.roles.push(...l2roles.roles);
    a.evidence.push(...l2roles.evidence);
  }

  const keys = new Map<Asset, string>();
  for (const a of assets) keys.set(a, sortKey(a));
  assets.sort((x, y) => (keys.get(x)! < keys.get(y)! ? -1 : keys.get(x)! > keys.get(y)! ? 1 : 0));
  const unseen = inventory ? inventory.entries.filter((e) => !matched.has(e)) : [];
  const uninventoried = inventory ? assets.filter((a) => !a.inInventory).map((a) => a.id) : [];
  return { assets, unseen, uninventoried, diagnostics: inventory ? [...inventory.diagnostics] : [] };
}

export type { PurdueLevel };
