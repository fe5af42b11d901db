import { runDissectorContract, type ContractSample } from '../contract.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { capturePath } from '../../util/captures.js';
import { tshark } from '../tsharkTcp.js';
import { modbusTcp, ModbusState, MODBUS_OBJECT_UNIT } from '../../../src/dissectors/modbus-tcp/modbusTcp.js';
import {
  DIR_TO_CLIENT,
  DIR_TO_SERVER,
  DIR_UNKNOWN,
  KIND_EXCEPTION,
  KIND_REQUEST,
  KIND_RESPONSE,
  WHO_SENDER,
} from '../../../src/dissectors/types.js';

/** MBAP + PDU: transaction id, unit id, PDU bytes (function code first) as hex. */
function mbap(tid: number, unit: number, pduHex: string, protocolId = 0): Buffer {
  const pdu = Buffer.from(pduHex.replace(/\s+/g, ''), 'hex');
  const b = Buffer.alloc(7 + pdu.length);
  b.writeUInt16BE(tid, 0);
  b.writeUInt16BE(protocolId, 2);
  b.writeUInt16BE(pdu.length + 1, 4);
  b[6] = unit;
  pdu.copy(b, 7);
  return b;
}

function decode(pdu: Buffer, dir: number, state = new ModbusState()): RecordingSink {
  const sink = new RecordingSink();
  modbusTcp.decode(state, pdu, 0, pdu.length, dir, sink);
  return sink;
}

/** Every distinct Modbus/TCP payload tshark finds in the real captures, with its direction. */
function captureSamples(): ContractSample[] {
  const files = ['modbus/cisagov_modbus_example.pcap', 'modbus/zeek_modbus-and-non-modbus-p502.pcap', 'modbus/zeek_modbus-eit.pcap', 'modbus/zeek_modbusSmall.pcap'];
  const seen = new Set<string>();
  const out: ContractSample[] = [];
  for (const f of files) {
    const lines = tshark(['-r', capturePath(f), '-Y', 'modbus', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.srcport', '-e', 'tcp.payload']).split('\n');
    for (const line of lines) {
      if (!line) continue;
      const [frame, sport, hex] = line.split('\t') as [string, string, string];
      if (seen.has(hex)) continue;
      seen.add(hex);
      // zeek_modbus-eit frame 2: a Read Device Identification response with 0 objects followed by 4 stray
      // bytes (conformity level 0x00, more-follows 0x4d): we report MODBUS_TRAILING_BYTES (tested below).
      if (f.endsWith('modbus-eit.pcap') && frame === '2') continue;
      out.push({ name: `${f} frame ${frame}`, pdu: Buffer.from(hex, 'hex'), dir: sport === '502' ? DIR_TO_CLIENT : DIR_TO_SERVER });
    }
  }
  return out;
}

const samples = captureSamples();

test('captureSamples() finds the real Modbus PDUs (at least 60 distinct)', () => {
  expect(samples.length).toBeGreaterThanOrEqual(60);
});

runDissectorContract(modbusTcp, samples);

describe('modbusTcp.pduLength', () => {
  test('modbusTcp.pduLength(read holding registers request) returns 12', () => {
    const p = mbap(1, 1, '03 0000 000a');
    expect(modbusTcp.pduLength!(p, 0, p.length)).toBe(12);
    expect(modbusTcp.pduLength!(p, 0, 6)).toBe(12);
  });
  test('modbusTcp.pduLength(fewer than 6 bytes, protocol id 0) returns 0 (needs more)', () => {
    const p = mbap(1, 1, '03 0000 000a');
    expect(modbusTcp.pduLength!(p, 0, 5)).toBe(0);
    expect(modbusTcp.pduLength!(p, 0, 0)).toBe(0);
  });
  test('modbusTcp.pduLength(protocol id != 0 or length outside 2..260) returns -1; 255..260 is framed', () => {
    expect(modbusTcp.pduLength!(mbap(1, 1, '03 0000 000a', 1), 0, 12)).toBe(-1);
    expect(modbusTcp.pduLength!(Buffer.from('474554202f20', 'hex'), 0, 6)).toBe(-1); // "GET / "
    expect(modbusTcp.pduLength!(Buffer.from('000100000001', 'hex'), 0, 6)).toBe(-1);
    expect(modbusTcp.pduLength!(Buffer.from('0001000000ff', 'hex'), 0, 6)).toBe(261);
    expect(modbusTcp.pduLength!(Buffer.from('000100000104', 'hex'), 0, 6)).toBe(266);
    expect(modbusTcp.pduLength!(Buffer.from('000100000105', 'hex'), 0, 6)).toBe(-1);
    expect(modbusTcp.pduLength!(Buffer.from('0001000000fe', 'hex'), 0, 6)).toBe(260);
  });
});

describe('modbusTcp.heuristic', () => {
  test('modbusTcp.heuristic(a whole read request) returns true', () => {
    const p = mbap(7, 1, '03 0000 000a');
    expect(modbusTcp.heuristic!(p, 0, p.length)).toBe(true);
  });
  test('modbusTcp.heuristic(TLS, HTTP, an unknown function, a split PDU) returns false', () => {
    const tls = Buffer.from('160301008501000081', 'hex');
    expect(modbusTcp.heuristic!(tls, 0, tls.length)).toBe(false);
    const http = Buffer.from('GET / HTTP/1.1\r\n', 'latin1');
    expect(modbusTcp.heuristic!(http, 0, http.length)).toBe(false);
    const unk = mbap(1, 1, '5a 0000');
    expect(modbusTcp.heuristic!(unk, 0, unk.length)).toBe(false);
    const p = mbap(7, 1, '03 0000 000a');
    expect(modbusTcp.heuristic!(p, 0, 10)).toBe(false);
  });
});

describe('modbusTcp.decode: reads', () => {
  test('decodeModbus(read holding registers request) returns fc 3, count 10, unit 17', () => {
    const s = decode(mbap(1, 17, '03 006b 000a'), DIR_TO_SERVER);
    expect(s.fns).toEqual([{ space: 0, code: 3, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.ranges).toEqual([{ table: 4, start: 0x6b, count: 10, write: false }]);
    expect(s.objects).toEqual([{ space: MODBUS_OBJECT_UNIT, key: 17, write: false }]);
    expect(s.violations).toEqual([]);
  });
  test('decodeModbus(read coils / discrete inputs / input registers requests) report tables 0, 1, 3', () => {
    expect(decode(mbap(1, 1, '01 0013 0013'), DIR_TO_SERVER).ranges).toEqual([{ table: 0, start: 0x13, count: 19, write: false }]);
    expect(decode(mbap(1, 1, '02 00c4 0016'), DIR_TO_SERVER).ranges).toEqual([{ table: 1, start: 0xc4, count: 22, write: false }]);
    expect(decode(mbap(1, 1, '04 0008 0001'), DIR_TO_SERVER).ranges).toEqual([{ table: 3, start: 8, count: 1, write: false }]);
  });
  test('decodeModbus(read holding registers response) returns a response, no range, no violation', () => {
    const s = decode(mbap(1, 1, '03 06 022b 0000 0064'), DIR_TO_CLIENT);
    expect(s.fns).toEqual([{ space: 0, code: 3, kind: KIND_RESPONSE, variant: 0 }]);
    expect(s.ranges).toEqual([]);
    expect(s.objects).toEqual([]);
    expect(s.violations).toEqual([]);
  });
  test('decodeModbus(read registers response with a wrong byte count) reports MODBUS_BAD_BYTE_COUNT', () => {
    const s = decode(mbap(1, 1, '03 08 022b 0000 0064'), DIR_TO_CLIENT);
    expect(s.fns.length).toBe(1);
    expect(s.violations.map((v) => v.code)).toEqual(['MODBUS_BAD_BYTE_COUNT']);
  });
  test('decodeModbus(read registers request for 126 registers) reports MODBUS_BAD_QUANTITY', () => {
    expect(decode(mbap(1, 1, '03 0000 007e'), DIR_TO_SERVER).violations.map((v) => v.code)).toEqual(['MODBUS_BAD_QUANTITY']);
    expect(decode(mbap(1, 1, '01 0000 07d0'), DIR_TO_SERVER).violations).toEqual([]);
    expect(decode(mbap(1, 1, '01 0000 07d1'), DIR_TO_SERVER).violations.map((v) => v.code)).toEqual(['MODBUS_BAD_QUANTITY']);
  });
  test('decodeModbus(read FIFO queue request and response) returns fc 24, pointer range', () => {
    const q = decode(mbap(1, 1, '18 04de'), DIR_TO_SERVER);
    expect(q.ranges).toEqual([{ table: 4, start: 0x4de, count: 1, write: false }]);
    const r = decode(mbap(1, 1, '18 0006 0002 01b8 1284'), DIR_TO_CLIENT);
    expect(r.fns).toEqual([{ space: 0, code: 24, kind: KIND_RESPONSE, variant: 0 }]);
    expect(r.violations).toEqual([]);
  });
  test('decodeModbus(read file record request) checks reference type 6', () => {
    expect(decode(mbap(1, 1, '14 0e 06 0004 0001 0002 06 0003 0009 0002'), DIR_TO_SERVER).violations).toEqual([]);
    expect(decode(mbap(1, 1, '14 07 05 0004 0001 0002'), DIR_TO_SERVER).violations.map((v) => v.code)).toEqual(['MODBUS_BAD_REFERENCE_TYPE']);
  });
});

describe('modbusTcp.decode: writes', () => {
  test('decodeModbus(write single coil request) returns fc 5, coil range write', () => {
    const s = decode(mbap(1, 1, '05 00ac ff00'), DIR_TO_SERVER);
    expect(s.fns[0]).toEqual({ space: 0, code: 5, kind: KIND_REQUEST, variant: 0 });
    expect(s.ranges).toEqual([{ table: 0, start: 0xac, count: 1, write: true }]);
    expect(s.objects).toEqual([{ space: MODBUS_OBJECT_UNIT, key: 1, write: true }]);
    expect(decode(mbap(1, 1, '05 00ac 1234'), DIR_TO_SERVER).violations.map((v) => v.code)).toEqual(['MODBUS_BAD_VALUE']);
  });
  test('decodeModbus(write single register request) returns fc 6, holding register write', () => {
    expect(decode(mbap(1, 1, '06 0001 0003'), DIR_TO_SERVER).ranges).toEqual([{ table: 4, start: 1, count: 1, write: true }]);
  });
  test('decodeModbus(write multiple coils request) returns fc 15, 10 coils', () => {
    const s = decode(mbap(1, 1, '0f 0013 000a 02 cd01'), DIR_TO_SERVER);
    expect(s.ranges).toEqual([{ table: 0, start: 0x13, count: 10, write: true }]);
    expect(s.violations).toEqual([]);
    expect(decode(mbap(1, 1, '0f 0013 000a 03 cd0100'), DIR_TO_SERVER).violations.map((v) => v.code)).toEqual(['MODBUS_BAD_BYTE_COUNT']);
  });
  test('decodeModbus(write multiple registers request) returns fc 16, 2 registers', () => {
    const s = decode(mbap(1, 1, '10 0001 0002 04 000a 0102'), DIR_TO_SERVER);
    expect(s.ranges).toEqual([{ table: 4, start: 1, count: 2, write: true }]);
    expect(s.violations).toEqual([]);
    expect(decode(mbap(1, 1, '10 0001 0002 02 000a'), DIR_TO_SERVER).violations.map((v) => v.code)).toEqual(['MODBUS_BAD_BYTE_COUNT']);
  });
  test('decodeModbus(mask write register request) returns fc 22, one register write', () => {
    expect(decode(mbap(1, 1, '16 0004 00f2 0025'), DIR_TO_SERVER).ranges).toEqual([{ table: 4, start: 4, count: 1, write: true }]);
  });
  test('decodeModbus(read/write multiple registers request) returns a read and a write range', () => {
    const s = decode(mbap(1, 1, '17 0003 0006 000e 0003 06 00ff 00ff 00ff'), DIR_TO_SERVER);
    expect(s.ranges).toEqual([
      { table: 4, start: 3, count: 6, write: false },
      { table: 4, start: 14, count: 3, write: true },
    ]);
    expect(s.violations).toEqual([]);
  });
  test('decodeModbus(write file record request) returns fc 21 with a consistent byte count', () => {
    const s = decode(mbap(1, 1, '15 0d 06 0004 0007 0003 06af 04be 100d'), DIR_TO_SERVER);
    expect(s.fns[0]!.code).toBe(21);
    expect(s.violations).toEqual([]);
  });
});

describe('modbusTcp.decode: diagnostics and identification', () => {
  test('decodeModbus(diagnostic functions 7, 8, 11, 12, 17) are requests without violation', () => {
    for (const hex of ['07', '08 0000 a537', '0b', '0c', '11']) {
      const s = decode(mbap(1, 1, hex), DIR_TO_SERVER);
      expect(s.violations).toEqual([]);
      expect(s.fns[0]!.kind).toBe(KIND_REQUEST);
    }
  });
  test('decodeModbus(read device identification response) reports vendor, product code, revision to the sender', () => {
    const objs = '00 05 4163 6d65 20' + '01 04 5052 3031' + '02 05 5631 2e32 00' + '03 0f 6874 7470 3a2f 2f61 636d 652e 6578 61' + '04 03 5043 58' + '05 02 4d31';
    const s = decode(mbap(1, 1, `2b 0e 01 01 00 00 06 ${objs}`), DIR_TO_CLIENT);
    expect(s.fns).toEqual([{ space: 0, code: 43, kind: KIND_RESPONSE, variant: 14 }]);
    expect(s.violations).toEqual([]);
    expect(s.identities).toEqual([
      { who: WHO_SENDER, key: 'vendor', value: 'Acme' },
      { who: WHO_SENDER, key: 'product_code', value: 'PR01' },
      { who: WHO_SENDER, key: 'revision', value: 'V1.2' },
      { who: WHO_SENDER, key: 'vendor_url', value: 'http://acme.exa' },
      { who: WHO_SENDER, key: 'product', value: 'PCX' },
      { who: WHO_SENDER, key: 'model', value: 'M1' },
    ]);
  });
  test('decodeModbus(device identification from cisagov_modbus_example frame 94) gives the Zeek test vendor', () => {
    const pdu = Buffer.from('00170000003d012b0e018300000300105a65656b204d6f646275732054657374011850726f746f636f6c2050617273696e672069732066756e210207312e322e332e36', 'hex');
    const s = decode(pdu, DIR_TO_CLIENT);
    expect(s.identities).toEqual([
      { who: WHO_SENDER, key: 'vendor', value: 'Zeek Modbus Test' },
      { who: WHO_SENDER, key: 'product_code', value: 'Protocol Parsing is fun!' },
      { who: WHO_SENDER, key: 'revision', value: '1.2.3.6' },
    ]);
    expect(s.violations).toEqual([]);
  });
  test('decodeModbus(device identification with an object past the end) reports MODBUS_BAD_OBJECT_LENGTH', () => {
    const s = decode(mbap(1, 1, '2b 0e 01 01 00 00 01 00 09 4163 6d65'), DIR_TO_CLIENT);
    expect(s.violations.map((v) => v.code)).toEqual(['MODBUS_BAD_OBJECT_LENGTH']);
    expect(s.identities).toEqual([]);
  });
  test('decodeModbus(zeek_modbus-eit frame 2: 0 objects then 4 stray bytes) reports MODBUS_TRAILING_BYTES', () => {
    const s = decode(Buffer.from('00000000000c002b0e01004db70000000000', 'hex'), DIR_TO_CLIENT);
    expect(s.fns).toEqual([{ space: 0, code: 43, kind: KIND_RESPONSE, variant: 14 }]);
    expect(s.violations.map((v) => v.code)).toEqual(['MODBUS_TRAILING_BYTES']);
  });
});

describe('modbusTcp.decode: exceptions and bad headers', () => {
  test('decodeModbus(exception response 0x83 code 2) returns KIND_EXCEPTION for fc 3', () => {
    const s = decode(mbap(1, 0, '83 02'), DIR_TO_CLIENT);
    expect(s.fns).toEqual([{ space: 0, code: 3, kind: KIND_EXCEPTION, variant: 0 }]);
    expect(s.violations).toEqual([]);
    expect(decode(mbap(1, 0, '83 02'), DIR_UNKNOWN).fns[0]!.kind).toBe(KIND_EXCEPTION);
  });
  test('decodeModbus(protocol id 0x0b03) reports MODBUS_BAD_PROTOCOL_ID and counts nothing', () => {
    const s = decode(Buffer.from('05000b030003008001', 'hex'), DIR_TO_CLIENT);
    expect(s.fns).toEqual([]);
    expect(s.violations.map((v) => v.code)).toEqual(['MODBUS_BAD_PROTOCOL_ID']);
  });
  test('decodeModbus(length field disagrees with the PDU) reports MODBUS_LENGTH_MISMATCH', () => {
    const p = mbap(1, 1, '03 0000 000a');
    p.writeUInt16BE(9, 4);
    const s = decode(p, DIR_TO_SERVER);
    expect(s.violations.map((v) => v.code)).toContain('MODBUS_LENGTH_MISMATCH');
    expect(s.fns[0]!.code).toBe(3);
  });
  test('decodeModbus(7 bytes) reports MODBUS_TRUNCATED', () => {
    expect(decode(Buffer.from('00010000000101', 'hex'), DIR_TO_SERVER).violations.map((v) => v.code)).toEqual(['MODBUS_TRUNCATED']);
  });
  test('decodeModbus(user-defined fc 0x5a) counts it with an Unknown name and no violation', () => {
    const s = decode(mbap(1, 1, '5a 0102'), DIR_TO_SERVER);
    expect(s.fns).toEqual([{ space: 0, code: 0x5a, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.violations).toEqual([]);
    expect(modbusTcp.describe(0, 0x5a)).toEqual({ name: 'Unknown (0x5a)', opClass: 'other' });
  });
});

describe('modbusTcp.decode: direction by content (DIR_UNKNOWN)', () => {
  test('decodeModbus(DIR_UNKNOWN, FC 3 request then response) tells them apart by shape', () => {
    const st = new ModbusState();
    expect(decode(mbap(9, 1, '03 0000 0002'), DIR_UNKNOWN, st).fns[0]!.kind).toBe(KIND_REQUEST);
    expect(decode(mbap(9, 1, '03 04 0001 0002'), DIR_UNKNOWN, st).fns[0]!.kind).toBe(KIND_RESPONSE);
  });
  test('decodeModbus(DIR_UNKNOWN, FC 16 request then response) tells them apart by shape', () => {
    const st = new ModbusState();
    expect(decode(mbap(9, 1, '10 0001 0001 02 0007'), DIR_UNKNOWN, st).fns[0]!.kind).toBe(KIND_REQUEST);
    expect(decode(mbap(9, 1, '10 0001 0001'), DIR_UNKNOWN, st).fns[0]!.kind).toBe(KIND_RESPONSE);
  });
  test('decodeModbus(DIR_UNKNOWN, FC 6 echo) pairs the echo with the request by transaction id', () => {
    const st = new ModbusState();
    expect(decode(mbap(4, 1, '06 0001 0003'), DIR_UNKNOWN, st).fns[0]!.kind).toBe(KIND_REQUEST);
    expect(decode(mbap(4, 1, '06 0001 0003'), DIR_UNKNOWN, st).fns[0]!.kind).toBe(KIND_RESPONSE);
    expect(decode(mbap(5, 1, '06 0001 0003'), DIR_UNKNOWN, st).fns[0]!.kind).toBe(KIND_REQUEST);
  });
  test('decodeModbus(DIR_UNKNOWN, FC 43/14 request and response) tells them apart by shape', () => {
    const st = new ModbusState();
    expect(decode(mbap(1, 1, '2b 0e 01 00'), DIR_UNKNOWN, st).fns[0]!.kind).toBe(KIND_REQUEST);
    expect(decode(mbap(1, 1, '2b 0e 01 01 00 00 00'), DIR_UNKNOWN, st).fns[0]!.kind).toBe(KIND_RESPONSE);
  });
});

describe('modbusTcp.describe', () => {
  test('modbusTcp.describe() names every public function code with the INTERFACES.md class', () => {
    const want: Record<number, [string, string]> = {
      1: ['READ_COILS', 'read'],
      2: ['READ_DISCRETE_INPUTS', 'read'],
      3: ['READ_HOLDING_REGISTERS', 'read'],
      4: ['READ_INPUT_REGISTERS', 'read'],
      5: ['WRITE_SINGLE_COIL', 'write'],
      6: ['WRITE_SINGLE_REGISTER', 'write'],
      7: ['READ_EXCEPTION_STATUS', 'diagnostic'],
      8: ['DIAGNOSTICS', 'diagnostic'],
      11: ['GET_COMM_EVENT_COUNTER', 'diagnostic'],
      12: ['GET_COMM_EVENT_LOG', 'diagnostic'],
      15: ['WRITE_MULTIPLE_COILS', 'write'],
      16: ['WRITE_MULTIPLE_REGISTERS', 'write'],
      17: ['REPORT_SERVER_ID', 'diagnostic'],
      20: ['READ_FILE_RECORD', 'read'],
      21: ['WRITE_FILE_RECORD', 'write'],
      22: ['MASK_WRITE_REGISTER', 'write'],
      23: ['READ_WRITE_MULTIPLE_REGISTERS', 'write'],
      24: ['READ_FIFO_QUEUE', 'read'],
      43: ['ENCAPSULATED_INTERFACE_TRANSPORT', 'diagnostic'],
    };
    for (let fc = 0; fc < 128; fc++) {
      const info = modbusTcp.describe(0, fc);
      const w = want[fc];
      if (w) expect([fc, info.name, info.opClass]).toEqual([fc, w[0], w[1]]);
      else expect([fc, info.name, info.opClass]).toEqual([fc, `Unknown (0x${fc.toString(16)})`, 'other']);
    }
    expect(modbusTcp.describe(0, 43, 14).name).toBe('READ_DEVICE_IDENTIFICATION');
    expect(modbusTcp.describe(0, 43, 13).name).toBe('CANOPEN_GENERAL_REFERENCE');
  });
});

describe('modbusTcp.describeObject', () => {
  test('modbusTcp.describeObject(unit id) renders `unit 1` in object space `unit`, not in the function space', () => {
    expect(modbusTcp.objectSpaces).toEqual(['unit']);
    expect(modbusTcp.describeObject!(MODBUS_OBJECT_UNIT, 1)).toBe('unit 1');
    expect(modbusTcp.describeObject!(MODBUS_OBJECT_UNIT, 255)).toBe('unit 255');
    expect(modbusTcp.objectSpaces![MODBUS_OBJECT_UNIT]).not.toBe(modbusTcp.spaces[0]);
  });
});
