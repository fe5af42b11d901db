/**
 * Which MAC is each IP's own: from the source MACs of its packets (host_macs) and ARP. A MAC that the
 * packets of many IPs arrive from is a router's (or a firewall's): those IPs are behind it and get no
 * MAC, hence no MAC vendor, from it. The router's own IP is the one that ARP ties to that MAC.
 */
import type { MacRecord } from '../baseline/reader.js';

export interface MacOptions {
  /** A MAC shared by at least this many IPs is a router's (default 4; two or three IPs on one NIC are common). */
  routerMinIps: number;
}

export const DEFAULT_MAC_OPTIONS: MacOptions = { routerMinIps: 4 };

export interface MacResolution {
  /** the IP's own MAC, or null (behind a router, or never seen with one) */
  mac: string | null;
  behindRouter: boolean;
  /** the router MACs its packets came from */
  routerMacs: string[];
  /** ARP said this IP owns `mac` */
  fromArp: boolean;
  firstSeen: number;
  lastSeen: number;
}

export interface RouterInfo {
  mac: string;
  /** IPs whose packets arrived from it */
  ips: number;
  /** the router's own IP (ARP sender of that MAC), when known */
  ownIp: string | null;
}

export interface MacsResult {
  byIp: Map<string, MacResolution>;
  routers: Map<string, RouterInfo>;
}

export function resolveMacs(hostMacs: readonly MacRecord[], arp: readonly MacRecord[], opts: MacOptions = DEFAULT_MAC_OPTIONS): MacsResult {
  const ipsOfMac = new Map<string, Set<string>>();
  for (const m of hostMacs) {
    let s = ipsOfMac.get(m.mac);
    if (!s) ipsOfMac.set(m.mac, (s = new Set()));
    s.add(m.ip);
  }
  const arpOwner = new Map<string, string>();
  const arpByIp = new Map<string, MacRecord>();
  for (const a of arp) {
    if (a.ip === '0.0.0.0') continue;
    const prev = arpByIp.get(a.ip);
    if (!prev || a.packets > prev.packets) arpByIp.set(a.ip, a);
    if (!arpOwner.has(a.mac)) arpOwner.set(a.mac, a.ip);
  }
  const routers = new Map<string, RouterInfo>();
  for (const [mac, ips] of ipsOfMac) {
    if (ips.size >= opts.routerMinIps) routers.set(mac, { mac, ips: ips.size, ownIp: arpOwner.get(mac) ?? null });
  }
  const byIp = new Map<string, MacResolution>();
  const sorted = [...hostMacs].sort((x, y) => (x.ip < y.ip ? -1 : x.ip > y.ip ? 1 : y.packets - x.packets || (x.mac < y.mac ? -1 : 1)));
  for (const m of sorted) {
    let r = byIp.get(m.ip);
    if (!r) byIp.set(m.ip, (r = { mac: null, behindRouter: false, routerMacs: [], fromArp: false, firstSeen: m.firstSeen, lastSeen: m.lastSeen }));
    r.firstSeen = Math.min(r.firstSeen, m.firstSeen);
    r.lastSeen = Math.max(r.lastSeen, m.lastSeen);
    const router = routers.get(m.mac);
    // A router's MAC is its own IP's MAC.
    if (router && router.ownIp !== m.ip) r.routerMacs.push(m.mac);
    else if (r.mac === null) r.mac = m.mac;
  }
  for (const [ip, r] of byIp) {
    const a = arpByIp.get(ip);
    if (a && !routers.has(a.mac)) {
      r.mac = a.mac;
      r.fromArp = true;
    }
    r.behindRouter = r.mac === null && r.routerMacs.length > 0;
  }
  for (const [ip, a] of arpByIp) {
    if (byIp.has(ip)) continue;
    byIp.set(ip, { mac: a.mac, behindRouter: false, routerMacs: [], fromArp: true, firstSeen: a.firstSeen, lastSeen: a.lastSeen });
  }
  return { byIp, routers };
}
