/**
 * DNS over UDP (RFC 1035) and the protocols that share its message format on their own ports: mDNS
 * (RFC 6762, UDP 5353) and LLMNR (RFC 4795, UDP 5355), built by the same factory (see
 * src/dissectors/llmnr-mdns). TCP DNS (length-prefixed, RFC 1035 section 4.2.2) keeps its service label.
 *
 * Reports: fn(0 'opcode', opcode, request | response | exception when rcode != 0); host names of
 * A / AAAA / PTR answers as identity facts (reportAnswers.ts); violations of dnsMessage.ts.
 */
import type { Dissector, FunctionInfo, OpClass, PduSink } from '../types.js';
import { unknownName } from '../types.js';
import { dnsOpcodeName, newNameRead, walkDnsMessage } from './dnsMessage.js';
import { reportAnswer } from './reportAnswers.js';

function opClass(code: number): OpClass {
  if (code === 0) return 'read';
  if (code === 5) return 'write';
  return 'other';
}

export function describeDnsOpcode(_space: number, code: number): FunctionInfo {
  const name = dnsOpcodeName(code);
  return name ? { name, opClass: opClass(code) } : { name: unknownName(code), opClass: 'other' };
}

/** A DNS-format dissector for `ports` over UDP (no per-connection state). */
export function dnsFormatDissector(id: string, name: string, ports: readonly number[]): Dissector<null> {
  const r = newNameRead();
  return {
    id,
    name,
    transports: ['udp'],
    ports,
    spaces: ['opcode'],
    createState: () => null,
    decode(_state: null, buf: Buffer, off: number, len: number, _dir: number, sink: PduSink): void {
      const end = off + len;
      walkDnsMessage(buf, off, len, sink, name, (h, rec) => reportAnswer(buf, off, end, h, rec, sink, r));
    },
    describe: describeDnsOpcode,
  };
}

export const dns = dnsFormatDissector('dns', 'DNS', [53]);
