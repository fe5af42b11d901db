/**
 * tshark as the oracle for L2-L4 fields: one row per frame, every field split into its occurrences
 * (tshark lists repeated fields comma-separated, e.g. two vlan.id for QinQ or the inner IP header of
 * an ICMP error). IP reassembly is switched off so that every fragment shows its own headers.
 */
import { tshark } from '../util/tshark.js';

export const ORACLE_FIELDS = [
  'frame.number',
  'eth.src',
  'sll.src.eth',
  'eth.type',
  'eth.len',
  'ieee8021ad.id',
  'vlan.id',
  'vlan.etype',
  'sll.etype',
  'null.family',
  'arp.opcode',
  'arp.src.hw_mac',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
  'ip.src',
  'ip.dst',
  'ip.proto',
  'ip.id',
  'ip.len',
  'ip.flags.mf',
  'ip.frag_offset',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.nxt',
  'ipv6.plen',
  'ipv6.fraghdr.offset',
  'ipv6.fraghdr.more',
  'ipv6.fraghdr.ident',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.len',
  'tcp.hdr_len',
  'udp.srcport',
  'udp.dstport',
  'udp.length',
  'icmp.type',
  'icmp.code',
  'icmpv6.type',
  'icmpv6.code',
] as const;

export type OracleField = (typeof ORACLE_FIELDS)[number];
export type OracleRow = Record<OracleField, string[]>;

/** Runs tshark on `path` and returns one row per frame, indexed by frame number - 1. */
export function tsharkRows(path: string): OracleRow[] {
  const args = ['-r', path, '-n', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', '-T', 'fields'];
  args.push('-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,');
  for (const f of ORACLE_FIELDS) args.push('-e', f);
  const text = tshark(args);
  const rows: OracleRow[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const cols = line.split('\t');
    const row = {} as OracleRow;
    ORACLE_FIELDS.forEach((f, i) => {
      const c = cols[i] ?? '';
      row[f] = c === '' ? [] : c.split(',');
    });
    rows.push(row);
  }
  return rows;
}

/** Frame numbers tshark's display filter selects. */
export function tsharkFrames(path: string, filter: string): number[] {
  const text = tshark(['-r', path, '-n', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', '-Y', filter, '-T', 'fields', '-e', 'frame.number']);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map(Number);
}
