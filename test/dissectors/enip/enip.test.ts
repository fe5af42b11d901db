import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enip } from '../../../src/dissectors/enip/index.js';
import { EnipState } from '../../../src/dissectors/enip/EnipState.js';
import { OBJ_PATH, OBJ_TAG, cipObjectKey, formatCipObjectKey } from '../../../src/dissectors/enip/decodeCip.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER } from '../../../src/dissectors/types.js';
import { runDissectorContract, type ContractSample } from '../contract.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { capturePath } from '../../util/captures.js';
import { createRegistry } from '../../../src/dissectors/registry.js';
import { replayTcp, tsharkTcpSegments } from '../tsharkTcp.js';
import { cipRequest, encap, hex, logicalPath, rrData, syntheticConversation, tagPath, unitData } from './enipBuilders.js';
import { writePcap } from './pcapWriter.js';
import { extractPdus, ourCounts, tsharkCounts, type StreamPdu } from './tsharkOracle.js';

const EXAMPLE = capturePath('enip/cisagov_enip_cip_example.pcap');
const MSP_PCAPNG = capturePath('enip/cisagov_multiple_service_packet_cip.pcapng');
const SET_ATTR_PCAPNG = capturePath('enip/cisagov_set_attribute_single_service_cip.pcapng');

const pdusOf = new Map<string, StreamPdu[]>();
function pdus(file: string): StreamPdu[] {
  let p = pdusOf.get(file);
  if (!p) {
    p = extractPdus(file, enip, 44818);
    pdusOf.set(file, p);
  }
  return p;
}
function frame(file: string, n: number): StreamPdu {
  const p = pdus(file).find((x) => x.frame === n);
  if (!p) throw new Error(`no ENIP PDU in frame ${n} of ${file}`);
  return p;
}
function decodeOne(pdu: Buffer, dir: number, state = new EnipState()): RecordingSink {
  const sink = new RecordingSink();
  enip.decode(state, pdu, 0, pdu.length, dir, sink);
  return sink;
}

let tmp = '';
let synthetic = '';
let segmented = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zonescope-enip-'));
  synthetic = join(tmp, 'enip-synthetic.pcap');
  writePcap(synthetic, syntheticConversation().map((p) => ({ fromClient: p.fromClient, payload: p.pdu })));
  // The same conversation with each side's bytes cut into 7-byte segments: PDUs span segments
  // and segments hold the end of one PDU and the start of the next.
  segmented = join(tmp, 'enip-segmented.pcap');
  const parts: Array<{ fromClient: boolean; payload: Buffer }> = [];
  const conv = syntheticConversation();
  for (let i = 0; i < conv.length; ) {
    const side = conv[i]!.fromClient;
    const run: Buffer[] = [];
    while (i < conv.length && conv[i]!.fromClient === side) run.push(conv[i++]!.pdu);
    const bytes = Buffer.concat(run);
    for (let o = 0; o < bytes.length; o += 7) parts.push({ fromClient: side, payload: bytes.subarray(o, o + 7) });
  }
  writePcap(segmented, parts);
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('enip against tshark', () => {
  test.each([
    ['cisagov_enip_cip_example.pcap', EXAMPLE],
    ['cisagov_multiple_service_packet_cip.pcapng', MSP_PCAPNG],
    ['cisagov_set_attribute_single_service_cip.pcapng', SET_ATTR_PCAPNG],
  ])('enip.decode(%s) counts every CIP service and encapsulation command per stream as tshark does', (_name, file) => {
    const ours = ourCounts(enip, pdus(file).filter((p) => p.stream.startsWith('tcp')));
    const theirs = tsharkCounts(file, 44818);
    expect(ours.violations).toEqual([]);
    expect(Object.keys(theirs).length).toBeGreaterThan(0);
    expect(ours.counts).toEqual(theirs);
  });

  test('enip.decode(cisagov_enip_cip_example, DIR_UNKNOWN) tells requests from replies by content alone', () => {
    const p = pdus(EXAMPLE).filter((x) => x.stream.startsWith('tcp'));
    expect(ourCounts(enip, p, false).counts).toEqual(ourCounts(enip, p, true).counts);
  });

  test('enip.decode(cisagov_enip_cip_example) totals: 72+1+20 request frames with 41 MSPs of 11 services', () => {
    const c = ourCounts(enip, pdus(EXAMPLE)).counts['tcp:0']!;
    expect(c['0/0xa/request']).toBe(41);
    expect(c['0/0xa/response']).toBe(40);
    expect(c['0/0x3/request']).toBe(41 * 11 + 92);
    expect(c['0/0x4/request']).toBe(1);
    expect(c['1/0x70/request']).toBe(41 + 93);
  });

  test('enip.decode(synthetic conversation) matches tshark: sessions, Unconnected Send, Forward Open/Close, tags, errors', () => {
    const p = extractPdus(synthetic, enip, 44818);
    expect(p.length).toBe(syntheticConversation().length);
    const ours = ourCounts(enip, p);
    expect(ours.violations).toEqual([]);
    const theirs = tsharkCounts(synthetic, 44818);
    expect(ours.counts).toEqual(theirs);
    // The synthetic set really exercises the cases: containers, exceptions, both spaces.
    const c = ours.counts['tcp:0']!;
    expect(c['0/0x52/request']).toBe(3); // 2 Unconnected Send + 1 Read Tag Fragmented
    expect(c['0/0x4c/request']).toBe(4); // 2 via Unconnected Send, 1 in the MSP, 1 file Initiate Download
    expect(c['0/0x52/exception']).toBe(1);
    expect(c['0/0xa/exception']).toBe(1);
    expect(c['1/0x6f/exception']).toBe(1);
    expect(c['0/0x5/exception']).toBe(1);
  });

  test('enip.decode(synthetic conversation, DIR_UNKNOWN) gives the same counts as with directions', () => {
    const p = extractPdus(synthetic, enip, 44818);
    expect(ourCounts(enip, p, false).counts).toEqual(ourCounts(enip, p, true).counts);
  });
});

/** Counts through AppSession (reassembly + framing as in production), keyed like tsharkCounts. */
function sessionCounts(file: string): { counts: Record<string, Record<string, number>>; violations: number } {
  const registry = createRegistry([enip]);
  const sinks = new Map<number, RecordingSink>();
  const sinkFor = (stream: number): RecordingSink => {
    let s = sinks.get(stream);
    if (!s) sinks.set(stream, (s = new RecordingSink()));
    return s;
  };
  replayTcp(tsharkTcpSegments(file), registry, sinkFor);
  const counts: Record<string, Record<string, number>> = {};
  let violations = 0;
  for (const [stream, sink] of sinks) {
    violations += sink.violations.length;
    for (const f of sink.fns) {
      const c = (counts[`tcp:${stream}`] ??= {});
      const key = `${f.space}/0x${f.code.toString(16)}/${['request', 'response', 'exception'][f.kind]}`;
      c[key] = (c[key] ?? 0) + 1;
    }
  }
  return { counts, violations };
}

describe('AppSession + enip against tshark', () => {
  test.each([
    ['cisagov_enip_cip_example.pcap', (): string => EXAMPLE],
    ['cisagov_multiple_service_packet_cip.pcapng', (): string => MSP_PCAPNG],
    ['cisagov_set_attribute_single_service_cip.pcapng', (): string => SET_ATTR_PCAPNG],
    ['the synthetic conversation', (): string => synthetic],
    ['the synthetic conversation in 7-byte segments', (): string => segmented],
  ])('AppSession(%s) + enip per-stream counts equal tshark\'s', (_name, file) => {
    const ours = sessionCounts(file());
    expect(ours.violations).toBe(0);
    expect(ours.counts).toEqual(tsharkCounts(file(), 44818));
  });
});

describe('enip.decode on real PDUs', () => {
  test('enip.decode(ListIdentity reply, frame 372) reports Rockwell 1756-ENBT/A identity of the sender', () => {
    const sink = decodeOne(frame(EXAMPLE, 372).pdu, DIR_TO_CLIENT);
    expect(sink.fns).toEqual([{ space: 1, code: 0x63, kind: KIND_RESPONSE, variant: 0 }]);
    const id = Object.fromEntries(sink.identities.map((i) => [i.key, i.value]));
    expect(sink.identities.every((i) => i.who === WHO_SENDER)).toBe(true);
    // Values as tshark shows them: Vendor 0x0001, Communications Adapter (12), 58, 4.03, 0x00524d8e.
    expect(id).toEqual({
      vendor_id: '1',
      vendor: 'Rockwell Automation/Allen-Bradley',
      device_type: '12',
      device_type_name: 'Communications Adapter',
      product_code: '58',
      revision: '4.03',
      serial: '0x00524d8e',
      product_name: '1756-ENBT/A',
    });
  });

  test('enip.decode(ListIdentity request, frame 371) returns command 0x63 request and no identity', () => {
    const sink = decodeOne(frame(EXAMPLE, 371).pdu, DIR_UNKNOWN);
    expect(sink.fns).toEqual([{ space: 1, code: 0x63, kind: KIND_REQUEST, variant: 0 }]);
    expect(sink.identities).toEqual([]);
  });

  test('enip.decode(Multiple Service Packet request, pcapng frame 1) returns 0x0a and 11 Get_Attribute_List with their objects', () => {
    const sink = decodeOne(frame(MSP_PCAPNG, 1).pdu, DIR_TO_SERVER);
    expect(sink.violations).toEqual([]);
    expect(sink.fns.map((f) => [f.space, f.code, f.kind])).toEqual([[1, 0x70, 0], [0, 0x0a, 0], ...Array.from({ length: 11 }, () => [0, 0x03, 0])]);
    // Paths as tshark shows them: Identity 1/1, 0x69/0, 0x73/1, 0xac/1, 0x68/0x2420 (16-bit instance) ...
    const paths: Array<[number, number]> = [
      [0x01, 1], [0x69, 0], [0x73, 1], [0xac, 1], [0x68, 0x2420], [0x70, 1], [0x8e, 1], [0x69, 0], [0x68, 0], [0x77, 1], [0x8b, 1],
    ];
    expect(sink.objects.map((o) => o.key)).toEqual(paths.map(([c, i]) => cipObjectKey(c, i)));
    expect(sink.objects.every((o) => o.space === OBJ_PATH)).toBe(true);
    expect(sink.objects.slice(0, 5).map((o) => enip.describeObject!(o.space, o.key))).toEqual([
      'class 0x01 / instance 1', 'class 0x69 / instance 0', 'class 0x73 / instance 1', 'class 0xac / instance 1', 'class 0x68 / instance 9248',
    ]);
    expect(sink.objects.every((o) => !o.write)).toBe(true);
  });

  test('enip.decode(Set_Attribute_Single request, VLAN pcapng) returns service 0x10 on Identity 1/0, a write', () => {
    const sink = decodeOne(frame(SET_ATTR_PCAPNG, 1).pdu, DIR_TO_SERVER);
    expect(sink.fns).toEqual([
      { space: 1, code: 0x70, kind: KIND_REQUEST, variant: 0 },
      { space: 0, code: 0x10, kind: KIND_REQUEST, variant: 0 },
    ]);
    expect(sink.objects).toHaveLength(1);
    expect(sink.objects[0]!.write).toBe(true);
    // tshark: Request Path: Identity, Instance: 0x00 (2 words, no attribute segment).
    expect(enip.describeObject!(sink.objects[0]!.space, sink.objects[0]!.key)).toBe('class 0x01 / instance 0');
  });
});

describe('enip.decode on synthetic PDUs', () => {
  const conv = syntheticConversation();
  const byName = (name: string): Buffer => conv.find((p) => p.name === name)!.pdu;

  test('enip.decode(Unconnected Send of Read Tag, then its reply) counts 0x52/class 6 and 0x4c/class 0x6b; the reply only 0x4c', () => {
    const st = new EnipState();
    const req = decodeOne(byName('Unconnected Send(Read Tag) request'), DIR_TO_SERVER, st);
    expect(req.fns).toEqual([
      { space: 1, code: 0x6f, kind: KIND_REQUEST, variant: 0 },
      { space: 0, code: 0x52, kind: KIND_REQUEST, variant: 0x06 },
      { space: 0, code: 0x4c, kind: KIND_REQUEST, variant: 0x6b },
    ]);
    expect(req.objects).toEqual([{ space: OBJ_TAG, key: 'Program:Main.Motor[3]', write: false }]);
    expect(enip.objectSpaces).toEqual(['path', 'tag']);
    const rep = decodeOne(byName('Read Tag reply (via Unconnected Send)'), DIR_TO_CLIENT, st);
    expect(rep.fns).toEqual([
      { space: 1, code: 0x6f, kind: KIND_RESPONSE, variant: 0 },
      { space: 0, code: 0x4c, kind: KIND_RESPONSE, variant: 0x6b },
    ]);
    expect(st.pending.outstanding()).toBe(0);
  });

  test('enip.decode(MSP reply with embedded error) returns 0x0a exception, 0x4d exception, 0x52 partial transfer as response', () => {
    const st = new EnipState();
    decodeOne(byName('Multiple Service Packet request (connected)'), DIR_TO_SERVER, st);
    const rep = decodeOne(byName('Multiple Service Packet reply (embedded error)'), DIR_TO_CLIENT, st);
    expect(rep.violations).toEqual([]);
    expect(rep.fns).toEqual([
      { space: 1, code: 0x70, kind: KIND_RESPONSE, variant: 0 },
      { space: 0, code: 0x0a, kind: KIND_EXCEPTION, variant: 0 },
      { space: 0, code: 0x4c, kind: KIND_RESPONSE, variant: 0x6b },
      { space: 0, code: 0x4d, kind: KIND_EXCEPTION, variant: 0x6b },
      { space: 0, code: 0x52, kind: KIND_RESPONSE, variant: 0x6b },
      { space: 0, code: 0x0e, kind: KIND_RESPONSE, variant: 0 },
    ]);
    expect(enip.describe(0, 0x52, 0x6b)).toEqual({ name: 'READ_TAG_FRAGMENTED', opClass: 'read' });
  });

  test('enip.decode(MSP request) reports tag objects with write flags: Write Tag Setpoint is a write', () => {
    const req = decodeOne(byName('Multiple Service Packet request (connected)'), DIR_TO_SERVER);
    expect(req.objects).toEqual([
      { space: OBJ_TAG, key: 'Program:Main.Motor[3]', write: false },
      { space: OBJ_TAG, key: 'Setpoint', write: true },
      { space: OBJ_TAG, key: 'BigArray', write: false },
      { space: OBJ_PATH, key: cipObjectKey(0x01, 1, 7), write: false },
    ]);
    expect(req.objects.map((o) => enip.describeObject!(o.space, o.key))).toEqual(['Program:Main.Motor[3]', 'Setpoint', 'BigArray', 'class 0x01 / instance 1 / attribute 7']);
  });

  test('enip.decode(Unconnected Send error reply) returns 0x52 class 6 exception', () => {
    const st = new EnipState();
    decodeOne(byName('Unconnected Send request (to time out)'), DIR_TO_SERVER, st);
    const rep = decodeOne(byName('Unconnected Send error reply'), DIR_TO_CLIENT, st);
    expect(rep.fns[1]).toEqual({ space: 0, code: 0x52, kind: KIND_EXCEPTION, variant: 6 });
    expect(enip.describe(0, 0x52, 6)).toEqual({ name: 'UNCONNECTED_SEND', opClass: 'carrier' });
  });

  test('enip.decode(Get_Attributes_All reply of the Identity object) reports the identity (Siemens AG, 1251)', () => {
    const st = new EnipState();
    decodeOne(byName('Get_Attributes_All(Identity) request'), DIR_TO_SERVER, st);
    const rep = decodeOne(byName('Get_Attributes_All(Identity) reply'), DIR_TO_CLIENT, st);
    const id = Object.fromEntries(rep.identities.map((i) => [i.key, i.value]));
    expect(id).toMatchObject({ vendor_id: '1251', vendor: 'Siemens AG', device_type_name: 'Programmable Logic Controller', revision: '2.09', serial: '0x12345678', product_name: 'SIMATIC S7-1500' });
  });

  test('enip.decode(Get_Attributes_All reply without its request) reports no identity (the class is unknown)', () => {
    const rep = decodeOne(byName('Get_Attributes_All(Identity) reply'), DIR_TO_CLIENT);
    expect(rep.identities).toEqual([]);
    expect(rep.fns[1]).toEqual({ space: 0, code: 0x01, kind: KIND_RESPONSE, variant: 0 });
  });

  test('enip.decode(SendRRData reply with encapsulation status 0x64) returns command 0x6f exception only', () => {
    const rep = decodeOne(byName('SendRRData encapsulation error reply'), DIR_TO_CLIENT);
    expect(rep.fns).toEqual([{ space: 1, code: 0x6f, kind: KIND_EXCEPTION, variant: 0 }]);
    expect(rep.violations).toEqual([]);
  });

  test('enip.decode(Initiate Download on the File object) is counted with class 0x37 and classed program', () => {
    const req = decodeOne(byName('Initiate Download request'), DIR_TO_SERVER);
    expect(req.fns[1]).toEqual({ space: 0, code: 0x4c, kind: KIND_REQUEST, variant: 0x37 });
    expect(enip.describe(0, 0x4c, 0x37)).toEqual({ name: 'INITIATE_DOWNLOAD', opClass: 'program' });
  });

  test('enip.decode(connected Write Tag Fragmented reply) takes the class from the request with the same sequence count', () => {
    const st = new EnipState();
    decodeOne(byName('Write Tag Fragmented request (connected)'), DIR_TO_SERVER, st);
    const rep = decodeOne(byName('Write Tag Fragmented reply (connected)'), DIR_TO_CLIENT, st);
    expect(rep.fns[1]).toEqual({ space: 0, code: 0x53, kind: KIND_RESPONSE, variant: 0x6b });
    expect(enip.describe(0, 0x53, 0x6b).name).toBe('WRITE_TAG_FRAGMENTED');
  });

  test('enip.decode(RegisterSession, DIR_UNKNOWN) decides by the session handle', () => {
    expect(decodeOne(byName('RegisterSession request'), DIR_UNKNOWN).fns[0]!.kind).toBe(KIND_REQUEST);
    expect(decodeOne(byName('RegisterSession reply'), DIR_UNKNOWN).fns[0]!.kind).toBe(KIND_RESPONSE);
  });

  test('enip.decode(10000 requests without replies) keeps at most 16 outstanding', () => {
    const st = new EnipState();
    for (let i = 0; i < 10000; i++) {
      const pdu = encap(0x70, unitData(1, i & 0xffff, cipRequest(0x4c, tagPath('T'), hex('0100'))));
      decodeOne(pdu, DIR_TO_SERVER, st);
    }
    expect(st.pending.outstanding()).toBe(16);
  });

  test('enip.decode(the same tag read twice) reuses the cached tag name string', () => {
    const st = new EnipState();
    const pdu = encap(0x6f, rrData(cipRequest(0x4c, tagPath('Line1.Tank[2,5].Level'), hex('0100'))));
    const a = decodeOne(pdu, DIR_TO_SERVER, st).objects[0]!.key;
    const b = decodeOne(Buffer.from(pdu), DIR_TO_SERVER, st).objects[0]!.key;
    expect(a).toBe('Line1.Tank[2,5].Level');
    expect(b).toBe(a);
  });

  test('enip.decode(a bad path segment) reports CIP_BAD_PATH at its offset and still counts the service', () => {
    const pdu = encap(0x6f, rrData(cipRequest(0x0e, Buffer.from([0x20, 0x01, 0xe0, 0x00]))));
    const sink = decodeOne(pdu, DIR_TO_SERVER);
    expect(sink.violations.map((v) => [v.code, v.at])).toEqual([['CIP_BAD_PATH', 24 + 16 + 4]]);
    expect(sink.fns[1]).toEqual({ space: 0, code: 0x0e, kind: KIND_REQUEST, variant: 0 });
  });

  test('enip.decode(a 23-byte PDU) reports ENIP_TRUNCATED_HEADER; a short body ENIP_LENGTH_MISMATCH', () => {
    expect(decodeOne(Buffer.alloc(23), DIR_TO_SERVER).violations[0]!.code).toBe('ENIP_TRUNCATED_HEADER');
    const pdu = byName('Forward Open request');
    const sink = new RecordingSink();
    enip.decode(new EnipState(), pdu, 0, pdu.length - 1, DIR_TO_SERVER, sink);
    expect(sink.violations[0]!.code).toBe('ENIP_LENGTH_MISMATCH');
    expect(sink.fns).toEqual([{ space: 1, code: 0x6f, kind: KIND_REQUEST, variant: 0 }]);
  });
});

describe('enip Forward Open originator, carriers and object keys', () => {
  const conv = syntheticConversation();
  const byName = (name: string): Buffer => conv.find((p) => p.name === name)!.pdu;

  test('enip.decode(Forward Open / Large Forward Open request) reports its sender as originator; replies and other services do not', () => {
    expect(decodeOne(byName('Forward Open request'), DIR_TO_SERVER).originators).toEqual([WHO_SENDER]);
    expect(decodeOne(byName('Large Forward Open request'), DIR_TO_SERVER).originators).toEqual([WHO_SENDER]);
    const st = new EnipState();
    decodeOne(byName('Forward Open request'), DIR_TO_SERVER, st);
    expect(decodeOne(byName('Forward Open reply'), DIR_TO_CLIENT, st).originators).toEqual([]);
    expect(decodeOne(byName('Unconnected Send(Read Tag) request'), DIR_TO_SERVER).originators).toEqual([]);
  });

  test('enip.describe(SendRRData, SendUnitData, Unconnected Send, MSP) are carriers: the CIP service they carry is the operation', () => {
    expect(enip.describe(1, 0x6f)).toEqual({ name: 'SEND_RR_DATA', opClass: 'carrier' });
    expect(enip.describe(1, 0x70)).toEqual({ name: 'SEND_UNIT_DATA', opClass: 'carrier' });
    expect(enip.describe(0, 0x52, 6).opClass).toBe('carrier');
    expect(enip.describe(0, 0x0a).opClass).toBe('carrier');
    expect(enip.describe(1, 0x65).opClass).toBe('session');
  });

  test('cipObjectKey(class, instance, attribute) renders class 0x01 / instance 1 / attribute 7; large paths are text at once', () => {
    expect(formatCipObjectKey(cipObjectKey(0x01, 1, 7))).toBe('class 0x01 / instance 1 / attribute 7');
    expect(formatCipObjectKey(cipObjectKey(0x6b, -1))).toBe('class 0x6b');
    expect(formatCipObjectKey(cipObjectKey(0x1234, 0, 0))).toBe('class 0x1234 / instance 0 / attribute 0');
    expect(formatCipObjectKey(cipObjectKey(0xffff, 0xfffe, 0xfffe))).toBe('class 0xffff / instance 65534 / attribute 65534');
    expect(cipObjectKey(0x02, 0x12345)).toBe('class 0x02 / instance 74565');
    expect(Number.isSafeInteger(cipObjectKey(0xffff, 0xfffe, 0xfffe))).toBe(true);
    expect(new Set([cipObjectKey(1, 1), cipObjectKey(1, 1, 0), cipObjectKey(1, 0), cipObjectKey(1, -1)]).size).toBe(4);
  });
});

describe('enip framing and naming', () => {
  test('enip.pduLength(header) returns 24 + length, 0 when short, -1 on a non-command', () => {
    const pdu = frame(EXAMPLE, 372).pdu;
    expect(enip.pduLength!(pdu, 0, pdu.length)).toBe(75);
    expect(enip.pduLength!(pdu, 0, 3)).toBe(0);
    expect(enip.pduLength!(hex('0001 0000'), 0, 4)).toBe(-1);
  });

  test('enip.heuristic(first PDUs) accepts ENIP and rejects Modbus/TCP and HTTP', () => {
    expect(enip.heuristic!(frame(EXAMPLE, 371).pdu, 0, 24)).toBe(true);
    expect(enip.heuristic!(frame(MSP_PCAPNG, 1).pdu, 0, 210)).toBe(true);
    expect(enip.heuristic!(hex('0001 0000 0006 01 03 0000 000a 00000000000000000000000000'), 0, 24)).toBe(false);
    const http = Buffer.from('GET / HTTP/1.1\r\nHost: plc\r\n\r\n');
    expect(enip.heuristic!(http, 0, http.length)).toBe(false);
  });

  test('enip.describe(space, code) names commands and services with the classes of INTERFACES.md', () => {
    expect(enip.describe(1, 0x63)).toEqual({ name: 'LIST_IDENTITY', opClass: 'diagnostic' });
    expect(enip.describe(1, 0x65)).toEqual({ name: 'REGISTER_SESSION', opClass: 'session' });
    expect(enip.describe(1, 0x66)).toEqual({ name: 'UNREGISTER_SESSION', opClass: 'session' });
    expect(enip.describe(1, 0x99)).toEqual({ name: 'Unknown (0x99)', opClass: 'other' });
    expect(enip.describe(0, 0x0e)).toEqual({ name: 'GET_ATTRIBUTE_SINGLE', opClass: 'read' });
    expect(enip.describe(0, 0x10)).toEqual({ name: 'SET_ATTRIBUTE_SINGLE', opClass: 'write' });
    expect(enip.describe(0, 0x05)).toEqual({ name: 'RESET', opClass: 'control' });
    expect(enip.describe(0, 0x07)).toEqual({ name: 'STOP', opClass: 'control' });
    expect(enip.describe(0, 0x54, 6)).toEqual({ name: 'FORWARD_OPEN', opClass: 'session' });
    expect(enip.describe(0, 0x5b, 6)).toEqual({ name: 'LARGE_FORWARD_OPEN', opClass: 'session' });
    expect(enip.describe(0, 0x4e, 6)).toEqual({ name: 'FORWARD_CLOSE', opClass: 'session' });
    expect(enip.describe(0, 0x4e, 0x6b)).toEqual({ name: 'READ_MODIFY_WRITE_TAG', opClass: 'write' });
    expect(enip.describe(0, 0x4c, 0x6b)).toEqual({ name: 'READ_TAG', opClass: 'read' });
    expect(enip.describe(0, 0x4d, 0x6b)).toEqual({ name: 'WRITE_TAG', opClass: 'write' });
    expect(enip.describe(0, 0x4c, 0)).toEqual({ name: 'Unknown (0x4c)', opClass: 'other' });
    expect(enip.describe(0, 0x7f)).toEqual({ name: 'Unknown (0x7f)', opClass: 'other' });
  });
});

// The contract, with samples of each kind from the real captures and the synthetic conversation.
const realSamples = (): ContractSample[] => [
  { name: 'MSP request (example frame 2)', pdu: frame(EXAMPLE, 2).pdu, dir: DIR_TO_SERVER },
  { name: 'MSP reply (example frame 4)', pdu: frame(EXAMPLE, 4).pdu, dir: DIR_TO_CLIENT },
  { name: 'Get_Attribute_List request (example frame 10)', pdu: frame(EXAMPLE, 10).pdu, dir: DIR_TO_SERVER },
  { name: 'Get_Attribute_List reply (example frame 11)', pdu: frame(EXAMPLE, 11).pdu, dir: DIR_TO_CLIENT },
  { name: 'ListIdentity request (example frame 371)', pdu: frame(EXAMPLE, 371).pdu, dir: DIR_TO_SERVER },
  { name: 'ListIdentity reply (example frame 372)', pdu: frame(EXAMPLE, 372).pdu, dir: DIR_TO_CLIENT },
  { name: 'MSP request (pcapng)', pdu: frame(MSP_PCAPNG, 1).pdu, dir: DIR_TO_SERVER },
  { name: 'Set_Attribute_Single request (VLAN pcapng)', pdu: frame(SET_ATTR_PCAPNG, 1).pdu, dir: DIR_TO_SERVER },
];
// Samples are built before jest collects the contract's tests (tshark runs once per capture).
const samples: ContractSample[] = [
  ...realSamples(),
  ...syntheticConversation().map((p) => ({ name: p.name, pdu: p.pdu, dir: p.fromClient ? DIR_TO_SERVER : DIR_TO_CLIENT })),
];
runDissectorContract(enip, samples);
