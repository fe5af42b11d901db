import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../../../src/dissectors/types.js';
import {
  createS7State,
  describeS7,
  PLUS_EXT_KEEP_ALIVE,
  PLUS_FN_ERROR,
  PLUS_FN_GET_MULTI_VARIABLES,
  PLUS_FN_SET_VARIABLE,
  PLUS_KEEP_ALIVE,
  PLUS_NOTIFICATION,
} from '../../../src/dissectors/s7comm/index.js';
import { decode, pduOfFrame } from './tsharkPdus.js';


function dt(body: Buffer): Buffer {
  const head = Buffer.from([3, 0, 0, 0, 2, 0xf0, 0x80]);
  head.writeUInt16BE(7 + body.length, 2);
  return Buffer.concat([head, body]);
}

/** A V1 S7comm-plus PDU: header, data (opcode, reserved, function, reserved, seq, ...), optional trailer. */
function v1(opcode: number, fn: number, extra: number, trailer: boolean): Buffer {
  const data = Buffer.alloc(9 + extra);
  data[0] = opcode;
  data.writeUInt16BE(fn, 3);
  data.writeUInt16BE(7, 7);
  const head = Buffer.from([0x72, 0x01, 0, 0]);
  head.writeUInt16BE(data.length, 2);
  return dt(Buffer.concat([head, data, trailer ? Buffer.from([0x72, 0x01, 0, 0]) : Buffer.alloc(0)]));
}

describe('decodeS7Plus', () => {
  test('decodeS7Plus(V3 GetMultiVariables request and response) returns 0x054c request then response, class read', () => {
    const state = createS7State();
    const req = decode(pduOfFrame('cisagov_s7comm_plus.pcap', 30).pdu, DIR_TO_SERVER, state);
    const res = decode(pduOfFrame('cisagov_s7comm_plus.pcap', 31).pdu, DIR_TO_CLIENT, state);
    expect(req.fns).toEqual([{ space: 2, code: PLUS_FN_GET_MULTI_VARIABLES, kind: KIND_REQUEST, variant: 0 }]);
    expect(res.fns).toEqual([{ space: 2, code: PLUS_FN_GET_MULTI_VARIABLES, kind: KIND_RESPONSE, variant: 0 }]);
    expect(describeS7(2, PLUS_FN_GET_MULTI_VARIABLES)).toEqual({ name: 'GET_MULTI_VARIABLES', opClass: 'read' });
    expect([...req.violations, ...res.violations]).toEqual([]);
  });

  test('decodeS7Plus(V3 SetVariable request) returns 0x04f2, class write', () => {
    const s = decode(pduOfFrame('cisagov_s7comm_plus.pcap', 7).pdu, DIR_TO_SERVER);
    expect(s.fns).toEqual([{ space: 2, code: PLUS_FN_SET_VARIABLE, kind: KIND_REQUEST, variant: 0 }]);
    expect(describeS7(2, PLUS_FN_SET_VARIABLE).opClass).toBe('write');
  });

  test('decodeS7Plus(V3 notification) returns the notification pseudo-code as a response, whatever the direction hint', () => {
    const s = decode(pduOfFrame('cisagov_s7comm_plus.pcap', 2).pdu, DIR_UNKNOWN);
    expect(s.fns).toEqual([{ space: 2, code: PLUS_NOTIFICATION, kind: KIND_RESPONSE, variant: 0 }]);
    expect(describeS7(2, PLUS_NOTIFICATION).name).toBe('NOTIFICATION');
  });

  test('decodeS7Plus(V1 response with function Error 0x04b1) is an exception', () => {
    const s = decode(v1(0x32, PLUS_FN_ERROR, 2, true), DIR_TO_CLIENT);
    expect(s.fns).toEqual([{ space: 2, code: PLUS_FN_ERROR, kind: KIND_EXCEPTION, variant: 0 }]);
    expect(s.violations).toEqual([]);
  });

  test('decodeS7Plus(keep-alive 72 ff, extended keep-alive 72 fe) counts keep-alives by direction', () => {
    const ka = decode(dt(Buffer.from([0x72, 0xff, 0x05, 0x00])), DIR_TO_CLIENT);
    expect(ka.fns).toEqual([{ space: 2, code: PLUS_KEEP_ALIVE, kind: KIND_RESPONSE, variant: 0 }]);
    const ext = decode(dt(Buffer.concat([Buffer.from([0x72, 0xfe, 0x00, 0x10]), Buffer.alloc(16)])), DIR_TO_SERVER);
    expect(ext.fns).toEqual([{ space: 2, code: PLUS_EXT_KEEP_ALIVE, kind: KIND_REQUEST, variant: 0 }]);
    expect(describeS7(2, PLUS_KEEP_ALIVE).opClass).toBe('session');
  });

  test('decodeS7Plus(fragmented PDU: first without trailer, inner, last with trailer) counts it once', () => {
    const state = createS7State();
    const first = decode(v1(0x31, 0x04bb, 20, false), DIR_TO_SERVER, state);
    const inner = decode(dt(Buffer.concat([Buffer.from([0x72, 0x01, 0, 8]), Buffer.alloc(8, 0x31)])), DIR_TO_SERVER, state);
    const last = decode(dt(Buffer.concat([Buffer.from([0x72, 0x01, 0, 8]), Buffer.alloc(8, 0x31), Buffer.from([0x72, 1, 0, 0])])), DIR_TO_SERVER, state);
    const after = decode(v1(0x31, 0x04bb, 2, true), DIR_TO_SERVER, state);
    expect([first, inner, last, after].map((s) => s.fns.map((f) => f.code))).toEqual([[0x04bb], [], [], [0x04bb]]);
    expect([first, inner, last, after].flatMap((s) => s.violations)).toEqual([]);
    expect(describeS7(2, 0x04bb)).toEqual({ name: 'EXPLORE', opClass: 'read' });
  });

  test('decodeS7Plus(unknown opcode 0x45) keeps the number as 0x10045', () => {
    const s = decode(v1(0x45, 0, 2, true), DIR_TO_SERVER);
    expect(s.fns).toEqual([{ space: 2, code: 0x10045, kind: KIND_REQUEST, variant: 0 }]);
    expect(describeS7(2, 0x10045)).toEqual({ name: 'Unknown (0x10045)', opClass: 'other' });
  });

  test('decodeS7Plus(version 7, data length beyond the PDU, missing integrity) reports violations', () => {
    expect(decode(dt(Buffer.from([0x72, 0x07, 0, 0, 0x72, 7, 0, 0])), DIR_TO_SERVER).violations.map((v) => v.code)).toEqual(['S7PLUS_UNKNOWN_VERSION']);
    expect(decode(dt(Buffer.from([0x72, 0x03, 0, 40, 0x20])), DIR_TO_SERVER).violations.map((v) => v.code)).toEqual(['S7PLUS_LENGTH_MISMATCH']);
    expect(decode(dt(Buffer.from([0x72, 0x03, 0, 2, 0x20, 0, 0x72, 3, 0, 0])), DIR_TO_SERVER).violations.map((v) => v.code)).toEqual(['S7PLUS_TRUNCATED']);
  });
});
