import { runDissectorContract, type ContractSample } from '../contract.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { capturePath } from '../../util/captures.js';
import { tshark } from '../tsharkTcp.js';
import { dnp3, dnp3Crc, dnp3ObjectKey, Dnp3State, DNP3_OBJECT_MASTER, DNP3_OBJECT_OUTSTATION, DNP3_OBJECT_POINT, describeDnp3, OBJ_INDEX } from '../../../src/dissectors/dnp3/index.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../../../src/dissectors/types.js';

/** A DNP3 link frame: control byte, destination, source, user data (transport header first), CRCs added. */
export function linkFrame(ctrl: number, dst: number, src: number, data: Buffer): Buffer {
  const parts: Buffer[] = [];
  const h = Buffer.from([0x05, 0x64, data.length + 5, ctrl, dst & 0xff, dst >> 8, src & 0xff, src >> 8]);
  const crc = (b: Buffer): Buffer => {
    const c = dnp3Crc(b, 0, b.length);
    return Buffer.from([c & 0xff, c >> 8]);
  };
  parts.push(h, crc(h));
  for (let i = 0; i < data.length; i += 16) {
    const blk = data.subarray(i, i + 16);
    parts.push(blk, crc(blk));
  }
  return Buffer.concat(parts);
}

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function decode(pdu: Buffer, st = new Dnp3State(), dir = DIR_UNKNOWN): RecordingSink {
  const sink = new RecordingSink();
  dnp3.decode(st, pdu, 0, pdu.length, dir, sink);
  return sink;
}

/** Every link frame tshark finds in the two DNP3 captures that is a whole fragment or carries no data. */
function captureSamples(): ContractSample[] {
  const out: ContractSample[] = [];
  const seen = new Set<string>();
  for (const f of ['dnp3/cisagov_dnp3_example.pcap', 'dnp3/zeek_dnp3_udp_read.pcap']) {
    const lines = tshark(['-r', capturePath(f), '-Y', 'dnp3 && ((dnp3.tr.fir == 1 && dnp3.tr.fin == 1) || dnp3.len == 5)', '-T', 'fields',
      '-e', 'frame.number', '-e', 'dnp3.ctl.dir', '-e', 'tcp.payload', '-e', 'udp.payload']).split('\n');
    for (const line of lines) {
      if (!line) continue;
      const [frame, dirBit, tp, up] = line.split('\t') as [string, string, string, string];
      const h = tp || up;
      if (seen.has(h)) continue;
      seen.add(h);
      out.push({ name: `${f} frame ${frame}`, pdu: hex(h), dir: dirBit === '1' ? DIR_TO_SERVER : DIR_TO_CLIENT });
    }
  }
  return out;
}

const samples = captureSamples();

test('captureSamples() finds real DNP3 frames of both kinds (fragments and link-only)', () => {
  expect(samples.length).toBeGreaterThanOrEqual(5);
});

runDissectorContract(dnp3, [
  ...samples,
  { name: 'crafted DIRECT_OPERATE', pdu: linkFrame(0xc4, 10, 1, hex('c0 c3 05 0c 01 28 01 00 00 00 01 01 e8 03 00 00 00 00 00 00 00')), dir: DIR_TO_SERVER },
]);

describe('dnp3.decode', () => {
  test('dnp3.decode(DIRECT_OPERATE from master 1 to outstation 10) counts fc 5 as a request with both addresses and the CROB g12v1 index 0 as objects', () => {
    const s = decode(linkFrame(0xc4, 10, 1, hex('c0 c3 05 0c 01 28 01 00 00 00 01 01 e8 03 00 00 00 00 00 00 00')));
    expect(s.violations).toEqual([]);
    expect(s.fns).toEqual([{ space: 0, code: 5, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.objects).toEqual([
      { space: DNP3_OBJECT_OUTSTATION, key: 10, write: true },
      { space: DNP3_OBJECT_MASTER, key: 1, write: true },
      { space: DNP3_OBJECT_POINT, key: dnp3ObjectKey(OBJ_INDEX, 12, 1, 0, 0), write: true },
    ]);
    expect(dnp3.describeObject!(DNP3_OBJECT_POINT, s.objects[2]!.key)).toBe('g12v1 index 0');
    expect(describeDnp3(0, 5)).toEqual({ name: 'DIRECT_OPERATE', opClass: 'control' });
  });

  test('dnp3.decode(a response split over two link frames) counts one RESPONSE at the last frame', () => {
    // g1v2 (binary input with flags), 2-octet start-stop 0-299: 300 one-byte objects.
    const app = Buffer.concat([hex('c1 81 00 00 01 02 01 00 00 2b 01'), Buffer.alloc(300, 1)]);
    const st = new Dnp3State();
    const first = linkFrame(0x44, 1, 10, Buffer.concat([hex('7f'), app.subarray(0, 200)]));
    const last = linkFrame(0x44, 1, 10, Buffer.concat([hex('80'), app.subarray(200)]));
    expect(decode(first, st).fns).toEqual([]);
    const s = decode(last, st);
    expect(s.violations).toEqual([]);
    expect(s.fns).toEqual([{ space: 0, code: 0x81, kind: KIND_RESPONSE, variant: 0 }]);
  });

  test('dnp3.decode(a response with IIN2 "function not supported") is an exception', () => {
    expect(decode(linkFrame(0x44, 1, 10, hex('c0 c1 81 00 01'))).fns).toEqual([{ space: 0, code: 0x81, kind: KIND_EXCEPTION, variant: 0 }]);
  });

  test('dnp3.decode(a segment out of transport sequence) is DNP3_TRANSPORT_SEQUENCE, nothing counted', () => {
    const st = new Dnp3State();
    decode(linkFrame(0x44, 1, 10, hex('41 c1 81 00 00')), st);
    const s = decode(linkFrame(0x44, 1, 10, hex('83 00 00')), st);
    expect(s.violations.map((v) => v.code)).toEqual(['DNP3_TRANSPORT_SEQUENCE']);
    expect(s.fns).toEqual([]);
  });

  test('dnp3.decode(a corrupted data block) is DNP3_BAD_CRC at the block CRC', () => {
    const f = linkFrame(0xc4, 10, 1, hex('c0 c1 01 3c 02 06'));
    f[12] ^= 0xff;
    const s = decode(f);
    expect(s.violations).toEqual([{ code: 'DNP3_BAD_CRC', message: 'user data block CRC does not match', at: 16 }]);
  });

  test('dnp3.decode(two link frames in one UDP datagram) counts both', () => {
    const d = Buffer.concat([linkFrame(0xc9, 10, 1, Buffer.alloc(0)), linkFrame(0xc4, 10, 1, hex('c0 c1 0d'))]);
    const s = decode(d);
    expect(s.fns).toEqual([
      { space: 1, code: 0x49, kind: KIND_REQUEST, variant: 0 },
      { space: 0, code: 0x0d, kind: KIND_REQUEST, variant: 0 },
    ]);
    expect(describeDnp3(1, 0x49).name).toBe('REQUEST_LINK_STATUS');
    expect(describeDnp3(0, 0x0d)).toEqual({ name: 'COLD_RESTART', opClass: 'control' });
  });
});
