/**
 * The DNS message format (RFC 1035 section 4.1), shared by DNS, mDNS (RFC 6762), LLMNR (RFC 4795) and
 * the NetBIOS name service (RFC 1002 section 4.2, the same header and resource records): a walker that
 * validates the header, every question and resource record (names with compression pointers, RFC 1035
 * section 4.1.4), counts the message with fn(), and hands each resource record to a visitor. Names are
 * built as strings only when a visitor asks (answers are rare next to queries).
 *
 * Violations: DNS_TRUNCATED (header, name, question or record runs past the datagram), DNS_BAD_LABEL
 * (label type 0x40/0x80, RFC 6891 section 5), DNS_BAD_POINTER (a compression pointer that does not
 * point back into the message), DNS_NAME_TOO_LONG (over 255 bytes, RFC 1035 section 2.3.4),
 * DNS_TRAILING_BYTES (bytes after the last record the header counts).
 */
import type { DiagnosticCode } from '../../diagnosticCatalogue.js';
import type { PduSink } from '../types.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../types.js';
import { printable } from './nameFacts.js';

export const DNS_HEADER = 12;
export const SECTION_ANSWER = 1;
export const SECTION_AUTHORITY = 2;
export const SECTION_ADDITIONAL = 3;

/** One resource record, valid during the visitor call only (offsets into the buffer given). */
export interface DnsRecord {
  section: number;
  /** offset of the owner name (read it with readName) */
  nameAt: number;
  type: number;
  cls: number;
  ttl: number;
  rdata: number;
  rdlen: number;
}

export interface DnsHeader {
  id: number;
  response: boolean;
  opcode: number;
  rcode: number;
  qd: number;
  an: number;
  ns: number;
  ar: number;
}

/** Result of reading a name: `next` is the offset after the name in place, -1 with `error` set on failure. */
export interface NameRead {
  name: string;
  next: number;
  /** '' when the name was read */
  error: DiagnosticCode | '';
  errorAt: number;
  message: string;
}

export function newNameRead(): NameRead {
  return { name: '', next: -1, error: '', errorAt: 0, message: '' };
}

function fail(r: NameRead, code: DiagnosticCode, message: string, at: number): false {
  r.error = code;
  r.message = message;
  r.errorAt = at;
  r.next = -1;
  return false;
}

/**
 * Reads (or, with build false, only checks) the name at `p` of the message buf[msg, end). The text form
 * is tshark's: labels joined with '.', `<Root>` for the root name. Label bytes outside printable ASCII
 * become '?'.
 */
export function readName(buf: Buffer, msg: number, end: number, p: number, r: NameRead, build: boolean): boolean {
  let name = '';
  let pos = p;
  let next = -1;
  let total = 0;
  let jumps = 0;
  for (;;) {
    if (pos >= end) return fail(r, 'DNS_TRUNCATED', 'name runs past the end of the message', pos - msg);
    const b = buf[pos]!;
    if (b === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    const kind = b & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= end) return fail(r, 'DNS_TRUNCATED', 'compression pointer runs past the end of the message', pos - msg);
      const target = msg + (((b & 0x3f) << 8) | buf[pos + 1]!);
      if (next < 0) next = pos + 2;
      // A pointer points back to a prior occurrence (RFC 1035 section 4.1.4): forward or self pointers could loop.
      if (target >= pos || ++jumps > 127) return fail(r, 'DNS_BAD_POINTER', `compression pointer to offset ${target - msg} does not point back`, pos - msg);
      pos = target;
      continue;
    }
    if (kind !== 0) return fail(r, 'DNS_BAD_LABEL', `label type 0x${kind.toString(16)} is not supported`, pos - msg);
    if (pos + 1 + b > end) return fail(r, 'DNS_TRUNCATED', `label of ${b} bytes runs past the end of the message`, pos - msg);
    total += b + 1;
    if (total > 255) return fail(r, 'DNS_NAME_TOO_LONG', 'name longer than 255 bytes', pos - msg);
    if (build) name += (name.length > 0 ? '.' : '') + printable(buf, pos + 1, pos + 1 + b);
    pos += 1 + b;
  }
  r.name = build ? (name.length > 0 ? name : '<Root>') : '';
  r.next = next;
  r.error = '';
  return true;
}

/**
 * Walks one message at buf[off, off+len): counts it (fn(0, opcode, request | response | exception for
 * a non-zero rcode)) as soon as the header is read, then checks every question and record, calling
 * `visit` for each record. Returns the header, or null when the header itself is truncated.
 * Reports the first violation and stops there.
 */
export function walkDnsMessage(
  buf: Buffer, off: number, len: number, sink: PduSink, proto: string,
  visit: ((h: DnsHeader, rec: DnsRecord) => void) | null,
): DnsHeader | null {
  if (len < DNS_HEADER) {
    sink.violation('DNS_TRUNCATED', `${proto} header needs ${DNS_HEADER} bytes, ${len} present`, 0);
    return null;
  }
  const end = off + len;
  const flags = buf.readUInt16BE(off + 2);
  const h: DnsHeader = {
    id: buf.readUInt16BE(off),
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    rcode: flags & 0xf,
    qd: buf.readUInt16BE(off + 4),
    an: buf.readUInt16BE(off + 6),
    ns: buf.readUInt16BE(off + 8),
    ar: buf.readUInt16BE(off + 10),
  };
  sink.fn(0, h.opcode, h.response ? (h.rcode !== 0 ? KIND_EXCEPTION : KIND_RESPONSE) : KIND_REQUEST);
  const r = newNameRead();
  let p = off + DNS_HEADER;
  for (let i = 0; i < h.qd; i++) {
    if (!readName(buf, off, end, p, r, false)) {
      sink.violation(r.error || 'DNS_TRUNCATED', `question ${i + 1}: ${r.message}`, r.errorAt);
      return h;
    }
    p = r.next;
    if (p + 4 > end) {
      sink.violation('DNS_TRUNCATED', `question ${i + 1}: type and class run past the end`, p - off);
      return h;
    }
    p += 4;
  }
  const rec: DnsRecord = { section: 0, nameAt: 0, type: 0, cls: 0, ttl: 0, rdata: 0, rdlen: 0 };
  const sections = [h.an, h.ns, h.ar];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < sections[s]!; i++) {
      if (!readName(buf, off, end, p, r, false)) {
        sink.violation(r.error || 'DNS_TRUNCATED', `record ${i + 1} of section ${s + 1}: ${r.message}`, r.errorAt);
        return h;
      }
      const at = p;
      p = r.next;
      if (p + 10 > end) {
        sink.violation('DNS_TRUNCATED', `record ${i + 1} of section ${s + 1}: fixed fields run past the end`, p - off);
        return h;
      }
      rec.section = s + 1;
      rec.nameAt = at;
      rec.type = buf.readUInt16BE(p);
      rec.cls = buf.readUInt16BE(p + 2);
      rec.ttl = buf.readUInt32BE(p + 4);
      rec.rdlen = buf.readUInt16BE(p + 8);
      rec.rdata = p + 10;
      if (rec.rdata + rec.rdlen > end) {
        sink.violation('DNS_TRUNCATED', `record ${i + 1} of section ${s + 1}: ${rec.rdlen} data bytes, ${end - rec.rdata} left`, p + 8 - off);
        return h;
      }
      p = rec.rdata + rec.rdlen;
      if (visit) visit(h, rec);
    }
  }
  if (p < end) sink.violation('DNS_TRAILING_BYTES', `${end - p} bytes after the last record`, p - off);
  return h;
}

/** DNS opcodes (IANA DNS parameters). */
const OPCODES: Record<number, string> = { 0: 'QUERY', 1: 'IQUERY', 2: 'STATUS', 4: 'NOTIFY', 5: 'UPDATE', 6: 'DSO' };

export function dnsOpcodeName(code: number): string | undefined {
  return OPCODES[code];
}
