import { RecordingSink } from '../../util/recordingSink.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_RECEIVER, WHO_SENDER } from '../../../src/dissectors/types.js';
import {
  createS7State,
  decodeS7comm,
  FN_COTP_CC,
  FN_COTP_CR,
  FN_COTP_DC,
  FN_COTP_DR,
  FN_COTP_DT_SEGMENT,
  FN_COTP_ER,
  FN_READ_VAR,
  FN_WRITE_VAR,
  s7Heuristic,
  tpktPduLength,
} from '../../../src/dissectors/s7comm/index.js';
import { pduOfFrame } from './tsharkPdus.js';

/** One COTP DT TPDU in a TPKT, carrying `chunk`; EOT set when `eot`. */
function dt(chunk: Buffer, eot: boolean): Buffer {
  const head = Buffer.from([3, 0, 0, 0, 2, 0xf0, eot ? 0x80 : 0x00]);
  head.writeUInt16BE(7 + chunk.length, 2);
  return Buffer.concat([head, chunk]);
}

function decode(pdu: Buffer, dir: number, state = createS7State()): RecordingSink {
  const sink = new RecordingSink();
  decodeS7comm(state, pdu, 0, pdu.length, dir, sink);
  return sink;
}

describe('tpktPduLength', () => {
  test('tpktPduLength(real Write Var job) returns the TPKT length 195', () => {
    const { pdu } = pduOfFrame('cisagov_snap7.pcap', 53);
    expect(tpktPduLength(pdu, 0, pdu.length)).toBe(195);
    expect(tpktPduLength(pdu, 0, 4)).toBe(195);
  });
  test('tpktPduLength(3 bytes) returns 0: more bytes needed', () => {
    expect(tpktPduLength(Buffer.from([3, 0, 0]), 0, 3)).toBe(0);
  });
  test('tpktPduLength(version 4 or length < 7) returns -1', () => {
    expect(tpktPduLength(Buffer.from([4, 0, 0, 30]), 0, 4)).toBe(-1);
    expect(tpktPduLength(Buffer.from([3, 0, 0, 6]), 0, 4)).toBe(-1);
    expect(tpktPduLength(Buffer.from([0x00]), 0, 1)).toBe(0);
    expect(tpktPduLength(Buffer.from([0x00, 0, 0, 0]), 0, 4)).toBe(-1);
  });
});

describe('decodeS7comm: COTP', () => {
  test('decodeS7comm(COTP CR to TSAP 0x0101) counts a session request and reports rack 0 slot 1 of the receiver', () => {
    const s = decode(pduOfFrame('cisagov_s7ident.pcap', 4).pdu, DIR_TO_SERVER);
    expect(s.fns).toEqual([{ space: 3, code: FN_COTP_CR, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.identities).toEqual([{ who: WHO_RECEIVER, key: 'rack_slot', value: '0/1' }]);
    expect(s.attributes).toEqual([{ key: 's7_connection_type', value: 'PG' }]);
    expect(s.violations).toEqual([]);
  });

  test('decodeS7comm(COTP CC) counts a session response and reports rack/slot of the sender', () => {
    const s = decode(pduOfFrame('cisagov_s7ident.pcap', 6).pdu, DIR_TO_CLIENT);
    expect(s.fns).toEqual([{ space: 3, code: FN_COTP_CC, kind: KIND_RESPONSE, variant: 0 }]);
    expect(s.identities).toEqual([{ who: WHO_SENDER, key: 'rack_slot', value: '0/1' }]);
  });

  test('decodeS7comm(CR with called TSAP rack 2 slot 3, type OP) reports 2/3 and OP', () => {
    const cr = Buffer.from('0300001611e00000000100c0010ac1020100c2020243', 'hex');
    const s = decode(cr, DIR_TO_SERVER);
    expect(s.identities).toEqual([{ who: WHO_RECEIVER, key: 'rack_slot', value: '2/3' }]);
    expect(s.attributes).toEqual([{ key: 's7_connection_type', value: 'OP' }]);
  });

  test('decodeS7comm(CR with text TSAP "SIMATIC-ROOT-ES") reports the TSAP as an attribute', () => {
    const tsap = Buffer.from('SIMATIC-ROOT-ES');
    const params = Buffer.concat([Buffer.from('c0010ac1020600c2', 'hex'), Buffer.from([tsap.length]), tsap]);
    const cotp = Buffer.concat([Buffer.from([6 + params.length, 0xe0, 0, 0, 0, 1, 0]), params]);
    const pdu = Buffer.concat([Buffer.from([3, 0, 0, 4 + cotp.length]), cotp]);
    const s = decode(pdu, DIR_TO_SERVER);
    expect(s.fns[0]!.code).toBe(FN_COTP_CR);
    expect(s.attributes).toEqual([{ key: 'cotp_called_tsap', value: 'SIMATIC-ROOT-ES' }]);
    expect(s.identities).toEqual([]);
    expect(s.violations).toEqual([]);
  });

  test('decodeS7comm(CR whose parameter overruns the header) counts the CR and reports COTP_BAD_PARAMETER', () => {
    const bad = Buffer.from('0300001611e00000000100c0010ac1020100c2090101', 'hex');
    const s = decode(bad, DIR_TO_SERVER);
    expect(s.fns.map((f) => f.code)).toEqual([FN_COTP_CR]);
    expect(s.violations.map((v) => v.code)).toEqual(['COTP_BAD_PARAMETER']);
  });

  test('decodeS7comm(DR, DC, ER) counts session codes: DR/DC by direction, ER as exception', () => {
    const dr = Buffer.from('0300000b06800001000600', 'hex');
    const dc = Buffer.from('0300000a05c000060001', 'hex');
    expect(decode(dr, DIR_TO_SERVER).fns).toEqual([{ space: 3, code: FN_COTP_DR, kind: KIND_REQUEST, variant: 0 }]);
    expect(decode(dr, DIR_TO_CLIENT).fns).toEqual([{ space: 3, code: FN_COTP_DR, kind: KIND_RESPONSE, variant: 0 }]);
    expect(decode(dc, DIR_UNKNOWN).fns).toEqual([{ space: 3, code: FN_COTP_DC, kind: KIND_RESPONSE, variant: 0 }]);
    const er = Buffer.from('030000090470000102', 'hex');
    expect(decode(er, DIR_TO_CLIENT).fns).toEqual([{ space: 3, code: FN_COTP_ER, kind: KIND_EXCEPTION, variant: 0 }]);
  });

  test('decodeS7comm(TPKT length != PDU length) reports TPKT_LENGTH_MISMATCH and counts nothing', () => {
    const { pdu } = pduOfFrame('cisagov_snap7.pcap', 51);
    const longer = Buffer.concat([pdu, Buffer.from([0])]);
    const s = decode(longer, DIR_TO_SERVER);
    expect(s.fns).toEqual([]);
    expect(s.violations.map((v) => v.code)).toEqual(['TPKT_LENGTH_MISMATCH']);
  });

  test('decodeS7comm(DT carrying protocol id 0x99) reports S7_UNKNOWN_PROTOCOL_ID', () => {
    const s = decode(dt(Buffer.from([0x99, 1, 2, 3]), true), DIR_TO_SERVER);
    expect(s.violations.map((v) => v.code)).toEqual(['S7_UNKNOWN_PROTOCOL_ID']);
    expect(s.violations[0]!.at).toBe(7);
  });
});

describe('decodeS7comm: COTP segmentation (EOT = 0)', () => {
  const job = (): Buffer => pduOfFrame('cisagov_snap7.pcap', 53).pdu; // Write Var, 5 items, 188-byte S7 PDU
  const answer = (): Buffer => pduOfFrame('cisagov_snap7.pcap', 52).pdu; // Read Var Ack_Data

  test('decodeS7comm(Write Var split in 3 DT TPDUs) counts 2 segments, then WRITE_VAR with the same 5 items', () => {
    const whole = decode(job(), DIR_TO_SERVER);
    expect(whole.fns.map((f) => f.code)).toEqual([FN_WRITE_VAR]);
    expect(whole.objects).toHaveLength(5);

    const s7 = job().subarray(7);
    const state = createS7State();
    const parts = [dt(s7.subarray(0, 50), false), dt(s7.subarray(50, 120), false), dt(s7.subarray(120), true)];
    const sinks = parts.map((p) => decode(p, DIR_TO_SERVER, state));
    expect(sinks.map((s) => s.fns.map((f) => [f.code, f.kind]))).toEqual([
      [[FN_COTP_DT_SEGMENT, KIND_REQUEST]],
      [[FN_COTP_DT_SEGMENT, KIND_REQUEST]],
      [[FN_WRITE_VAR, KIND_REQUEST]],
    ]);
    expect(sinks[2]!.objects).toEqual(whole.objects);
    expect(sinks.flatMap((s) => s.violations)).toEqual([]);
  });

  test('decodeS7comm(segments interleaved with a PDU of the other direction) keeps the directions apart', () => {
    const s7 = job().subarray(7);
    const state = createS7State();
    decode(dt(s7.subarray(0, 60), false), DIR_TO_SERVER, state);
    const other = decode(answer(), DIR_TO_CLIENT, state);
    expect(other.fns.map((f) => [f.code, f.kind])).toEqual([[FN_READ_VAR, KIND_RESPONSE]]);
    const last = decode(dt(s7.subarray(60), true), DIR_TO_SERVER, state);
    expect(last.fns.map((f) => f.code)).toEqual([FN_WRITE_VAR]);
    expect(last.violations).toEqual([]);
  });

  test('decodeS7comm(segments beyond 64 KiB) reports COTP_REASSEMBLY_OVERFLOW and starts over', () => {
    const state = createS7State();
    const chunk = Buffer.alloc(8000, 0x32);
    const codes: string[] = [];
    for (let i = 0; i < 9; i++) codes.push(...decode(dt(chunk, false), DIR_TO_SERVER, state).violations.map((v) => v.code));
    expect(codes).toEqual(['COTP_REASSEMBLY_OVERFLOW']);
    // after the overflow the buffer is empty again: a complete PDU decodes normally
    const s = decode(answer(), DIR_TO_SERVER, state);
    expect(s.fns.map((f) => f.code)).toEqual([FN_READ_VAR]);
  });
});

describe('s7Heuristic', () => {
  test('s7Heuristic(real S7 DT, COTP CR with TSAPs, S7comm-plus DT) is true', () => {
    for (const [file, frame] of [['cisagov_snap7.pcap', 53], ['cisagov_s7ident.pcap', 4], ['cisagov_s7comm_plus.pcap', 30]] as const) {
      const { pdu } = pduOfFrame(file, frame);
      expect(s7Heuristic(pdu, 0, pdu.length)).toBe(true);
    }
  });
  test('s7Heuristic(RDP connection request over TPKT/COTP, Modbus/TCP) is false', () => {
    const rdp = Buffer.from('030000130ee000000000000100080003000000', 'hex');
    expect(s7Heuristic(rdp, 0, rdp.length)).toBe(false);
    const modbus = Buffer.from('000100000006010300000002', 'hex');
    expect(s7Heuristic(modbus, 0, modbus.length)).toBe(false);
  });
});
