/**
 * Host names from DNS-format answers (DNS, mDNS, LLMNR): A, AAAA and PTR records of responses become
 * identity facts `<ip> <name>` (see nameFacts.ts), stored on the responder. Records of class IN only
 * (mDNS's cache-flush bit, RFC 6762 section 10.2, is ignored). Answer and additional sections both
 * count: mDNS puts a host's address records in the additional section.
 */
import type { PduSink } from '../types.js';
import { WHO_SENDER } from '../types.js';
import { ipToString } from '../../decode/format.js';
import type { DnsHeader, DnsRecord, NameRead } from './dnsMessage.js';
import { SECTION_AUTHORITY, readName } from './dnsMessage.js';
import { FACT_ANSWER_A, FACT_ANSWER_AAAA, FACT_ANSWER_PTR } from './nameFacts.js';

export const TYPE_A = 1;
export const TYPE_PTR = 12;
export const TYPE_AAAA = 28;

const words = new Uint32Array(4);

function ipv6At(buf: Buffer, p: number): string {
  for (let i = 0; i < 4; i++) words[i] = buf.readUInt32BE(p + 4 * i);
  return ipToString(words, 6);
}

/** The address an in-addr.arpa / ip6.arpa owner name stands for (RFC 1035 section 3.5, RFC 3596 section 2.5), or null. */
export function reverseNameAddress(name: string): string | null {
  const n = name.toLowerCase();
  if (n.endsWith('.in-addr.arpa')) {
    const parts = n.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((x) => /^(0|[1-9]\d{0,2})$/.test(x) && Number(x) < 256)) return null;
    return parts.reverse().join('.');
  }
  if (n.endsWith('.ip6.arpa')) {
    const nibbles = n.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || !nibbles.every((x) => /^[0-9a-f]$/.test(x))) return null;
    const hex = nibbles.reverse().join('');
    for (let i = 0; i < 4; i++) words[i] = Number.parseInt(hex.slice(8 * i, 8 * i + 8), 16);
    return ipToString(words, 6);
  }
  return null;
}

/** Visitor for walkDnsMessage: reports the names of a response's address and pointer records. */
export function reportAnswer(buf: Buffer, msg: number, end: number, h: DnsHeader, rec: DnsRecord, sink: PduSink, r: NameRead): void {
  if (!h.response || h.rcode !== 0 || rec.section === SECTION_AUTHORITY || (rec.cls & 0x7fff) !== 1) return;
  if (rec.type === TYPE_A && rec.rdlen === 4) {
    if (!readName(buf, msg, end, rec.nameAt, r, true)) return;
    const a = `${buf[rec.rdata]}.${buf[rec.rdata + 1]}.${buf[rec.rdata + 2]}.${buf[rec.rdata + 3]}`;
    sink.identity(WHO_SENDER, FACT_ANSWER_A, `${a} ${r.name}`);
  } else if (rec.type === TYPE_AAAA && rec.rdlen === 16) {
    if (!readName(buf, msg, end, rec.nameAt, r, true)) return;
    sink.identity(WHO_SENDER, FACT_ANSWER_AAAA, `${ipv6At(buf, rec.rdata)} ${r.name}`);
  } else if (rec.type === TYPE_PTR) {
    if (!readName(buf, msg, end, rec.nameAt, r, true)) return;
    const addr = reverseNameAddress(r.name);
    if (addr === null) return;
    const rdEnd = rec.rdata + rec.rdlen;
    if (!readName(buf, msg, end, rec.rdata, r, true) || r.next > rdEnd) {
      sink.violation(r.error || 'DNS_TRUNCATED', `PTR data: ${r.message || 'name runs past the record data'}`, rec.rdata - msg);
      return;
    }
    sink.identity(WHO_SENDER, FACT_ANSWER_PTR, `${addr} ${r.name}`);
  }
}
