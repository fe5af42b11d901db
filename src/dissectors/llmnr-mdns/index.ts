/**
 * Multicast DNS (RFC 6762, UDP 5353) and Link-Local Multicast Name Resolution (RFC 4795, UDP 5355):
 * the DNS message format on their own ports, so the DNS dissector's factory builds both. Hosts
 * announce their own names this way (Windows: LLMNR; Apple, Linux avahi, many printers and IoT
 * devices: mDNS), which names hosts that never query a DNS server.
 */
import { dnsFormatDissector } from '../dns/dns.js';

export const mdns = dnsFormatDissector('mdns', 'mDNS', [5353]);
export const llmnr = dnsFormatDissector('llmnr', 'LLMNR', [5355]);
