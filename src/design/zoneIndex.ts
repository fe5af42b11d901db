/**
 * Which zone an observed host is in: every asset entry's targets (IPs, CIDRs, MACs) indexed once; for
 * a host, the most specific matching entry wins (a host IP or its MAC beats a /24, a /24 beats a /16).
 * Ties between zones at the same specificity are reported as conflicts (the first zone in document
 * order is used, and the caller says so).
 */
import ipaddr from 'ipaddr.js';
import type { Design } from './types.js';

/** Specificity of a host entry (exact IP or MAC): above every prefix length. */
export const HOST_SPECIFICITY = 1000;

interface V4Entry {
  net: number;
  mask: number;
  spec: number;
  zone: number;
}

interface V6Entry {
  net: ipaddr.IPv6;
  prefix: number;
  spec: number;
  zone: number;
}

export interface ZoneLookup {
  zone: string | null;
  /** zones tied at the winning specificity, when more than one */
  conflict: string[] | null;
}

const v4int = (a: ipaddr.IPv4): number => {
  const b = a.octets;
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
};

export class ZoneIndex {
  readonly #zones: string[];
  readonly #v4: V4Entry[] = [];
  readonly #v6: V6Entry[] = [];
  readonly #macs = new Map<string, number[]>();
  readonly #cache = new Map<string, ZoneLookup>();

  constructor(design: Design) {
    this.#zones = design.zones.map((z) => z.id);
    design.zones.forEach((z, zi) => {
      for (const a of z.assets) {
        for (const t of a.targets) {
          if (t.kind === 'mac') {
            const l = this.#macs.get(t.mac) ?? [];
            if (!l.includes(zi)) l.push(zi);
            this.#macs.set(t.mac, l);
          } else if (t.family === 4) {
            const mask = t.prefix === 0 ? 0 : (0xffffffff << (32 - t.prefix)) >>> 0;
            this.#v4.push({ net: (v4int(ipaddr.IPv4.parse(t.ip)) & mask) >>> 0, mask, spec: t.prefix === 32 ? HOST_SPECIFICITY : t.prefix, zone: zi });
          } else {
            this.#v6.push({ net: ipaddr.IPv6.parse(t.ip), prefix: t.prefix, spec: t.prefix === 128 ? HOST_SPECIFICITY : t.prefix, zone: zi });
          }
        }
      }
    });
  }

  /** The zone of a host by its IP and (when known and its own) its MAC. */
  lookup(ip: string, mac: string | null = null): ZoneLookup {
    const key = mac ? `${ip}|${mac}` : ip;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    let best = -1;
    let zones: number[] = [];
    const offer = (spec: number, zone: number): void => {
      if (spec > best) {
        best = spec;
        zones = [zone];
      } else if (spec === best && !zones.includes(zone)) zones.push(zone);
    };
    let addr: ipaddr.IPv4 | ipaddr.IPv6 | null = null;
    try {
      addr = ipaddr.parse(ip);
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
    } catch {
      addr = null;
    }
    if (addr && addr.kind() === 'ipv4') {
      const n = v4int(addr as ipaddr.IPv4);
      for (const e of this.#v4) if (((n & e.mask) >>> 0) === e.net) offer(e.spec, e.zone);
    } else if (addr) {
      for (const e of this.#v6) if ((addr as ipaddr.IPv6).match(e.net, e.prefix)) offer(e.spec, e.zone);
    }
    if (mac) for (const z of this.#macs.get(mac) ?? []) offer(HOST_SPECIFICITY, z);
    zones.sort((a, b) => a - b);
    const r: ZoneLookup = {
      zone: zones.length > 0 ? this.#zones[zones[0]!]! : null,
      conflict: zones.length > 1 ? zones.map((z) => this.#zones[z]!) : null,
    };
    this.#cache.set(key, r);
    return r;
  }
}

const localCache = new Map<string, boolean>();

/** Broadcast and multicast destinations never cross a conduit as a routed flow. */
export function isLocalDestination(ip: string): boolean {
  const hit = localCache.get(ip);
  if (hit !== undefined) return hit;
  let local = false;
  try {
    const range = ipaddr.parse(ip).range();
    local = range === 'broadcast' || range === 'multicast';
  } catch {
    local = false;
  }
  if (localCache.size > 100_000) localCache.clear();
  localCache.set(ip, local);
  return local;
}
