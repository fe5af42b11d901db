/**
 * NetBIOS name service over UDP 137 (RFC 1001 / RFC 1002 section 4.2): the DNS message format with
 * first-level encoded names (RFC 1001 section 14.1: each half-byte of the 16-byte NetBIOS name as a
 * letter 'A'..'P'). Windows hosts register and announce their names here, which names hosts that
 * never use DNS.
 *
 * Reports: fn(0 'opcode', opcode, request | response | exception when rcode != 0); for every NB
 * record (type 0x20, answer or additional section) of a unique (non-group) name with a non-zero
 * address, the fact `<ip> <NAME<xx>>` (nameFacts.ts; the suffix byte as tshark shows it: <00>
 * workstation, <20> file server, ...); for a node status response (NBSTAT, type 0x21) the sender's own
 * unique names as identity 'netbios_name'. Violations: those of dnsMessage.ts, NBNS_BAD_NAME (a name
 * that is not first-level encoded) and NBNS_BAD_RDATA (record data of the wrong size).
 */
import type { Dissector, FunctionInfo, OpClass, PduSink } from '../types.js';
import { WHO_SENDER, unknownName } from '../types.js';
import type { DnsHeader, DnsRecord, NameRead } from '../dns/dnsMessage.js';
import { SECTION_AUTHORITY, newNameRead, readName, walkDnsMessage } from '../dns/dnsMessage.js';
import { FACT_NB_ADDRESS, printable } from '../dns/nameFacts.js';

export const NBNS_PORT = 137;
const TYPE_NB = 0x20;
const TYPE_NBSTAT = 0x21;
/** The sender's own name from a node status response. */
export const IDENTITY_NETBIOS_NAME = 'netbios_name';

const OPCODES: Record<number, [string, OpClass]> = {
  0: ['QUERY', 'read'],
  5: ['REGISTRATION', 'other'],
  6: ['RELEASE', 'other'],
  7: ['WACK', 'other'],
  8: ['REFRESH', 'other'],
  9: ['REFRESH_ALT', 'other'],
  15: ['MULTI_HOMED_REGISTRATION', 'other'],
};

function describe(_space: number, code: number): FunctionInfo {
  const e = OPCODES[code];
  return e ? { name: e[0], opClass: e[1] } : { name: unknownName(code), opClass: 'other' };
}

/** The 15-character name (trailing spaces removed) with its suffix, as tshark shows it: `NAME<xx>`. */
function nameWithSuffix(raw: Buffer, at: number, n: number): string {
  let e = at + n - 1;
  while (e > at && raw[e - 1] === 0x20) e--;
  return `${printable(raw, at, e)}<${raw[at + n - 1]!.toString(16).padStart(2, '0')}>`;
}

const decoded = Buffer.alloc(16);

/** Decodes a first-level encoded name (`r.name` as read by readName) into `NAME<xx>[.scope]`, or null. */
export function decodeNetbiosName(encoded: string): string | null {
  const dot = encoded.indexOf('.');
  const first = dot < 0 ? encoded : encoded.slice(0, dot);
  if (first.length !== 32) return null;
  for (let i = 0; i < 16; i++) {
    const hi = first.charCodeAt(2 * i) - 0x41;
    const lo = first.charCodeAt(2 * i + 1) - 0x41;
    if (hi < 0 || hi > 15 || lo < 0 || lo > 15) return null;
    decoded[i] = (hi << 4) | lo;
  }
  const name = nameWithSuffix(decoded, 0, 16);
  return dot < 0 ? name : `${name}${encoded.slice(dot)}`;
}

function visit(buf: Buffer, msg: number, end: number, h: DnsHeader, rec: DnsRecord, sink: PduSink, r: NameRead): void {
  if (rec.section === SECTION_AUTHORITY || (rec.cls & 0x7fff) !== 1) return;
  if (rec.type === TYPE_NB) {
    if (h.rcode !== 0 || rec.rdlen === 0) return;
    if (rec.rdlen % 6 !== 0) {
      sink.violation('NBNS_BAD_RDATA', `NB record data of ${rec.rdlen} bytes is not a multiple of 6`, rec.rdata - msg);
      return;
    }
    if (!readName(buf, msg, end, rec.nameAt, r, true)) return;
    const name = decodeNetbiosName(r.name);
    if (name === null) {
      sink.violation('NBNS_BAD_NAME', `'${r.name}' is not a first-level encoded NetBIOS name`, rec.nameAt - msg);
      return;
    }
    for (let p = rec.rdata; p < rec.rdata + rec.rdlen; p += 6) {
      const group = (buf[p]! & 0x80) !== 0;
      const a = `${buf[p + 2]}.${buf[p + 3]}.${buf[p + 4]}.${buf[p + 5]}`;
      if (!group && a !== '0.0.0.0') sink.identity(WHO_SENDER, FACT_NB_ADDRESS, `${a} ${name}`);
    }
  } else if (rec.type === TYPE_NBSTAT && h.response && h.rcode === 0) {
    const n = rec.rdlen > 0 ? buf[rec.rdata]! : 0;
    if (rec.rdlen < 1 + 18 * n) {
      sink.violation('NBNS_BAD_RDATA', `node status lists ${n} names in ${rec.rdlen} bytes`, rec.rdata - msg);
      return;
    }
    for (let i = 0; i < n; i++) {
      const p = rec.rdata + 1 + 18 * i;
      if ((buf[p + 16]! & 0x80) === 0) sink.identity(WHO_SENDER, IDENTITY_NETBIOS_NAME, nameWithSuffix(buf, p, 16));
    }
  }
}

const r = newNameRead();

export const netbiosNs: Dissector<null> = {
  id: 'netbios',
  name: 'NetBIOS Name Service',
  transports: ['udp'],
  ports: [NBNS_PORT],
  spaces: ['opcode'],
  createState: () => null,
  decode(_state: null, buf: Buffer, off: number, len: number, _dir: number, sink: PduSink): void {
    const end = off + len;
    walkDnsMessage(buf, off, len, sink, 'NBNS', (h, rec) => visit(buf, off, end, h, rec, sink, r));
  },
  describe,
};
