/**
 * DHCP over UDP 67/68 (RFC 2131 section 2, options RFC 2132): the client's host name (option 12) and
 * vendor class (option 60, e.g. "MSFT 5.0", "Rockwell ..."), keyed by the client hardware address
 * (chaddr) because a client asking for a lease has no address yet; the address the server
 * acknowledges (yiaddr of an ACK) or the client renews (ciaddr) ties the MAC to its IP.
 *
 * Reports: fn(0 'message type', option 53 or 0 for plain BOOTP, request (op 1) | response (op 2) |
 * exception (NAK)); identity facts `<mac> <text>` (nameFacts.ts) on the sender. Violations:
 * DHCP_TRUNCATED (fixed header or an option runs past the datagram), DHCP_BAD_MAGIC_COOKIE,
 * DHCP_NO_END (options without the end option 255), DHCP_BAD_OPTION (option 53 of the wrong size).
 */
import type { Dissector, FunctionInfo, PduSink } from '../types.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER, unknownName } from '../types.js';
import { FACT_DHCP_ADDRESS, FACT_DHCP_HOST_NAME, FACT_DHCP_VENDOR_CLASS, printable } from '../dns/nameFacts.js';

/** op .. file: 236 bytes, then the magic cookie 99.130.83.99. */
const FIXED = 236;
const COOKIE = 0x63825363;

const TYPES = [
  'BOOTP', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM', 'FORCERENEW',
  'LEASEQUERY', 'LEASEUNASSIGNED', 'LEASEUNKNOWN', 'LEASEACTIVE', 'BULKLEASEQUERY', 'LEASEQUERYDONE',
  'ACTIVELEASEQUERY', 'LEASEQUERYSTATUS', 'TLS',
];
const NAK = 6;
const ACK = 5;

function describe(_space: number, code: number): FunctionInfo {
  const name = TYPES[code];
  return name ? { name, opClass: 'other' } : { name: unknownName(code), opClass: 'other' };
}

function ipAt(buf: Buffer, p: number): string {
  return `${buf[p]}.${buf[p + 1]}.${buf[p + 2]}.${buf[p + 3]}`;
}

function macAt(buf: Buffer, p: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + buf[p + i]!.toString(16).padStart(2, '0');
  return s;
}

/** Option text as tshark shows an FT_STRINGZ: up to the first NUL. */
function optText(buf: Buffer, p: number, n: number): string {
  let e = p;
  while (e < p + n && buf[e] !== 0) e++;
  return printable(buf, p, e);
}

export const dhcp: Dissector<null> = {
  id: 'dhcp',
  name: 'DHCP',
  transports: ['udp'],
  ports: [67, 68],
  spaces: ['message type'],
  createState: () => null,
  decode(_state: null, buf: Buffer, off: number, len: number, _dir: number, sink: PduSink): void {
    if (len < FIXED + 4) {
      sink.violation('DHCP_TRUNCATED', `DHCP needs ${FIXED + 4} bytes of fixed header and magic cookie, ${len} present`, Math.min(len, FIXED));
      return;
    }
    const op = buf[off]!;
    if (buf.readUInt32BE(off + FIXED) !== COOKIE) {
      sink.violation('DHCP_BAD_MAGIC_COOKIE', `magic cookie 0x${buf.readUInt32BE(off + FIXED).toString(16)} is not 0x63825363`, FIXED);
      return;
    }
    const end = off + len;
    let p = off + FIXED + 4;
    let type = 0;
    let hostName = -1;
    let hostNameLen = 0;
    let vendorClass = -1;
    let vendorClassLen = 0;
    let ended = false;
    while (p < end) {
      const code = buf[p]!;
      if (code === 255) {
        ended = true;
        break;
      }
      if (code === 0) {
        p++;
        continue;
      }
      if (p + 2 > end || p + 2 + buf[p + 1]! > end) {
        sink.violation('DHCP_TRUNCATED', `option ${code} runs past the end of the datagram`, p - off);
        return;
      }
      const n = buf[p + 1]!;
      if (code === 53) {
        if (n !== 1) {
          sink.violation('DHCP_BAD_OPTION', `option 53 (message type) has ${n} bytes, not 1`, p - off);
          return;
        }
        type = buf[p + 2]!;
      } else if (code === 12) {
        hostName = p + 2;
        hostNameLen = n;
      } else if (code === 60) {
        vendorClass = p + 2;
        vendorClassLen = n;
      }
      p += 2 + n;
    }
    if (!ended) {
      sink.violation('DHCP_NO_END', 'options end without the end option (255)', len);
      return;
    }
    sink.fn(0, type, op === 1 ? KIND_REQUEST : type === NAK ? KIND_EXCEPTION : KIND_RESPONSE);
    // Ethernet hardware addresses only (htype 1, hlen 6).
    if (buf[off + 1] !== 1 || buf[off + 2] !== 6) return;
    const mac = macAt(buf, off + 28);
    if (hostName >= 0) {
      const t = optText(buf, hostName, hostNameLen);
      if (t.length > 0) sink.identity(WHO_SENDER, FACT_DHCP_HOST_NAME, `${mac} ${t}`);
    }
    if (vendorClass >= 0) {
      const t = optText(buf, vendorClass, vendorClassLen);
      if (t.length > 0) sink.identity(WHO_SENDER, FACT_DHCP_VENDOR_CLASS, `${mac} ${t}`);
    }
    const ciaddr = buf.readUInt32BE(off + 12);
    const yiaddr = buf.readUInt32BE(off + 16);
    if (op === 2 && type === ACK && yiaddr !== 0) sink.identity(WHO_SENDER, FACT_DHCP_ADDRESS, `${mac} ${ipAt(buf, off + 16)}`);
    else if (op === 1 && ciaddr !== 0) sink.identity(WHO_SENDER, FACT_DHCP_ADDRESS, `${mac} ${ipAt(buf, off + 12)}`);
  },
  describe,
};
