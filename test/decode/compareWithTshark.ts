/**
 * Per-frame comparison of decodePacket()'s output with a tshark row (tsharkOracle.ts). Returns the
 * mismatches as readable strings (empty when the frame agrees), so a failing test names the frame and
 * the field. tshark peculiarities handled here:
 * - repeated fields (QinQ C-TAG vlan.id, the inner IP/TCP/UDP header quoted by an ICMP error, tunnels):
 *   the first occurrence is the outer header, which is the one decodePacket() reads;
 * - tcp.flags includes the NS/reserved bits (12 bits): only the low 8 bits are in DecodedPacket;
 * - udp.length of a first IP fragment is the whole datagram's; payloadWireLen is the fragment's share.
 */
import type { CaptureRecord } from '../../src/ingest/record.js';
import { DECODE, type DecodeResult, type DecodedPacket } from '../../src/decode/packet.js';
import { ipToString, macToString } from '../../src/decode/format.js';
import type { OracleRow } from './tsharkOracle.js';

const num = (s: string | undefined): number => (s === undefined ? NaN : Number(s));

export function compareWithTshark(rec: CaptureRecord, out: DecodedPacket, result: DecodeResult, row: OracleRow): string[] {
  const bad: string[] = [];
  const eq = (what: string, ours: unknown, theirs: unknown): void => {
    if (ours !== theirs) bad.push(`${what}: ours ${String(ours)} tshark ${String(theirs)}`);
  };
  const b = rec.data;

  // ---- L2 ----
  const mac = row['eth.src'][0] ?? row['sll.src.eth'][0];
  if (mac !== undefined) eq('src mac', out.srcMacOff >= 0 ? macToString(b, out.srcMacOff) : 'none', mac);
  // tshark dissects an 802.1ad S-TAG as ieee8021ad (no field for the EtherType after it) and the
  // C-TAGs as vlan; the S-TAG is the outer one.
  const vids = [...row['ieee8021ad.id'], ...row['vlan.id']].map(num);
  eq('vlan outer', out.vlanOuter, vids.length > 0 ? vids[0] : -1);
  eq('vlan inner', out.vlanInner, vids.length > 1 ? vids[1] : -1);
  let etherType: number | undefined;
  if (row['vlan.etype'].length > 0) etherType = num(row['vlan.etype'][row['vlan.etype'].length - 1]);
  else if (row['ieee8021ad.id'].length > 0) etherType = undefined;
  else if (row['eth.type'].length > 0) etherType = num(row['eth.type'][0]);
  else if (row['sll.etype'].length > 0) etherType = num(row['sll.etype'][0]);
  else if (row['eth.len'].length > 0) etherType = 0;
  else if (row['null.family'].length > 0) {
    const af = num(row['null.family'][0]);
    etherType = af === 2 ? 0x0800 : af === 24 || af === 28 || af === 30 ? 0x86dd : 0;
  }
  if (etherType !== undefined) eq('etherType', out.etherType, etherType);

  // ---- ARP ----
  if (row['arp.src.proto_ipv4'].length > 0) {
    eq('result', result, DECODE.ARP);
    eq('arp op', out.arpOp, num(row['arp.opcode'][0]));
    eq('arp sender mac', out.arpSenderMacOff >= 0 ? macToString(b, out.arpSenderMacOff) : 'none', row['arp.src.hw_mac'][0]);
    eq('arp sender ip', ipv4(out.arpSenderIp), row['arp.src.proto_ipv4'][0]);
    eq('arp target ip', ipv4(out.arpTargetIp), row['arp.dst.proto_ipv4'][0]);
  } else if (result === DECODE.ARP) {
    bad.push('ours ARP, tshark no ARP');
  }

  // ---- L3 ----
  const tv4 = row['ip.src'].length > 0;
  const tv6 = row['ipv6.src'].length > 0;
  if (result === DECODE.IP) {
    if (out.ipVersion === 4) {
      if (!tv4) bad.push('ours IPv4, tshark no ip');
      eq('ip src', ipToString(out.src, 4), row['ip.src'][0]);
      eq('ip dst', ipToString(out.dst, 4), row['ip.dst'][0]);
      eq('ip proto', out.proto, num(row['ip.proto'][0]));
      eq('ip id', out.ipId, num(row['ip.id'][0]));
      eq('ip len', out.ipLen, num(row['ip.len'][0]));
      const mf = num(row['ip.flags.mf'][0]) === 1;
      const fo = num(row['ip.frag_offset'][0]);
      eq('fragment', out.fragment, fo !== 0 ? 2 : mf ? 1 : 0);
    } else if (out.ipVersion === 6) {
      if (!tv6) bad.push('ours IPv6, tshark no ipv6');
      eq('ipv6 src', ipToString(out.src, 6), row['ipv6.src'][0]);
      eq('ipv6 dst', ipToString(out.dst, 6), row['ipv6.dst'][0]);
      eq('ipv6 len', out.ipLen, 40 + num(row['ipv6.plen'][0]));
      if (row['ipv6.fraghdr.offset'].length > 0) {
        const fo = num(row['ipv6.fraghdr.offset'][0]);
        const more = num(row['ipv6.fraghdr.more'][0]) === 1;
        eq('fragment', out.fragment, fo !== 0 ? 2 : more ? 1 : 0);
        eq('ipv6 frag id', out.ipId, num(row['ipv6.fraghdr.ident'][0]));
      } else {
        eq('fragment', out.fragment, 0);
      }
    } else {
      bad.push(`result IP with ipVersion ${out.ipVersion}`);
    }
  } else if (tv4 || tv6) {
    bad.push(`tshark has ip/ipv6, ours result ${result}`);
  }

  // ---- L4 ----
  if (result === DECODE.IP && out.fragment !== 2) {
    const complete = rec.caplen === rec.origlen;
    if (out.proto === 6) {
      eq('tcp src port', out.srcPort, num(row['tcp.srcport'][0]));
      eq('tcp dst port', out.dstPort, num(row['tcp.dstport'][0]));
      eq('tcp flags', out.tcpFlags, num(row['tcp.flags'][0]) & 0xff);
      eq('tcp seq', out.tcpSeq, num(row['tcp.seq_raw'][0]));
      eq('tcp ack', out.tcpAck, num(row['tcp.ack_raw'][0]));
      eq('tcp hdr len', out.payloadOff - out.l4Off, num(row['tcp.hdr_len'][0]));
      eq('tcp len', out.payloadWireLen, num(row['tcp.len'][0]));
      if (complete) eq('tcp payload present', out.payloadLen, out.payloadWireLen);
    } else if (out.proto === 17) {
      eq('udp src port', out.srcPort, num(row['udp.srcport'][0]));
      eq('udp dst port', out.dstPort, num(row['udp.dstport'][0]));
      if (out.fragment === 0) eq('udp length', out.payloadWireLen + 8, num(row['udp.length'][0]));
      if (complete) eq('udp payload present', out.payloadLen, out.payloadWireLen);
    } else if (out.proto === 1) {
      eq('icmp type', out.icmpType, num(row['icmp.type'][0]));
      eq('icmp code', out.icmpCode, num(row['icmp.code'][0]));
    } else if (out.proto === 58) {
      eq('icmpv6 type', out.icmpType, num(row['icmpv6.type'][0]));
      eq('icmpv6 code', out.icmpCode, num(row['icmpv6.code'][0]));
    }
    if (out.proto !== 6 && out.proto !== 1 && out.proto !== 58 && row['tcp.srcport'].length > 0) {
      bad.push(`tshark has tcp, ours proto ${out.proto}`);
    }
    if (out.proto !== 17 && out.proto !== 1 && out.proto !== 58 && row['udp.srcport'].length > 0) {
      bad.push(`tshark has udp, ours proto ${out.proto}`);
    }
  }
  return bad;
}

function ipv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}
