/**
 * Unit tests of the opcua dissector: the shared contract on real PDUs from the captures, chunking
 * (OPC 10000-6, 6.7.3), ERR / RHE / ServiceFault, unknown codes, violations, framing and naming.
 */
import {
  MT_ACK,
  MT_CLO,
  MT_ERR,
  MT_HEL,
  MT_MSG,
  MT_OPN,
  MT_RHE,
  SERVICE_TYPES,
  abortCode,
  continuationCode,
  opcua,
} from '../../../src/dissectors/opcua/index.js';
import {
  DIR_TO_CLIENT,
  DIR_TO_SERVER,
  DIR_UNKNOWN,
  KIND_EXCEPTION,
  KIND_REQUEST,
  KIND_RESPONSE,
  WHO_RECEIVER,
  WHO_SENDER,
} from '../../../src/dissectors/types.js';
import { tshark } from '../../util/tshark.js';
import { runDissectorContract } from '../contract.js';
import type { ContractSample } from '../contract.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { capturePath, listCaptures } from '../../util/captures.js';
import { captureStreams } from './captureStreams.js';
import type { FramedPdu } from './captureStreams.js';

const WITH_GAP = 'opcua/cisagov_opcua_with-gap_with-handshake.pcap';
const ENCRYPTED = 'opcua/cisagov_open62541_client-server_encrypted.pcap';
const MAINLOOP = 'opcua/cisagov_open62541_client-server_mainloop.pcap';

function pdusOf(file: string, port = 4840): FramedPdu[] {
  return captureStreams(capturePath(file), opcua.pduLength!, [port]).pdus;
}

function pduAt(pdus: FramedPdu[], frame: number, index = 0): FramedPdu {
  const p = pdus.filter((x) => x.frame === frame)[index];
  if (!p) throw new Error(`no PDU in frame ${frame}`);
  return p;
}

/** Decodes PDUs in order with one state; returns one sink per PDU. */
function run(pdus: Array<{ pdu: Buffer; dir: number }>): RecordingSink[] {
  const st = opcua.createState();
  return pdus.map((p) => {
    const sink = new RecordingSink();
    opcua.decode(st, p.pdu, 0, p.pdu.length, p.dir, sink);
    return sink;
  });
}

function fns(sink: RecordingSink): string[] {
  return sink.fns.map((f) => `${f.space}:${opcua.describe(f.space, f.code, f.variant).name}/${f.kind}${f.variant ? `/ns${f.variant}` : ''}`);
}

function uaString(s: string | null): Buffer {
  if (s === null) return Buffer.from([0xff, 0xff, 0xff, 0xff]);
  const b = Buffer.from(s, 'utf8');
  const n = Buffer.alloc(4);
  n.writeInt32LE(b.length);
  return Buffer.concat([n, b]);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

/** A message with header `type` + `chunk` around `body` (MessageSize filled in). */
function message(type: string, chunk: string, body: Buffer): Buffer {
  const h = Buffer.from(`${type}${chunk}\0\0\0\0`, 'latin1');
  h.writeUInt32LE(8 + body.length, 4);
  return Buffer.concat([h, body]);
}

/**
 * Splits a readable MSG chunk into chunks of at most `bodyPerChunk` body bytes (after the 16-byte
 * SecureChannelId/TokenId/sequence header), with IsFinal 'C' on all but the last (6.7.2.2).
 */
function split(msg: Buffer, bodyPerChunk: number, last = 'F'): Buffer[] {
  const hdr = msg.subarray(8, 24); // SecureChannelId, TokenId, SequenceNumber, RequestId
  const body = msg.subarray(24);
  const out: Buffer[] = [];
  for (let o = 0; o < body.length; o += bodyPerChunk) {
    const end = Math.min(body.length, o + bodyPerChunk);
    const h = Buffer.from(hdr);
    h.writeUInt32LE(hdr.readUInt32LE(8) + out.length, 8); // SequenceNumber increases per chunk
    out.push(message('MSG', end === body.length ? last : 'C', Buffer.concat([h, body.subarray(o, end)])));
  }
  return out;
}

describe('opcua dissector', () => {
  const withGap = pdusOf(WITH_GAP);
  const encrypted = pdusOf(ENCRYPTED);
  const mainloop = pdusOf(MAINLOOP);

  test('opcua.decode(HEL) counts HEL as a request and gives the endpoint URL of the receiver', () => {
    const [s] = run([pduAt(withGap, 4)]);
    expect(fns(s!)).toEqual(['1:HEL/0']);
    expect(s!.identities).toEqual([{ who: WHO_RECEIVER, key: 'endpoint_url', value: 'opc.tcp://192.168.11.34:4840' }]);
    expect(s!.violations).toEqual([]);
  });

  test('opcua.decode(OPN request, policy None) counts OPN + OPEN_SECURE_CHANNEL_REQUEST and reports policy and mode None', () => {
    const [req, resp] = run([pduAt(withGap, 7), pduAt(withGap, 8)]);
    expect(fns(req!)).toEqual(['1:OPN/0', '0:OPEN_SECURE_CHANNEL_REQUEST/0']);
    expect(req!.attributes).toEqual([
      { key: 'security_policy', value: 'http://opcfoundation.org/UA/SecurityPolicy#None' },
      { key: 'security_mode', value: 'None' },
    ]);
    expect(fns(resp!)).toEqual(['1:OPN/1', '0:OPEN_SECURE_CHANNEL_RESPONSE/1']);
    expect(resp!.attributes).toEqual([]); // the same policy is reported once per connection
  });

  test('opcua.decode(CreateSessionRequest / Response) gives the client then the server ApplicationDescription', () => {
    const sinks = run([7, 8, 10, 30].map((f) => pduAt(withGap, f)));
    expect(fns(sinks[2]!)).toEqual(['1:MSG/0', '0:CREATE_SESSION_REQUEST/0']);
    expect(sinks[2]!.identities).toEqual([
      { who: WHO_SENDER, key: 'application_uri', value: 'urn:MES::FraunhoferIOSB:SiLab UA-Client' },
      { who: WHO_SENDER, key: 'product_uri', value: 'urn:FraunhoferIOSB:SiLabUAServer:Client' },
      { who: WHO_SENDER, key: 'application_name', value: 'SiLab OPC UA Server-Client' },
      { who: WHO_SENDER, key: 'application_type', value: 'Client' },
    ]);
    expect(fns(sinks[3]!)).toEqual(['1:MSG/1', '0:CREATE_SESSION_RESPONSE/1']);
    expect(sinks[3]!.identities).toContainEqual({ who: WHO_SENDER, key: 'product_uri', value: 'urn:Softing:SoftingOPCUAGateway' });
    expect(sinks[3]!.identities).toContainEqual({ who: WHO_SENDER, key: 'application_type', value: 'Server' });
  });

  test('opcua.decode(PublishResponse with ServiceResult BadNoSubscription) counts an exception', () => {
    const p = pduAt(withGap, 360); // tshark: opcua.ServiceResult 0x80790000
    const [s] = run([p]);
    expect(p.pdu.readUInt32LE(24 + 4 + 8 + 4)).toBe(0x80790000); // after NodeId (4 bytes), Timestamp, RequestHandle
    expect(fns(s!)).toEqual(['1:MSG/1', '0:PUBLISH_RESPONSE/2']);
  });

  test('opcua.decode(ReadRequest) without OPN seen (mid-stream) still counts READ_REQUEST', () => {
    const read = withGap.find((x) => x.dir === DIR_TO_SERVER && x.pdu.readUInt16LE(26) === 631)!;
    const [s] = run([{ pdu: read.pdu, dir: DIR_UNKNOWN }]);
    expect(fns(s!)).toEqual(['1:MSG/0', '0:READ_REQUEST/0']);
    expect(s!.attributes).toEqual([]);
  });

  test('opcua.decode(encrypted channel) counts OPN and MSG in space 1 only, as unreadable (variant 1), and reports SignAndEncrypt once', () => {
    const s1 = encrypted.filter((p) => p.stream === 1);
    const sinks = run(s1);
    expect(sinks.map(fns).flat()).toEqual([
      '1:HEL/0', '1:ACK/1', '1:OPN_UNREADABLE/0/ns1', '1:OPN_UNREADABLE/1/ns1',
      '1:MSG_UNREADABLE/0/ns1', '1:MSG_UNREADABLE/1/ns1', '1:MSG_UNREADABLE/0/ns1', '1:MSG_UNREADABLE/1/ns1',
      '1:MSG_UNREADABLE/0/ns1', '1:MSG_UNREADABLE/1/ns1', '1:MSG_UNREADABLE/0/ns1', '1:MSG_UNREADABLE/1/ns1',
      '1:CLO_UNREADABLE/0/ns1',
    ]);
    // An unreadable MSG may carry any service: class other (a "read only" conduit does not allow it).
    expect(opcua.describe(1, MT_MSG, 1)).toEqual({ name: 'MSG_UNREADABLE', opClass: 'other' });
    expect(opcua.describe(1, MT_OPN, 1).opClass).toBe('session');
    const attrs = sinks.flatMap((s) => s.attributes);
    expect(attrs).toEqual([
      { key: 'security_policy', value: 'http://opcfoundation.org/UA/SecurityPolicy#Basic128Rsa15' },
      { key: 'security_mode', value: 'SignAndEncrypt' },
    ]);
    expect(sinks.flatMap((s) => s.violations)).toEqual([]);
  });

  test('opcua.decode(multi-chunk CreateSessionRequest) counts the message once, later chunks as MSG_CONTINUATION', () => {
    const create = pduAt(withGap, 10);
    const chunks = split(create.pdu, 600);
    expect(chunks.length).toBe(3);
    const sinks = run([pduAt(withGap, 7), ...chunks.map((pdu) => ({ pdu, dir: DIR_TO_SERVER })), pduAt(withGap, 31)]);
    expect(sinks.slice(1).map(fns)).toEqual([
      ['1:MSG/0', '0:CREATE_SESSION_REQUEST/0'],
      ['1:MSG_CONTINUATION/0'],
      ['1:MSG_CONTINUATION/0'],
      ['1:MSG/0', '0:ACTIVATE_SESSION_REQUEST/0'], // the next message starts afresh
    ]);
    expect(sinks[1]!.identities[0]).toEqual({ who: WHO_SENDER, key: 'application_uri', value: 'urn:MES::FraunhoferIOSB:SiLab UA-Client' });
    expect(sinks.flatMap((s) => s.violations)).toEqual([]);
  });

  test('opcua.decode(multi-chunk message then abort chunk) counts MSG, MSG_CONTINUATION, MSG_ABORT', () => {
    const chunks = split(pduAt(withGap, 10).pdu, 600);
    const abort = message('MSG', 'A', Buffer.concat([chunks[2]!.subarray(8, 24), u32(0x80af0000), uaString('cancelled')]));
    const sinks = run([pduAt(withGap, 7), { pdu: chunks[0]!, dir: DIR_TO_SERVER }, { pdu: chunks[1]!, dir: DIR_TO_SERVER }, { pdu: abort, dir: DIR_TO_SERVER }]);
    expect(sinks.slice(1).map(fns)).toEqual([['1:MSG/0', '0:CREATE_SESSION_REQUEST/0'], ['1:MSG_CONTINUATION/0'], ['1:MSG_ABORT/0']]);
    expect(opcua.describe(1, abortCode(MT_MSG)).name).toBe('MSG_ABORT');
    expect(opcua.describe(1, continuationCode(MT_MSG)).name).toBe('MSG_CONTINUATION');
  });

  test('opcua.decode(encrypted multi-chunk message) follows IsFinal per direction', () => {
    const s1 = encrypted.filter((p) => p.stream === 1);
    const firstMsg = s1.find((p) => p.pdu.toString('latin1', 0, 3) === 'MSG')!;
    const c = Buffer.from(firstMsg.pdu);
    c[3] = 0x43; // 'C'
    const sinks = run([...s1.slice(0, 4), { pdu: c, dir: DIR_TO_SERVER }, { pdu: c, dir: DIR_TO_SERVER }, { pdu: firstMsg.pdu, dir: DIR_TO_SERVER }, { pdu: firstMsg.pdu, dir: DIR_TO_SERVER }]);
    expect(sinks.slice(4).map(fns)).toEqual([['1:MSG_UNREADABLE/0/ns1'], ['1:MSG_CONTINUATION/0'], ['1:MSG_CONTINUATION/0'], ['1:MSG_UNREADABLE/0/ns1']]);
  });

  test('opcua.decode(ServiceFault) counts SERVICE_FAULT as an exception', () => {
    // Body: ServiceFault NodeId (four-byte, ns 0, 397), ResponseHeader with ServiceResult Bad_ServiceUnsupported.
    const body = Buffer.concat([
      u32(1), u32(1), u32(9), u32(4), // SecureChannelId, TokenId, SequenceNumber, RequestId
      Buffer.from([0x01, 0x00, 397 & 0xff, 397 >> 8]),
      Buffer.alloc(8), u32(7), u32(0x800b0000), Buffer.from([0]), u32(0xffffffff), Buffer.from([0, 0, 0]),
    ]);
    const [s] = run([{ pdu: message('MSG', 'F', body), dir: DIR_UNKNOWN }]);
    expect(fns(s!)).toEqual(['1:MSG/1', '0:SERVICE_FAULT/2']);
    expect(s!.violations).toEqual([]);
  });

  test('opcua.decode(unknown service id, non-zero namespace) keeps the number and the namespace as variant', () => {
    const open = pduAt(mainloop, 10);
    const mk = (nodeId: Buffer) => message('MSG', 'F', Buffer.concat([u32(4), u32(1), u32(2), u32(2), nodeId, Buffer.alloc(30)]));
    const sinks = run([
      open,
      { pdu: mk(Buffer.from([0x01, 0x00, 0x0f, 0x27])), dir: DIR_TO_SERVER }, // ns 0, id 9999
      { pdu: mk(Buffer.from([0x01, 0x03, 0x77, 0x02])), dir: DIR_TO_CLIENT }, // ns 3, id 631
    ]);
    expect(sinks.slice(1).map(fns)).toEqual([['1:MSG/0', '0:Unknown (0x270f)/0'], ['1:MSG/1', '0:Unknown (0x277)/1/ns3']]);
    expect(opcua.describe(0, 9999)).toEqual({ name: 'Unknown (0x270f)', opClass: 'other' });
  });

  test('opcua.decode(ERR) counts an exception and reports the transport error code', () => {
    const [s] = run([{ pdu: message('ERR', 'F', Buffer.concat([u32(0x80820000), uaString('Bad_TcpMessageTooLarge')])), dir: DIR_TO_CLIENT }]);
    expect(fns(s!)).toEqual(['1:ERR/2']);
    expect(s!.attributes).toEqual([{ key: 'transport_error', value: '0x80820000' }]);
    expect(s!.violations).toEqual([]);
  });

  test('opcua.decode(RHE) counts a request and gives the server URI and endpoint of the sender', () => {
    const [s] = run([{ pdu: message('RHE', 'F', Buffer.concat([uaString('urn:plc7:server'), uaString('opc.tcp://10.0.0.7:4840')])), dir: DIR_UNKNOWN }]);
    expect(fns(s!)).toEqual(['1:RHE/0']);
    expect(s!.identities).toEqual([
      { who: WHO_SENDER, key: 'application_uri', value: 'urn:plc7:server' },
      { who: WHO_SENDER, key: 'endpoint_url', value: 'opc.tcp://10.0.0.7:4840' },
    ]);
  });

  test('opcua.decode(bad headers) reports a violation with a code and the offset', () => {
    const hel = pduAt(withGap, 4).pdu;
    const cases: Array<[Buffer, string, number]> = [
      [hel.subarray(0, 5), 'OPCUA_TRUNCATED', 0],
      [Buffer.concat([Buffer.from('XYZF'), hel.subarray(4)]), 'OPCUA_UNKNOWN_MESSAGE_TYPE', 0],
      [Buffer.concat([Buffer.from('HELC'), hel.subarray(4)]), 'OPCUA_BAD_CHUNK_TYPE', 3],
      [hel.subarray(0, hel.length - 1), 'OPCUA_LENGTH_MISMATCH', 4],
    ];
    for (const [pdu, code, at] of cases) {
      const [s] = run([{ pdu, dir: DIR_TO_SERVER }]);
      expect(s!.violations.map((v) => [v.code, v.at])).toEqual([[code, at]]);
      expect(s!.fns).toEqual([]);
    }
    // An EndpointUrl longer than the message: counted, and the bad field located.
    const bad = Buffer.from(hel);
    bad.writeInt32LE(1000, 28);
    const [s] = run([{ pdu: bad, dir: DIR_TO_SERVER }]);
    expect(fns(s!)).toEqual(['1:HEL/0']);
    expect(s!.violations.map((v) => [v.code, v.at])).toEqual([['OPCUA_BAD_FIELD', 28]]);
    expect(s!.identities).toEqual([]);
  });

  test('opcua.pduLength(prefixes and bounds) asks for more, accepts the MessageSize or rejects', () => {
    const hel = pduAt(withGap, 4).pdu;
    expect(opcua.pduLength!(hel, 0, 2)).toBe(0);
    expect(opcua.pduLength!(hel, 0, 7)).toBe(0);
    expect(opcua.pduLength!(hel, 0, 8)).toBe(60);
    expect(opcua.pduLength!(Buffer.from('GET / HTTP/1.1\r\n'), 0, 16)).toBe(-1);
    expect(opcua.pduLength!(Buffer.from('GE'), 0, 2)).toBe(-1);
    const big = Buffer.from(hel);
    big.writeUInt32LE(16 * 1024 * 1024 + 1, 4);
    expect(opcua.pduLength!(big, 0, big.length)).toBe(-1);
    big.writeUInt32LE(7, 4);
    expect(opcua.pduLength!(big, 0, big.length)).toBe(-1);
  });

  test('opcua.heuristic(first TCP payloads of every non-OPC UA capture) finds no OPC UA', () => {
    const others = listCaptures().filter((f) => !f.startsWith('opcua/'));
    expect(others.length).toBeGreaterThan(5);
    let payloads = 0;
    for (const f of others) {
      const cs = captureStreams(capturePath(f), () => -1, []);
      for (const s of cs.streams.values()) {
        for (const first of s.firstPayload) {
          if (!first) continue;
          payloads++;
          expect({ f, stream: s.stream, hit: opcua.heuristic!(first, 0, first.length) }).toEqual({ f, stream: s.stream, hit: false });
        }
      }
    }
    expect(payloads).toBeGreaterThan(10);
  });

  test('opcua.describe(service and message codes) names them with the INTERFACES.md operation classes', () => {
    const d = (code: number, space = 0) => opcua.describe(space, code);
    expect(d(631)).toEqual({ name: 'READ_REQUEST', opClass: 'read', kind: KIND_REQUEST });
    expect(d(634)).toEqual({ name: 'READ_RESPONSE', opClass: 'read', kind: KIND_RESPONSE });
    expect(d(673).opClass).toBe('write');
    expect(d(712)).toMatchObject({ name: 'CALL_REQUEST', opClass: 'write' });
    expect(d(700)).toMatchObject({ name: 'HISTORY_UPDATE_REQUEST', opClass: 'write' });
    expect(d(488)).toMatchObject({ name: 'ADD_NODES_REQUEST', opClass: 'write' });
    expect(d(527)).toMatchObject({ name: 'BROWSE_REQUEST', opClass: 'read' });
    expect(d(554)).toMatchObject({ name: 'TRANSLATE_BROWSE_PATHS_TO_NODE_IDS_REQUEST', opClass: 'read' });
    expect(d(826)).toMatchObject({ name: 'PUBLISH_REQUEST', opClass: 'read' });
    expect(d(751)).toMatchObject({ name: 'CREATE_MONITORED_ITEMS_REQUEST', opClass: 'read' });
    expect(d(461)).toMatchObject({ name: 'CREATE_SESSION_REQUEST', opClass: 'session' });
    expect(d(428)).toMatchObject({ name: 'GET_ENDPOINTS_REQUEST', opClass: 'session' });
    expect(d(446)).toMatchObject({ name: 'OPEN_SECURE_CHANNEL_REQUEST', opClass: 'session' });
    expect(d(397)).toMatchObject({ name: 'SERVICE_FAULT', kind: KIND_EXCEPTION });
    expect(d(631, 0)).not.toEqual(opcua.describe(0, 631, 2)); // namespace 2: not the standard service
    for (const [code, name] of [[MT_HEL, 'HEL'], [MT_ACK, 'ACK'], [MT_ERR, 'ERR'], [MT_RHE, 'RHE']] as const) {
      expect(d(code, 1)).toEqual({ name, opClass: 'session' });
    }
    // OPN, MSG, CLO carry the service counted in space 0: carriers, no operation of their own.
    for (const [code, name] of [[MT_OPN, 'OPN'], [MT_MSG, 'MSG'], [MT_CLO, 'CLO']] as const) {
      expect(d(code, 1)).toEqual({ name, opClass: 'carrier' });
    }
    expect(d(0x5a, 1)).toEqual({ name: 'Unknown (0x5a)', opClass: 'other' });
    expect(SERVICE_TYPES.size).toBe(83);
  });

  test('opcua.describe(every service type) agrees with tshark 4.0 on all 83 binary encoding ids and names', () => {
    // tshark's value_string for opcua.servicenodeid.numeric ("V<TAB>field<TAB>631<TAB>ReadRequest"),
    // binary encodings only; names compared after CamelCase -> UPPER_SNAKE.
    const r = { stdout: tshark(['-G', 'values']) };
    const theirs = new Map<number, string>();
    for (const line of r.stdout.split('\n')) {
      const [v, field, id, name] = line.split('\t');
      if (v !== 'V' || field !== 'opcua.servicenodeid.numeric' || !name || name.includes('XML')) continue;
      theirs.set(Number(id), name.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '_').toUpperCase());
    }
    const ours = new Map([...SERVICE_TYPES].map(([id, t]) => [id, t.name]));
    expect(theirs.size).toBe(83);
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(theirs));
  });
});

describe('opcua contract', () => {
  const samples: ContractSample[] = [];
  const seen = new Set<string>();
  for (const file of [WITH_GAP, ENCRYPTED, MAINLOOP, 'opcua/cisagov_python_opcua-client-server_minimal.pcap']) {
    const pdus = pdusOf(file);
    const st = opcua.createState();
    for (const p of pdus) {
      const sink = new RecordingSink();
      opcua.decode(st, p.pdu, 0, p.pdu.length, p.dir, sink);
      const name = sink.fns.map((f) => opcua.describe(f.space, f.code).name + (f.kind === KIND_EXCEPTION ? '!' : '')).join('+');
      const k = `${name}${p.pdu.length > 2000 ? ' big' : ''}`;
      if (seen.has(k)) continue;
      seen.add(k);
      samples.push({ name: `${file.split('/')[1]} frame ${p.frame} ${name}`, pdu: p.pdu, dir: p.dir });
    }
  }
  test('opcua contract samples cover requests and responses of each kind', () => {
    const names = samples.map((s) => s.name).join('\n');
    for (const n of ['HEL', 'ACK', 'OPN+OPEN_SECURE_CHANNEL_REQUEST', 'OPN+OPEN_SECURE_CHANNEL_RESPONSE', 'CREATE_SESSION_RESPONSE', 'READ_REQUEST', 'WRITE_RESPONSE', 'PUBLISH_RESPONSE!', 'CLO+CLOSE_SECURE_CHANNEL_REQUEST']) {
      expect(names).toContain(n);
    }
    expect(samples.some((s) => s.name.endsWith(' MSG'))).toBe(true); // an encrypted MSG
    expect(samples.length).toBeGreaterThan(25);
  });
  runDissectorContract(opcua, samples);
});
