/**
 * The opcua dissector against tshark 4.0 (the oracle) on every real OPC UA capture: per TCP stream,
 * per (space, code, kind) counts, identity evidence and connection attributes. PDUs are framed with
 * opcua.pduLength from tshark's per-frame TCP payloads (captureStreams.ts), each counted once.
 */
import { opcua } from '../../../src/dissectors/opcua/index.js';
import { MT_ACK, MT_CLO, MT_ERR, MT_HEL, MT_MSG, MT_OPN, MT_RHE } from '../../../src/dissectors/opcua/index.js';
import { serviceType } from '../../../src/dissectors/opcua/index.js';
import type { OpcuaState } from '../../../src/dissectors/opcua/index.js';
import {
  DIR_TO_SERVER,
  DIR_UNKNOWN,
  KIND_EXCEPTION,
  KIND_REQUEST,
  KIND_RESPONSE,
  WHO_RECEIVER,
  WHO_SENDER,
} from '../../../src/dissectors/types.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { capturePath } from '../../util/captures.js';
import { captureStreams, tsharkFields } from './captureStreams.js';
import type { CaptureStreams } from './captureStreams.js';

const TYPES: Record<string, number> = { HEL: MT_HEL, ACK: MT_ACK, ERR: MT_ERR, RHE: MT_RHE, OPN: MT_OPN, MSG: MT_MSG, CLO: MT_CLO };
const KIND_NAMES = ['req', 'resp', 'exc'];

interface Case {
  file: string;
  port: number;
  /** Keys "stream space:code kind" where we expect to count more than tshark, and by how much. */
  moreThanTshark?: Record<string, number>;
}

const CASES: Case[] = [
  {
    file: 'opcua/cisagov_opcua_with-gap_with-handshake.pcap',
    port: 4840,
    // Stream 0, server -> client frames 12-30: a 13990-byte CreateSessionResponse in 10 segments.
    // tshark flags frames 26 and 30 as "suspected spurious retransmissions" (new data, seq continuous)
    // and never dissects the PDU; we reassemble it by sequence number and count it.
    moreThanTshark: { '0 1:MSG resp': 1, '0 0:464 resp': 1 },
  },
  { file: 'opcua/cisagov_open62541_client-server_encrypted.pcap', port: 4840 },
  { file: 'opcua/cisagov_open62541_client-server_mainloop.pcap', port: 4840 },
  { file: 'opcua/cisagov_open62541_create_monitored_items.pcap', port: 4840 },
  { file: 'opcua/cisagov_open62541_mainloop-not-localhost-non-standard-port.pcap', port: 48010 },
  { file: 'opcua/cisagov_python_opcua-client-server_minimal.pcap', port: 4840 },
];

function key(stream: number, space: number, code: number, kind: number): string {
  const c = space === 1 ? Object.keys(TYPES).find((k) => TYPES[k] === code) ?? `0x${code.toString(16)}` : String(code);
  return `${stream} ${space}:${c} ${KIND_NAMES[kind]}`;
}

function bump(m: Map<string, number>, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/** Our counts: every framed PDU decoded in capture order with one state per stream. */
function ours(cs: CaptureStreams, dirOverride?: number) {
  const counts = new Map<string, number>();
  const identities: Array<{ stream: number; frame: number; who: number; key: string; value: string }> = [];
  const attributes = new Map<number, Array<{ key: string; value: string }>>();
  const violations: string[] = [];
  const states = new Map<number, OpcuaState>();
  for (const p of cs.pdus) {
    let st = states.get(p.stream);
    if (!st) states.set(p.stream, (st = opcua.createState()));
    const sink = new RecordingSink();
    opcua.decode(st, p.pdu, 0, p.pdu.length, dirOverride ?? p.dir, sink);
    for (const f of sink.fns) bump(counts, key(p.stream, f.space, f.code, f.kind));
    for (const i of sink.identities) identities.push({ stream: p.stream, frame: p.frame, ...i });
    if (sink.attributes.length) attributes.set(p.stream, [...(attributes.get(p.stream) ?? []), ...sink.attributes]);
    for (const v of sink.violations) violations.push(`frame ${p.frame}: ${v.code} ${v.message} @${v.at}`);
  }
  return { counts, identities, attributes, violations };
}

interface TsharkPdu {
  frame: number;
  stream: number;
  type: string;
  toServer: boolean;
  id: number | undefined;
  result: number | undefined;
}

/** tshark's OPC UA PDUs, one per opcua.transport.type occurrence, with service id and ServiceResult aligned. */
function tsharkPdus(c: Case): TsharkPdu[] {
  const rows = tsharkFields(
    capturePath(c.file),
    ['frame.number', 'tcp.stream', 'tcp.dstport', 'opcua.transport.type', 'opcua.servicenodeid.numeric', 'opcua.ServiceResult'],
    ['-o', 'tcp.desegment_tcp_streams:TRUE', '-d', `tcp.port==${c.port},opcua`, '-Y', 'opcua'],
  );
  const out: TsharkPdu[] = [];
  for (const [frameS, streamS, dstS, typesS, idsS, resultsS] of rows) {
    const types = typesS!.split(',');
    const ids = idsS ? idsS.split(',').map(Number) : [];
    const results = resultsS ? resultsS.split(',').map((r) => Number.parseInt(r, 16)) : [];
    const withId = types.filter((t) => t === 'OPN' || t === 'MSG' || t === 'CLO').length;
    // Alignment holds when every secured message of the frame has a readable service id (or none has).
    if (ids.length !== 0 && ids.length !== withId) throw new Error(`frame ${frameS}: cannot align ${typesS} with ${idsS}`);
    let ii = 0;
    let ri = 0;
    for (const type of types) {
      let id: number | undefined;
      let result: number | undefined;
      if ((type === 'OPN' || type === 'MSG' || type === 'CLO') && ids.length) {
        id = ids[ii++];
        const svc = id === undefined ? undefined : serviceType(id);
        if (svc && svc.kind === KIND_RESPONSE && id !== 397) result = results[ri++];
      }
      out.push({ frame: Number(frameS), stream: Number(streamS), type, toServer: Number(dstS) === c.port, id, result });
    }
  }
  return out;
}

/** tshark's counts, classified by the same rules from tshark's own fields. */
function theirs(pdus: TsharkPdu[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of pdus) {
    const code = TYPES[p.type]!;
    const byDir = p.toServer ? KIND_REQUEST : KIND_RESPONSE;
    if (p.id === undefined) {
      const k = p.type === 'ACK' ? KIND_RESPONSE : p.type === 'ERR' ? KIND_EXCEPTION : p.type === 'MSG' || p.type === 'OPN' ? byDir : KIND_REQUEST;
      bump(counts, key(p.stream, 1, code, k));
      continue;
    }
    const svc = serviceType(p.id);
    let k0 = svc ? svc.kind : byDir;
    if (k0 === KIND_RESPONSE && p.result !== undefined && (p.result & 0x80000000) !== 0) k0 = KIND_EXCEPTION;
    bump(counts, key(p.stream, 1, code, k0 === KIND_REQUEST ? KIND_REQUEST : KIND_RESPONSE));
    bump(counts, key(p.stream, 0, p.id, k0));
  }
  return counts;
}

function sorted(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

describe('opcua against tshark', () => {
  for (const c of CASES) {
    describe(c.file, () => {
      const cs = captureStreams(capturePath(c.file), opcua.pduLength!, [c.port]);
      const tp = tsharkPdus(c);

      test(`opcua.decode(${c.file}) counts per stream, code and kind match tshark's`, () => {
        const mine = ours(cs);
        expect(mine.violations).toEqual([]);
        const expected = theirs(tp);
        for (const [k, n] of Object.entries(c.moreThanTshark ?? {})) bump(expected, k, n);
        expect(sorted(mine.counts)).toEqual(sorted(expected));
        expect(mine.counts.size).toBeGreaterThan(0);
      });

      test(`opcua.decode(${c.file}) with DIR_UNKNOWN counts the same as with the handshake direction`, () => {
        expect(sorted(ours(cs, DIR_UNKNOWN).counts)).toEqual(sorted(ours(cs).counts));
      });

      test(`opcua.pduLength(${c.file}) frames every OPC UA stream to the last byte`, () => {
        const opcuaStreams = new Set(tp.map((p) => p.stream));
        for (const s of cs.streams.values()) {
          if (!opcuaStreams.has(s.stream)) continue;
          expect({ stream: s.stream, leftover: s.leftover, rejected: s.rejected, gap: s.gap }).toEqual({
            stream: s.stream,
            leftover: [0, 0],
            rejected: [false, false],
            gap: [false, false],
          });
        }
      });

      test(`opcua.heuristic(${c.file}) accepts the first payload of OPC UA streams only`, () => {
        const opcuaStreams = new Set(tp.map((p) => p.stream));
        for (const s of cs.streams.values()) {
          for (const first of s.firstPayload) {
            if (!first) continue;
            expect({ stream: s.stream, hit: opcua.heuristic!(first, 0, first.length) }).toEqual({
              stream: s.stream,
              hit: opcuaStreams.has(s.stream),
            });
          }
        }
      });

      test(`opcua.decode(${c.file}) identity evidence equals tshark's endpoint URLs and application URIs`, () => {
        const mine = ours(cs).identities;
        const rows = tsharkFields(
          capturePath(c.file),
          ['frame.number', 'opcua.transport.endpoint', 'opcua.ApplicationUri', 'opcua.ProductUri'],
          ['-o', 'tcp.desegment_tcp_streams:TRUE', '-d', `tcp.port==${c.port},opcua`, '-Y', 'opcua'],
        );
        const expected: string[] = [];
        for (const [frame, endpoint, appUris, productUris] of rows) {
          if (endpoint) expected.push(`${frame} ${WHO_RECEIVER} endpoint_url ${endpoint}`);
          // CreateSession request/response and GetEndpoints response: the first ApplicationDescription.
          const appUri = appUris ? appUris.split(',')[0] : '';
          const productUri = productUris ? productUris.split(',')[0] : '';
          if (appUri) expected.push(`${frame} ${WHO_SENDER} application_uri ${appUri}`);
          if (productUri) expected.push(`${frame} ${WHO_SENDER} product_uri ${productUri}`);
        }
        const got = mine
          .filter((i) => i.key === 'endpoint_url' || i.key === 'application_uri' || i.key === 'product_uri')
          .map((i) => `${i.frame} ${i.who} ${i.key} ${i.value}`);
        // The CreateSessionResponse tshark did not dissect (see CASES) is extra on our side.
        const extra = got.filter((g) => !expected.includes(g));
        const missing = expected.filter((e) => !got.includes(e));
        expect(missing).toEqual([]);
        if (c.moreThanTshark) expect(extra.every((e) => e.startsWith('30 '))).toBe(true);
        else expect(extra).toEqual([]);
        expect(got.length).toBeGreaterThan(0);
      });

      test(`opcua.decode(${c.file}) reports security_policy and security_mode as tshark shows them`, () => {
        const rows = tsharkFields(
          capturePath(c.file),
          ['tcp.stream', 'opcua.security.spu', 'opcua.servicenodeid.numeric', 'opcua.MessageSecurityMode'],
          ['-o', 'tcp.desegment_tcp_streams:TRUE', '-d', `tcp.port==${c.port},opcua`, '-Y', 'opcua.transport.type == "OPN"'],
        );
        const mine = ours(cs).attributes;
        for (const [streamS, policy, id, mode] of rows) {
          const attrs = mine.get(Number(streamS)) ?? [];
          expect(attrs).toContainEqual({ key: 'security_policy', value: policy });
          if (id === '446') {
            const names = ['Invalid', 'None', 'Sign', 'SignAndEncrypt'];
            expect(attrs).toContainEqual({ key: 'security_mode', value: names[Number.parseInt(mode!, 16)] });
          }
          if (!policy!.endsWith('#None')) {
            // Encrypted OPN: no readable mode; the MSG chunks then tell SignAndEncrypt (unreadable bodies).
            expect(attrs).toContainEqual({ key: 'security_mode', value: 'SignAndEncrypt' });
          }
        }
        expect(rows.length).toBeGreaterThan(0);
      });
    });
  }

  test('opcua.decode(encrypted channel) counts MSG chunks in space 1 only, by direction', () => {
    const cs = captureStreams(capturePath('opcua/cisagov_open62541_client-server_encrypted.pcap'), opcua.pduLength!, [4840]);
    const mine = ours(cs).counts;
    const s1 = [...mine].filter(([k]) => k.startsWith('1 '));
    expect(Object.fromEntries(s1)).toEqual({
      '1 1:HEL req': 1,
      '1 1:ACK resp': 1,
      '1 1:OPN req': 1,
      '1 1:OPN resp': 1,
      '1 1:MSG req': 4,
      '1 1:MSG resp': 4,
      '1 1:CLO req': 1,
    });
    expect(cs.pdus.filter((p) => p.stream === 1 && p.dir === DIR_TO_SERVER).length).toBe(7);
  });
});
