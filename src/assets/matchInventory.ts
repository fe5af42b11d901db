/**
 * Which inventory row describes an observed asset: a row naming its MAC first, else the most specific
 * row whose IP or CIDR holds its IP (a /32 row beats the /16 it lies in). A CIDR row covers every host
 * in it. Rows that no observed asset matches are `unseen`; assets that no row covers are `uninventoried`.
 */
import ipaddr from 'ipaddr.js';
import type { InventoryEntry } from './types.js';

interface Net {
  entry: InventoryEntry;
  addr: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
}

export interface InventoryMatcher {
  entryFor(ip: string | null, mac: string | null): InventoryEntry | null;
}

function parse(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    const a = ipaddr.parse(ip);
    return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
  } catch {
    return null;
  }
}

export function inventoryMatcher(entries: readonly InventoryEntry[]): InventoryMatcher {
  const byMac = new Map<string, InventoryEntry>();
  const nets: Net[] = [];
  for (const e of entries) {
    if (e.mac) {
      const m = e.mac.toLowerCase();
      if (!byMac.has(m)) byMac.set(m, e);
    }
    if (e.ip) {
      const addr = parse(e.ip.split('/')[0]!);
      if (!addr) continue;
      nets.push({ entry: e, addr, prefix: e.prefix ?? (addr.kind() === 'ipv4' ? 32 : 128) });
    }
  }
  // Most specific first; the earlier line on a tie.
  nets.sort((x, y) => y.prefix - x.prefix || x.entry.line - y.entry.line);
  const exact = new Map<string, InventoryEntry>();
  for (const n of nets) if (n.prefix === (n.addr.kind() === 'ipv4' ? 32 : 128) && !exact.has(n.addr.toString())) exact.set(n.addr.toString(), n.entry);
  const cidrs = nets.filter((n) => n.prefix !== (n.addr.kind() === 'ipv4' ? 32 : 128));
  return {
    entryFor(ip, mac) {
      if (mac) {
        const e = byMac.get(mac.toLowerCase());
        if (e) return e;
      }
      if (!ip) return null;
      const a = parse(ip);
      if (!a) return null;
      const hit = exact.get(a.toString());
      if (hit) return hit;
      for (const n of cidrs) if (n.addr.kind() === a.kind() && a.match(n.addr, n.prefix)) return n.entry;
      return null;
    },
  };
}
