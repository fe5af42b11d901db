import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER } from '../../../src/dissectors/types.js';
import {
  createS7State,
  describeS7,
  FN_PI_SERVICE,
  FN_PLC_STOP,
  FN_READ_VAR,
  FN_S7_ACK,
  FN_START_UPLOAD,
  formatS7ObjectKey,
  OBJ_BLOCK,
  OBJ_SZL,
  PI_P_PROGRAM,
  s7BlockKey,
  szlKey,
  UD_READ_SZL,
} from '../../../src/dissectors/s7comm/index.js';
import { decode, pduOfFrame } from './tsharkPdus.js';


/** A DT TPDU around an S7 PDU given in hex. */
function s7(hex: string): Buffer {
  const body = Buffer.from(hex.replace(/ /g, ''), 'hex');
  const head = Buffer.from([3, 0, 0, 0, 2, 0xf0, 0x80]);
  head.writeUInt16BE(7 + body.length, 2);
  return Buffer.concat([head, body]);
}

describe('decodeS7: Job / Ack_Data', () => {
  test('decodeS7(Read Var job, 5 S7ANY items) returns fc 0x04 request and 5 read objects MB0[16] IB0[16] QB0[16] T0[8] C0[8]', () => {
    const s = decode(pduOfFrame('cisagov_s7ident.pcap', 31).pdu, DIR_TO_SERVER);
    expect(s.fns).toEqual([{ space: 0, code: FN_READ_VAR, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.objects.map((o) => [o.space, formatS7ObjectKey(o.key), o.write])).toEqual([
      [0, 'MB0[16]', false],
      [0, 'IB0[16]', false],
      [0, 'QB0[16]', false],
      [0, 'T0[8]', false],
      [0, 'C0[8]', false],
    ]);
  });

  test('decodeS7(Write Var job on DB5) returns a write object DB5.DBB0[8]', () => {
    const s = decode(pduOfFrame('cisagov_s7comm_plus.pcap', 164).pdu, DIR_TO_SERVER);
    expect(s.objects.map((o) => [formatS7ObjectKey(o.key), o.write])).toEqual([['DB5.DBB0[8]', true]]);
  });

  test('decodeS7(Read Var Ack_Data with item errors but header error 0) is a response, not an exception', () => {
    const state = createS7State();
    decode(pduOfFrame('cisagov_s7ident.pcap', 31).pdu, DIR_TO_SERVER, state);
    const s = decode(pduOfFrame('cisagov_s7ident.pcap', 32).pdu, DIR_TO_CLIENT, state);
    expect(s.fns).toEqual([{ space: 0, code: FN_READ_VAR, kind: KIND_RESPONSE, variant: 0 }]);
    expect(s.objects).toEqual([]);
  });

  test('decodeS7(Setup communication Ack_Data) reports the negotiated PDU size 240', () => {
    const s = decode(pduOfFrame('cisagov_snap7.pcap', 2).pdu, DIR_TO_CLIENT);
    expect(s.attributes).toEqual([{ key: 's7_pdu_size', value: '240' }]);
    expect(describeS7(0, s.fns[0]!.code).opClass).toBe('session');
  });

  test('decodeS7(Start upload job for SDB0) reports block object SDB 0, read (upload)', () => {
    const s = decode(pduOfFrame('cisagov_snap7.pcap', 17).pdu, DIR_TO_SERVER);
    expect(s.fns.map((f) => f.code)).toEqual([FN_START_UPLOAD]);
    expect(s.objects).toEqual([{ space: OBJ_BLOCK, key: s7BlockKey(0x0b, 0), write: false }]);
  });

  test('decodeS7(Request download job for DB12) reports block object DB 12, write', () => {
    // function 0x1a, status, 2 unknown, 4 unknown, filename length 9, "_0A00012P", length part...
    const param = Buffer.concat([Buffer.from('1a00000000000000', 'hex'), Buffer.from([9]), Buffer.from('_0A00012P'), Buffer.from('0d31303030313030303030313030', 'hex')]);
    const hdr = Buffer.from('32010000aa00', 'hex');
    const lens = Buffer.alloc(4);
    lens.writeUInt16BE(param.length, 0);
    const s = decode(s7(Buffer.concat([hdr, lens, param]).toString('hex')), DIR_TO_SERVER);
    expect(s.violations).toEqual([]);
    expect(describeS7(0, s.fns[0]!.code).name).toBe('REQUEST_DOWNLOAD');
    expect(describeS7(0, s.fns[0]!.code).opClass).toBe('program');
    expect(s.objects).toEqual([{ space: OBJ_BLOCK, key: s7BlockKey(0x0a, 12), write: true }]);
  });

  test('decodeS7(PI service _MODU, _GARB, P_PROGRAM and PLC stop) counts control functions with the service as variant', () => {
    const state = createS7State();
    const got: Array<[string, number, string]> = [];
    for (let frame = 57; frame <= 64; frame++) {
      const p = pduOfFrame('cisagov_snap7.pcap', frame);
      const s = decode(p.pdu, p.dir, state);
      for (const f of s.fns) got.push([describeS7(0, f.code, f.variant).name, f.kind, describeS7(0, f.code, f.variant).opClass]);
    }
    expect(got).toEqual([
      ['PLC_STOP', KIND_REQUEST, 'control'],
      ['PLC_STOP', KIND_RESPONSE, 'control'],
      ['PI_SERVICE_MODU', KIND_REQUEST, 'control'],
      ['PI_SERVICE_MODU', KIND_RESPONSE, 'control'],
      ['PI_SERVICE_GARB', KIND_REQUEST, 'control'],
      ['PI_SERVICE_GARB', KIND_RESPONSE, 'control'],
      ['PI_SERVICE_P_PROGRAM', KIND_REQUEST, 'control'],
      ['PI_SERVICE_P_PROGRAM', KIND_RESPONSE, 'control'],
    ]);
    const s = decode(pduOfFrame('cisagov_snap7.pcap', 63).pdu, DIR_TO_SERVER);
    expect(s.fns).toEqual([{ space: 0, code: FN_PI_SERVICE, kind: KIND_REQUEST, variant: PI_P_PROGRAM }]);
  });
});

describe('decodeS7: Ack (ROSCTR 2)', () => {
  test('decodeS7(Ack with error 0xd241 after a Start upload job) counts START_UPLOAD as an exception', () => {
    const state = createS7State();
    decode(pduOfFrame('cisagov_s7ident.pcap', 20).pdu, DIR_TO_SERVER, state);
    const s = decode(pduOfFrame('cisagov_s7ident.pcap', 21).pdu, DIR_TO_CLIENT, state);
    expect(s.fns).toEqual([{ space: 0, code: FN_START_UPLOAD, kind: KIND_EXCEPTION, variant: 0 }]);
  });

  test('decodeS7(Ack whose job was not seen) counts ACK (0x200) as an exception', () => {
    const s = decode(pduOfFrame('cisagov_s7ident.pcap', 21).pdu, DIR_TO_CLIENT);
    expect(s.fns).toEqual([{ space: 0, code: FN_S7_ACK, kind: KIND_EXCEPTION, variant: 0 }]);
  });

  test('decodeS7(Ack matched by PDU reference among several pending jobs) names each job', () => {
    const state = createS7State();
    // two jobs (refs 0x0100 Read Var, 0x0200 PLC stop) then their Acks in reverse order
    decode(s7('32 01 0000 0100 000e 0000 0401120a10020001000082000008'), DIR_TO_SERVER, state);
    decode(s7('32 01 0000 0200 0010 0000 29000000000009505f50524f4752414d'), DIR_TO_SERVER, state);
    const a2 = decode(s7('32 02 0000 0200 0000 0000 8104'), DIR_TO_CLIENT, state);
    const a1 = decode(s7('32 02 0000 0100 0000 0000 0000'), DIR_TO_CLIENT, state);
    expect(a2.fns).toEqual([{ space: 0, code: FN_PLC_STOP, kind: KIND_EXCEPTION, variant: 0 }]);
    expect(a1.fns).toEqual([{ space: 0, code: FN_READ_VAR, kind: KIND_RESPONSE, variant: 0 }]);
  });
});

describe('decodeS7: malformed S7 PDUs', () => {
  test('decodeS7(header lengths larger than the PDU) reports S7_LENGTH_MISMATCH and counts nothing', () => {
    const s = decode(s7('32 01 0000 0100 0020 0000 0401'), DIR_TO_SERVER);
    expect(s.fns).toEqual([]);
    expect(s.violations.map((v) => [v.code, v.at])).toEqual([['S7_LENGTH_MISMATCH', 13]]);
  });

  test('decodeS7(Read Var item count 3 with one item) counts the read and reports S7_ITEM_OVERRUN', () => {
    const s = decode(s7('32 01 0000 0100 000e 0000 0403120a10020001000082000008'), DIR_TO_SERVER);
    expect(s.fns.map((f) => f.code)).toEqual([FN_READ_VAR]);
    expect(s.objects).toHaveLength(1);
    expect(s.violations.map((v) => v.code)).toEqual(['S7_ITEM_OVERRUN']);
  });

  test('decodeS7(ROSCTR 5) reports S7_UNKNOWN_ROSCTR', () => {
    const s = decode(s7('32 05 0000 0100 0000 0000'), DIR_TO_SERVER);
    expect(s.violations.map((v) => v.code)).toEqual(['S7_UNKNOWN_ROSCTR']);
  });

  test('decodeS7(Job without parameter) reports S7_NO_FUNCTION', () => {
    const s = decode(s7('32 01 0000 0100 0000 0000'), DIR_TO_SERVER);
    expect(s.violations.map((v) => v.code)).toEqual(['S7_NO_FUNCTION']);
  });
});

describe('decodeS7: userdata', () => {
  test('decodeS7(Read SZL 0x0011 request) counts 0x0401 request with SZL object 0x0011/0', () => {
    const s = decode(pduOfFrame('cisagov_snap7.pcap', 3).pdu, DIR_TO_SERVER);
    expect(s.fns).toEqual([{ space: 1, code: UD_READ_SZL, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.objects).toEqual([{ space: OBJ_SZL, key: szlKey(0x0011, 0), write: false }]);
    expect(describeS7(1, UD_READ_SZL)).toEqual({ name: 'READ_SZL', opClass: 'diagnostic' });
  });

  test('decodeS7(Read SZL 0x0011 response) reports order number, hardware and firmware V3.2.6 of the sender', () => {
    const s = decode(pduOfFrame('cisagov_s7ident.pcap', 11).pdu, DIR_TO_CLIENT);
    expect(s.fns).toEqual([{ space: 1, code: UD_READ_SZL, kind: KIND_RESPONSE, variant: 0 }]);
    expect(s.identities).toEqual([
      { who: WHO_SENDER, key: 'order_number', value: '6ES7 315-2EH14-0AB0' },
      { who: WHO_SENDER, key: 'hardware_order_number', value: '6ES7 315-2EH14-0AB0' },
      { who: WHO_SENDER, key: 'firmware', value: 'V3.2.6' },
    ]);
  });

  test('decodeS7(SZL 0x001C answer in 2 data units) reports the identity only once both are seen', () => {
    const state = createS7State();
    const first = decode(pduOfFrame('cisagov_snap7.pcap', 6).pdu, DIR_TO_CLIENT, state);
    expect(first.identities).toEqual([]);
    expect(first.violations).toEqual([]);
    const next = decode(pduOfFrame('cisagov_snap7.pcap', 7).pdu, DIR_TO_SERVER, state);
    expect(next.fns).toEqual([{ space: 1, code: UD_READ_SZL, kind: KIND_REQUEST, variant: 0 }]);
    const last = decode(pduOfFrame('cisagov_snap7.pcap', 8).pdu, DIR_TO_CLIENT, state);
    expect(last.violations).toEqual([]);
    expect(Object.fromEntries(last.identities.map((i) => [i.key, i.value]))).toEqual({
      system_name: 'S7300/ET200M station_1',
      module: 'PLC_1',
      copyright: 'Original Siemens Equipment',
      serial: 'S C-B1U393142011',
      product_name: 'CPU 315-2 PN/DP',
      memory_card_serial: 'MMC 4A1AC019',
      vendor: 'Siemens',
    });
  });

  test('decodeS7(second SZL data unit without the first) reports no identity and no violation', () => {
    const s = decode(pduOfFrame('cisagov_snap7.pcap', 8).pdu, DIR_TO_CLIENT);
    expect(s.identities).toEqual([]);
    expect(s.violations).toEqual([]);
    expect(s.fns).toHaveLength(1);
  });

  test('decodeS7(Get block info response with error 0xd209) counts GET_BLOCK_INFO as an exception', () => {
    const req = decode(pduOfFrame('cisagov_snap7.pcap', 23).pdu, DIR_TO_SERVER);
    expect(req.objects).toEqual([{ space: OBJ_BLOCK, key: s7BlockKey(0x0a, 0), write: false }]);
    const s = decode(pduOfFrame('cisagov_snap7.pcap', 24).pdu, DIR_TO_CLIENT);
    expect(s.fns).toEqual([{ space: 1, code: 0x0303, kind: KIND_EXCEPTION, variant: 0 }]);
    expect(describeS7(1, 0x0303)).toEqual({ name: 'GET_BLOCK_INFO', opClass: 'diagnostic' });
  });

  test('decodeS7(Set clock request) counts 0x0702 SET_CLOCK, class control', () => {
    const s = decode(pduOfFrame('cisagov_snap7.pcap', 47).pdu, DIR_TO_SERVER);
    expect(s.fns).toEqual([{ space: 1, code: 0x0702, kind: KIND_REQUEST, variant: 0 }]);
    expect(describeS7(1, 0x0702).opClass).toBe('control');
  });

  test('decodeS7(userdata push of an unknown group) keeps the number: response, Unknown (0x...)', () => {
    // type 0 (push), group 0xc, subfunction 0x42
    const s = decode(s7('32 07 0000 0100 0008 0000 00011204 110c4200'), DIR_TO_CLIENT);
    expect(s.fns).toEqual([{ space: 1, code: 0x0c42, kind: KIND_RESPONSE, variant: 0 }]);
    expect(describeS7(1, 0x0c42)).toEqual({ name: 'Unknown (0xc42)', opClass: 'other' });
  });

  test('decodeS7(userdata with a 4-byte parameter) reports S7_USERDATA_PARAM_SHORT', () => {
    const s = decode(s7('32 07 0000 0100 0004 0000 00011204'), DIR_TO_SERVER);
    expect(s.violations.map((v) => v.code)).toEqual(['S7_USERDATA_PARAM_SHORT']);
  });
});
