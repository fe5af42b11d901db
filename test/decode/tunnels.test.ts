/**
 * Decapsulation (src/decode/tunnels.ts through decodePacket and the flow stage): for a capture of each
 * encapsulation the flows are the inner flows tshark shows, with the same packet totals, and the
 * tunnel is the batch's capture point (encapsulation, outer endpoints and id as tshark decodes them,
 * frame count), not a flow.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePacket } from '../../src/decode/decodePacket.js';
import { DECODE, DecodedPacket } from '../../src/decode/packet.js';
import { describeTunnel } from '../../src/decode/tunnels.js';
import { peekIpv4Pair } from '../../src/decode/peekIpv4Pair.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { CapturePointDelta } from '../../src/flows/flowDelta.js';
import { capturePointText } from '../../src/report/capturePointText.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { FlowAggregator } from '../../src/flows/flowAggregator.js';
import { newCaptureRecord } from '../../src/ingest/record.js';
import { buildPcap } from '../util/pcap.js';
import { tshark } from '../util/tshark.js';
import * as t from './tunnelFrames.js';

const A = '10.30.1.50';
const B = '10.20.1.10';
const C = '10.30.1.51';

function conversation(): Buffer[] {
  // two inner connections, interleaved by order only (one after the other)
  return [...t.modbusConversation(A, B, 50001, 3), ...t.modbusConversation(C, B, 50002, 2)];
}

interface Case {
  name: string;
  linktype: number;
  wrap: (f: Buffer, i: number) => Buffer;
  /** the capture point, or null for link types (PPP, NFLOG) */
  point: string | null;
  /** tshark's field for the tunnel id (the last value of a list: the bottom MPLS label) */
  idField?: string;
}

const CASES: Case[] = [
  { name: 'GRE with key and sequence numbers', linktype: 1, wrap: (f, i) => t.gre(f, i), point: 'gre 192.0.2.1 -> 192.0.2.2 key 42', idField: 'gre.key' },
  { name: 'ERSPAN type II', linktype: 1, wrap: (f, i) => t.erspan2(f, i), point: 'erspan-ii 192.0.2.1 -> 192.0.2.2 session 7', idField: 'erspan.spanid' },
  { name: 'ERSPAN type III', linktype: 1, wrap: (f, i) => t.erspan3(f, i), point: 'erspan-iii 192.0.2.1 -> 192.0.2.2 session 9', idField: 'erspan.spanid' },
  { name: 'VXLAN', linktype: 1, wrap: (f, i) => t.vxlan(f, i), point: 'vxlan 192.0.2.1 -> 192.0.2.2 vni 5001', idField: 'vxlan.vni' },
  { name: 'MPLS label stack', linktype: 1, wrap: (f) => t.mpls(f), point: 'mpls 00:50:56:00:00:20 -> 00:50:56:00:00:10 label 1001', idField: 'mpls.label' },
  { name: 'PPPoE session', linktype: 1, wrap: (f) => t.pppoe(f), point: 'pppoe 00:50:56:00:00:20 -> 00:50:56:00:00:10 session 17', idField: 'pppoe.session_id' },
  { name: 'IP-in-IP', linktype: 1, wrap: (f) => t.ipip(f), point: 'ip-in-ip 192.0.2.1 -> 192.0.2.2' },
  { name: 'PPP link type', linktype: 9, wrap: (f) => t.ppp(f), point: null },
  { name: 'NFLOG link type', linktype: 239, wrap: (f) => t.nflog(f), point: null },
];

/** tshark: packets per inner TCP address pair and server port, from the innermost ip/tcp fields. */
function tsharkConns(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of tshark(['-r', file, '-Y', 'tcp', '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'tcp.srcport', '-e', 'tcp.dstport']).split('\n')) {
    if (!line) continue;
    const [s, d, sp, dp] = line.split('\t').map((x) => x.split(',').pop()!) as [string, string, string, string];
    const k = `${[s, d].sort().join(' ')} port ${Math.min(Number(sp), Number(dp))}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** tshark's view of the tunnel of every frame: `outer src -> outer dst id` (IP of the outermost header, else Ethernet). */
function tsharkPoints(file: string, idField: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  const fields = ['-e', 'ip.src', '-e', 'ip.dst', '-e', 'eth.src', '-e', 'eth.dst', ...(idField ? ['-e', idField] : [])];
  for (const line of tshark(['-r', file, '-T', 'fields', ...fields]).split('\n')) {
    if (!line) continue;
    const [ips, ipd, es, ed, id] = line.split('\t') as [string, string, string, string, string | undefined];
    const inner = ips.split(',').length > 1; // an IP tunnel: the first header is the outer one
    const [src, dst] = inner ? [ips.split(',')[0], ipd.split(',')[0]] : [es.split(',')[0], ed.split(',')[0]];
    const k = `${src} -> ${dst}${id ? ` ${Number(id.split(',').pop())}` : ''}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function ours(frames: readonly Buffer[], linktype: number): { flows: string[]; pairs: Record<string, number>; diags: Diagnostic[]; requests: number; points: CapturePointDelta[] } {
  const diags: Diagnostic[] = [];
  const agg = new FlowAggregator({ registry: createRegistry([modbusTcp]), onDiagnostic: (d) => diags.push(d) });
  const pkt = new DecodedPacket();
  frames.forEach((f, i) => {
    const rec = newCaptureRecord();
    rec.data = f;
    rec.offset = 0;
    rec.caplen = f.length;
    rec.origlen = f.length;
    rec.linktype = linktype;
    rec.tsSec = 1_767_600_000 + i;
    rec.frame = i + 1;
    agg.onPacket(rec, pkt, decodePacket(rec, pkt));
  });
  const b = agg.takeBatch(true);
  let requests = 0;
  const flows = b.flows.map((f) => `${f.src} -> ${f.dst}:${f.port} ${f.protocol}`);
  const pairs: Record<string, number> = {};
  for (const f of b.flows) pairs[`${[f.src, f.dst].sort().join(' ')} port ${f.port}`] = f.packetsToResponder + f.packetsToInitiator;
  for (const f of b.flows) for (const fn of f.functions.values()) requests += fn.requests;
  return { flows, pairs, diags, requests, points: b.capturePoints };
}

describe('decodePacket through tunnels', () => {
  for (const c of CASES) {
    test(`decodePacket(${c.name}) gives the inner flows tshark shows, same packet totals${c.point ? ', the tunnel as the capture point' : ''}`, () => {
      const inner = conversation();
      const frames = inner.map((f, i) => c.wrap(f, i));
      const dir = mkdtempSync(join(tmpdir(), 'zonescope-tunnel-'));
      try {
        const file = join(dir, 'cap.pcap');
        writeFileSync(file, buildPcap(c.linktype, frames));
        const want = tsharkConns(file);
        expect(Object.keys(want)).toHaveLength(2);
        const r = ours(frames, c.linktype);
        expect(r.pairs).toEqual(want);
        expect(r.flows.sort()).toEqual([`${A} -> ${B}:502 modbus`, `${C} -> ${B}:502 modbus`]);
        expect(r.requests).toBe(5);
        expect(r.points.map((p) => [capturePointText(p), p.frames, p.firstTs, p.lastTs])).toEqual(
          c.point ? [[c.point, frames.length, 1_767_600_000, 1_767_600_000 + frames.length - 1]] : [],
        );
        if (c.point) {
          const p = r.points[0]!;
          expect({ [`${p.outerSrc} -> ${p.outerDst}${p.tunnelId >= 0 ? ` ${p.tunnelId}` : ''}`]: p.frames }).toEqual(tsharkPoints(file, c.idField));
        }
        expect(r.diags).toEqual([]);
        // parallel ingest's owner check never claims a tunnelled frame as plain IPv4
        const rec = newCaptureRecord();
        rec.data = frames[0]!;
        rec.caplen = rec.origlen = frames[0]!.length;
        rec.linktype = c.linktype;
        if (c.linktype === 1 && c.point && !c.point.startsWith('mpls') && !c.point.startsWith('pppoe')) expect(peekIpv4Pair(rec, new Uint32Array(2))).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('decodePacket(ERSPAN II frame) sets the tunnel fields and describeTunnel names them', () => {
    const f = t.erspan2(conversation()[0]!, 3);
    const rec = newCaptureRecord();
    rec.data = f;
    rec.caplen = rec.origlen = f.length;
    rec.linktype = 1;
    const pkt = new DecodedPacket();
    expect(decodePacket(rec, pkt)).toBe(DECODE.IP);
    expect([pkt.ipVersion, pkt.src[3] >>> 24, pkt.dstPort, pkt.tunnelKind, pkt.tunnelId, pkt.tunnelSeq]).toEqual([4, 10, 502, 2, 7, 3]);
    expect(describeTunnel(pkt)).toBe('erspan-ii 192.0.2.1 -> 192.0.2.2 session 7');
  });

  test('FlowAggregator(a capture of an undecodable link type) reports DECODE_UNSUPPORTED_LINKTYPE warnings, one per frame', () => {
    const frames = conversation().map((f) => t.ppp(f));
    const r = ours(frames, 147);
    expect(r.flows).toEqual([]);
    const codes = r.diags.map((d) => `${d.code} ${d.severity}`);
    expect(codes).toEqual(Array(frames.length).fill('DECODE_UNSUPPORTED_LINKTYPE warning'));
  });

  test('FlowAggregator(GRE carrying an unknown protocol) keeps the outer GRE packet (no inner flow) and warns DECODE_UNKNOWN_ENCAPSULATION', () => {
    const frames = conversation().slice(0, 2).map((f, i) => {
      const g = t.gre(f, i);
      g.writeUInt16BE(0x88b5, 14 + 20 + 2); // IEEE local experimental EtherType
      return g;
    });
    const r = ours(frames, 1);
    expect(r.flows.filter((f) => f.includes('modbus'))).toEqual([]);
    const pkt = new DecodedPacket();
    const rec = newCaptureRecord();
    rec.data = frames[0]!;
    rec.caplen = rec.origlen = frames[0]!.length;
    expect(decodePacket(rec, pkt)).toBe(DECODE.IP);
    expect([pkt.proto, pkt.src[3] >>> 24, pkt.skipped]).toEqual([47, 192, 1]);
    expect(r.diags.filter((d) => d.code === 'DECODE_UNKNOWN_ENCAPSULATION')).toHaveLength(2);
  });
});
