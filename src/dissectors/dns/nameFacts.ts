/**
 * Identity facts about a THIRD address, as the name decoders store them in the identities table.
 * A DNS answer names an address that is neither its sender nor its receiver, and a DHCP client often
 * has no address yet, so the PduSink's sender/receiver identity cannot carry the subject. These facts
 * are stored on the sender (WHO_SENDER) with the subject first in the value: `<subject> <text>`
 * (the subject, an IP or a MAC, never holds a space). The assets stage (src/assets/nameFacts.ts) reads
 * them back and puts each on the asset the subject names.
 */

/** DNS / mDNS / LLMNR answer records: value `<ip> <name>`. */
export const FACT_ANSWER_A = 'answer_a';
export const FACT_ANSWER_AAAA = 'answer_aaaa';
/** PTR answer: value `<ip> <name>` (the address decoded from the in-addr.arpa / ip6.arpa owner name). */
export const FACT_ANSWER_PTR = 'answer_ptr';
/** NetBIOS name service NB record: value `<ip> <NAME<xx>>` (name, then its suffix byte as tshark shows it). */
export const FACT_NB_ADDRESS = 'nb_address';
/** DHCP client facts: value `<mac> <text>`. */
export const FACT_DHCP_HOST_NAME = 'client_host_name';
export const FACT_DHCP_VENDOR_CLASS = 'client_vendor_class';
/** DHCP: the client's address (ACK your-address, or the client address of its own request): `<mac> <ip>`. */
export const FACT_DHCP_ADDRESS = 'client_address';

/** The identity keys that hold `<subject> <text>` values. */
export const SUBJECT_FACTS: ReadonlySet<string> = new Set([
  FACT_ANSWER_A, FACT_ANSWER_AAAA, FACT_ANSWER_PTR, FACT_NB_ADDRESS,
  FACT_DHCP_HOST_NAME, FACT_DHCP_VENDOR_CLASS, FACT_DHCP_ADDRESS,
]);

/** Printable text of bytes (ASCII 0x20-0x7e kept, anything else `?`): names end up in reports. */
export function printable(buf: Buffer, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s;
}
