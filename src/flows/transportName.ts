/** Names of IP protocol numbers as flows show them (IANA "Assigned Internet Protocol Numbers"). */

const TRANSPORT_NAMES: Record<number, string> = {
  1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'icmpv6', 89: 'ospf',
  103: 'pim', 112: 'vrrp', 132: 'sctp',
};

/** `tcp`, `udp`, `icmp` ...; other protocol numbers as `ip-N`. */
export function transportName(proto: number): string {
  return TRANSPORT_NAMES[proto] ?? `ip-${proto}`;
}
