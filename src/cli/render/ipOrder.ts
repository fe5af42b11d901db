/** Numeric IP order (10.0.0.2 before 10.0.0.10; IPv4 before IPv6) and host/CIDR matching, with ipaddr.js. */
import ipaddr from 'ipaddr.js';

const keyCache = new Map<string, string>();

/** A sort key for an address: 'a' + 8 hex digits for IPv4, 'b' + 32 for IPv6, 'c' + text otherwise. */
export function ipSortKey(ip: string): string {
  let k = keyCache.get(ip);
  if (k !== undefined) return k;
  if (ipaddr.isValid(ip)) {
    const a = ipaddr.parse(ip);
    const hex = a.toByteArray().map((b) => b.toString(16).padStart(2, '0')).join('');
    k = (a.kind() === 'ipv4' ? 'a' : 'b') + hex;
  } else k = `c${ip}`;
  if (keyCache.size < 100_000) keyCache.set(ip, k);
  return k;
}

export function compareIp(a: string, b: string): number {
  const ka = ipSortKey(a);
  const kb = ipSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** A host matcher for an IP or a CIDR (`10.20.1.0/24`); null when `spec` is neither. */
export function hostMatcher(spec: string): ((ip: string) => boolean) | null {
  const s = spec.trim();
  if (ipaddr.isValidCIDR(s)) {
    const [net, bits] = ipaddr.parseCIDR(s);
    return (ip) => {
      if (!ipaddr.isValid(ip)) return false;
      const a = ipaddr.parse(ip);
      return a.kind() === net.kind() && a.match(net, bits);
    };
  }
  if (ipaddr.isValid(s)) {
    const want = ipaddr.parse(s).toNormalizedString();
    return (ip) => ipaddr.isValid(ip) && ipaddr.parse(ip).toNormalizedString() === want;
  }
  return null;
}
