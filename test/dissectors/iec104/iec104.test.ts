import { runDissectorContract, type ContractSample } from '../contract.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { capturePath } from '../../util/captures.js';
import { replayTcp, tshark, tsharkTcpSegments } from '../tsharkTcp.js';
import { createRegistry } from '../../../src/dissectors/registry.js';
import { iec104, describeIec104, IEC104_OBJECT_COMMON_ADDRESS, IEC104_OBJECT_IOA } from '../../../src/dissectors/iec104/index.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../../../src/dissectors/types.js';

const CAPTURE = 'iec104/iti_090813_diverse.pcap';
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** An I-format APDU around an ASDU (hex). */
const iFrame = (asdu: string): Buffer => {
  const a = hex(asdu);
  return Buffer.concat([Buffer.from([0x68, a.length + 4, 0x02, 0x00, 0x04, 0x00]), a]);
};

function decode(pdu: Buffer, dir = DIR_UNKNOWN): RecordingSink {
  const sink = new RecordingSink();
  iec104.decode(null, pdu, 0, pdu.length, dir, sink);
  return sink;
}

/** Every distinct APDU tshark finds in the capture (one per TCP payload: this capture sends one each). */
function captureSamples(): ContractSample[] {
  const seen = new Set<string>();
  const out: ContractSample[] = [];
  for (const line of tshark(['-r', capturePath(CAPTURE), '-Y', 'iec60870_104', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.srcport', '-e', 'tcp.payload']).split('\n')) {
    if (!line) continue;
    const [frame, sport, h] = line.split('\t') as [string, string, string];
    if (seen.has(h)) continue;
    seen.add(h);
    const pdu = hex(h);
    if (pdu.length !== pdu[1]! + 2) continue; // several APDUs in one segment: framed by pduLength, not a sample
    out.push({ name: `${CAPTURE} frame ${frame}`, pdu, dir: sport === '2404' ? DIR_TO_CLIENT : DIR_TO_SERVER });
  }
  return out;
}

const samples = captureSamples();
test('captureSamples() finds the real IEC 104 APDUs (I, S and U frames)', () => {
  expect(samples.length).toBeGreaterThanOrEqual(20);
});

runDissectorContract(iec104, [
  ...samples,
  { name: 'crafted C_SE_NC_1 act', pdu: iFrame('32 01 06 00 07 00 10 27 00 00 00 80 3f 00'), dir: DIR_TO_SERVER },
]);

describe('iec104.decode', () => {
  test('iec104.decode(C_SC_NA_1 activation to common address 7, IOA 2001) is a control request with both objects', () => {
    const s = decode(iFrame('2d 01 06 00 07 00 d1 07 00 01'), DIR_TO_SERVER);
    expect(s.violations).toEqual([]);
    expect(s.fns).toEqual([{ space: 0, code: 45, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.objects).toEqual([
      { space: IEC104_OBJECT_COMMON_ADDRESS, key: 7, write: true },
      { space: IEC104_OBJECT_IOA, key: 7 * 2 ** 24 + 2001, write: true },
    ]);
    expect(describeIec104(0, 45)).toEqual({ name: 'C_SC_NA_1', opClass: 'control' });
    expect(describeIec104(0, 50)).toEqual({ name: 'C_SE_NC_1', opClass: 'write' });
    expect(describeIec104(0, 100)).toEqual({ name: 'C_IC_NA_1', opClass: 'read' });
  });

  test('iec104.decode(negative activation confirmation) is an exception; an actcon a response', () => {
    expect(decode(iFrame('2d 01 47 00 07 00 d1 07 00 01')).fns[0]!.kind).toBe(KIND_EXCEPTION);
    expect(decode(iFrame('2d 01 07 00 07 00 d1 07 00 01')).fns[0]!.kind).toBe(KIND_RESPONSE);
  });

  test('iec104.decode(STARTDT act / con, S frame) counts APCI codes', () => {
    expect(decode(hex('68 04 07 00 00 00')).fns).toEqual([{ space: 1, code: 0x07, kind: KIND_REQUEST, variant: 0 }]);
    expect(decode(hex('68 04 0b 00 00 00')).fns).toEqual([{ space: 1, code: 0x0b, kind: KIND_RESPONSE, variant: 0 }]);
    expect(decode(hex('68 04 01 00 02 00'), DIR_TO_CLIENT).fns).toEqual([{ space: 1, code: 0x01, kind: KIND_RESPONSE, variant: 0 }]);
  });

  test('iec104.decode(a length that disagrees with the framed bytes) is IEC104_LENGTH_MISMATCH', () => {
    expect(decode(hex('68 05 07 00 00 00')).violations.map((v) => v.code)).toEqual(['IEC104_LENGTH_MISMATCH']);
  });
});

describe('AppSession + iec104 against tshark', () => {
  test(`AppSession(${CAPTURE}) per-stream per-type and per-APCI-format counts equal tshark's`, () => {
    const path = capturePath(CAPTURE);
    const want: Record<string, number> = {};
    const add = (c: Record<string, number>, k: string): void => {
      c[k] = (c[k] ?? 0) + 1;
    };
    const out = tshark(['-r', path, '-Y', 'iec60870_104 && !tcp.analysis.retransmission', '-T', 'fields', '-E', 'separator=|',
      '-e', 'tcp.stream', '-e', 'iec60870_104.type', '-e', 'iec60870_104.utype', '-e', 'iec60870_asdu.typeid']);
    for (const line of out.split('\n')) {
      if (!line) continue;
      const [stream, types, utypes, typeIds] = line.split('|') as [string, string, string, string];
      const u = utypes ? utypes.split(',') : [];
      const t = typeIds ? typeIds.split(',') : [];
      for (const ty of types.split(',')) {
        if (Number(ty) === 0) add(want, `${stream} asdu ${Number(t.shift())}`);
        else if (Number(ty) === 1) add(want, `${stream} apci 1`);
        else add(want, `${stream} apci ${(Number(u.shift()) << 2) | 3}`);
      }
    }
    const sinks = new Map<number, RecordingSink>();
    const sessions = replayTcp(tsharkTcpSegments(path), createRegistry([iec104]), (st) => {
      let s = sinks.get(st);
      if (!s) sinks.set(st, (s = new RecordingSink()));
      return s;
    });
    const got: Record<string, number> = {};
    for (const [stream, sink] of sinks) {
      expect(sink.violations).toEqual([]);
      for (const f of sink.fns) add(got, `${stream} ${f.space === 0 ? 'asdu' : 'apci'} ${f.code}`);
    }
    for (const s of sessions.values()) expect(s.protocol).toBe('iec104');
    expect(Object.keys(want).length).toBeGreaterThan(10);
    expect(want['0 asdu 45']).toBeGreaterThan(0);
    expect(got).toEqual(want);
  });
});
