import { runDissectorContract, type ContractSample } from '../contract.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { capturePath } from '../../util/captures.js';
import { tshark } from '../tsharkTcp.js';
import { replayUdp, tsharkUdpDatagrams } from '../udpReplay.js';
import { createRegistry } from '../../../src/dissectors/registry.js';
import { bacnet, describeBacnet, BACNET_OBJECT_OBJECT } from '../../../src/dissectors/bacnet/index.js';
import { DIR_UNKNOWN, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER } from '../../../src/dissectors/types.js';

const CAPTURES = ['bacnet/cisagov_bacnet_error_reject_abort.pcap', 'bacnet/cisagov_bacnet_example.pcap', 'bacnet/cisagov_bacnet_segmented_data.pcap'];
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** BVLC Original-Unicast-NPDU around NPDU + APDU (hex). */
const bvlc = (npduApdu: string, fn = 0x0a): Buffer => {
  const b = hex(npduApdu);
  return Buffer.concat([Buffer.from([0x81, fn, (b.length + 4) >> 8, (b.length + 4) & 0xff]), b]);
};

function decode(pdu: Buffer): RecordingSink {
  const sink = new RecordingSink();
  bacnet.decode(null, pdu, 0, pdu.length, DIR_UNKNOWN, sink);
  return sink;
}

function captureSamples(): ContractSample[] {
  const seen = new Set<string>();
  const out: ContractSample[] = [];
  for (const f of CAPTURES) {
    for (const line of tshark(['-r', capturePath(f), '-Y', 'bvlc', '-T', 'fields', '-e', 'frame.number', '-e', 'udp.payload']).split('\n')) {
      if (!line) continue;
      const [frame, h] = line.split('\t') as [string, string];
      if (seen.has(h)) continue;
      seen.add(h);
      // cisagov_bacnet_example pads some datagrams past the BVLC length (BACNET_TRAILING_BYTES, tested below).
      if (parseInt(h.slice(4, 8), 16) !== h.length / 2) continue;
      out.push({ name: `${f} frame ${frame}`, pdu: hex(h), dir: DIR_UNKNOWN });
    }
  }
  return out;
}

const samples = captureSamples();
test('captureSamples() finds the real BACnet/IP datagrams', () => {
  expect(samples.length).toBeGreaterThanOrEqual(30);
});

runDissectorContract(bacnet, samples);

describe('bacnet.decode', () => {
  test('bacnet.decode(WriteProperty analog-output 1 present-value) is a write request on object (1 << 22 | 1)', () => {
    const s = decode(bvlc('01 04 00 05 07 0f 0c 00 40 00 01 19 55 3e 44 42 c8 00 00 3f'));
    expect(s.violations).toEqual([]);
    expect(s.fns).toEqual([{ space: 0, code: 15, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.objects).toEqual([{ space: BACNET_OBJECT_OBJECT, key: (1 << 22) | 1, write: true }]);
    expect(describeBacnet(0, 15)).toEqual({ name: 'WRITE_PROPERTY', opClass: 'write' });
    expect(describeBacnet(0, 20)).toEqual({ name: 'REINITIALIZE_DEVICE', opClass: 'control' });
    expect(describeBacnet(0, 17)).toEqual({ name: 'DEVICE_COMMUNICATION_CONTROL', opClass: 'control' });
  });

  test('bacnet.decode(I-Am device 1234, vendor 260) reports the device instance and vendor id of the sender', () => {
    const s = decode(bvlc('01 00 10 00 c4 02 00 04 d2 22 05 c4 91 03 22 01 04', 0x0b));
    expect(s.violations).toEqual([]);
    expect(s.fns).toEqual([{ space: 1, code: 0, kind: KIND_RESPONSE, variant: 0 }]);
    expect(s.identities).toEqual([
      { who: WHO_SENDER, key: 'device_instance', value: '1234' },
      { who: WHO_SENDER, key: 'vendor_id', value: '260' },
    ]);
  });

  test('bacnet.decode(Error for ReinitializeDevice, Reject) are exceptions', () => {
    expect(decode(bvlc('01 00 50 01 14 91 02 91 1a')).fns).toEqual([{ space: 0, code: 20, kind: KIND_EXCEPTION, variant: 0 }]);
    expect(decode(bvlc('01 00 60 01 02')).fns).toEqual([{ space: 4, code: 6, kind: KIND_EXCEPTION, variant: 0 }]);
  });

  test('bacnet.decode(ReinitializeDevice with 8 bytes past the BVLC length) counts it and reports BACNET_TRAILING_BYTES', () => {
    const s = decode(hex('810a001101040005011409061d0b0044656c63617474793730'));
    expect(s.fns).toEqual([{ space: 0, code: 20, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.violations.map((v) => [v.code, v.at])).toEqual([['BACNET_TRAILING_BYTES', 17]]);
  });

  test('bacnet.decode(a BVLC length that disagrees with the datagram) is BACNET_LENGTH_MISMATCH', () => {
    const b = bvlc('01 00 10 08');
    b[3] = b[3]! + 1;
    expect(decode(b).violations.map((v) => v.code)).toEqual(['BACNET_LENGTH_MISMATCH']);
  });
});

describe('AppSession + bacnet against tshark', () => {
  for (const rel of CAPTURES) {
    test(`AppSession(${rel}) per-stream per-service counts equal tshark's`, () => {
      const path = capturePath(rel);
      const want: Record<string, number> = {};
      const add = (c: Record<string, number>, k: string): void => {
        c[k] = (c[k] ?? 0) + 1;
      };
      const out = tshark(['-r', path, '-Y', 'bvlc && !icmp', '-T', 'fields', '-E', 'separator=|', '-e', 'udp.stream', '-e', 'bvlc.function',
        '-e', 'bacnet.mesgtyp', '-e', 'bacapp.type', '-e', 'bacapp.confirmed_service', '-e', 'bacapp.unconfirmed_service']);
      for (const line of out.split('\n')) {
        if (!line) continue;
        const [stream, fn, mesg, type, conf, unconf] = line.split('|') as string[];
        if (type !== '') {
          const t = Number(type);
          if (t === 1) add(want, `${stream} unconfirmed ${unconf}`);
          else if (t === 4 || t === 6 || t === 7) add(want, `${stream} apdu ${t}`);
          else add(want, `${stream} confirmed ${conf}`);
        } else if (mesg !== '') add(want, `${stream} network ${Number(mesg)}`);
        else add(want, `${stream} bvlc ${Number(fn)}`);
      }
      const sinks = new Map<number, RecordingSink>();
      const sessions = replayUdp(tsharkUdpDatagrams(path, 'bvlc'), createRegistry([bacnet]), (st) => {
        let s = sinks.get(st);
        if (!s) sinks.set(st, (s = new RecordingSink()));
        return s;
      });
      const names = ['confirmed', 'unconfirmed', 'bvlc', 'network', 'apdu'];
      const got: Record<string, number> = {};
      for (const [stream, sink] of sinks) {
        // cisagov_bacnet_example's crafted datagrams carry the request's BVLC length in answers of other sizes.
        for (const v of sink.violations) expect(['BACNET_TRAILING_BYTES', 'BACNET_LENGTH_MISMATCH']).toContain(v.code);
        for (const f of sink.fns) add(got, `${stream} ${names[f.space]} ${f.code}`);
      }
      for (const s of sessions.values()) expect(s.protocol).toBe('bacnet');
      expect(Object.keys(want).length).toBeGreaterThan(0);
      expect(got).toEqual(want);
    });
  }
});
