import { AppSession, DISSECTOR_EXCEPTION, FRAMING_INVALID } from '../../src/dissectors/session.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import type { Dissector, PduSink } from '../../src/dissectors/types.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN, KIND_REQUEST, KIND_RESPONSE } from '../../src/dissectors/types.js';
import { RecordingSink } from '../util/recordingSink.js';

const ACK = 0x10;
const PSH_ACK = 0x18;
const FIN_ACK = 0x11;

function mbap(tid: number, unit: number, pduHex: string): Buffer {
  const pdu = Buffer.from(pduHex.replace(/\s+/g, ''), 'hex');
  const b = Buffer.alloc(7 + pdu.length);
  b.writeUInt16BE(tid, 0);
  b.writeUInt16BE(pdu.length + 1, 4);
  b[6] = unit;
  pdu.copy(b, 7);
  return b;
}

/** A toy OPC UA-like TCP dissector: 'HEL'/'MSG' + u32 LE length; a heuristic on the 'HEL' header. */
function toyUa(opts: { throwOn?: string } = {}): Dissector<{ n: number }> {
  return {
    id: 'toyua',
    name: 'Toy UA',
    transports: ['tcp'],
    ports: [4840],
    spaces: ['type'],
    heuristic: (buf, off, len) => len >= 8 && buf.toString('latin1', off, off + 3) === 'HEL',
    pduLength: (buf, off, avail) => {
      if (avail < 8) return 0;
      const t = buf.toString('latin1', off, off + 3);
      if (t !== 'HEL' && t !== 'MSG' && t !== 'BAD' && t !== 'THR') return -1;
      return buf.readUInt32LE(off + 4);
    },
    createState: () => ({ n: 0 }),
    decode: (state, buf, off, len, dir, sink: PduSink) => {
      state.n++;
      const t = buf.toString('latin1', off, off + 3);
      if (t === opts.throwOn) throw new Error('boom');
      sink.fn(0, t === 'HEL' ? 1 : 2, dir === DIR_TO_CLIENT ? KIND_RESPONSE : KIND_REQUEST);
      if (t === 'BAD') sink.violation('FRAMING_INVALID', 'bad message', 0);
    },
    describe: (_s, code) => ({ name: `T${code}`, opClass: 'other' }),
  };
}

function ua(type: string, bodyLen: number): Buffer {
  const b = Buffer.alloc(8 + bodyLen, 0x41);
  b.write(type, 0, 'latin1');
  b[3] = 0x46;
  b.writeUInt32LE(8 + bodyLen, 4);
  return b;
}

describe('AppSession construction', () => {
  const reg = createRegistry([modbusTcp]);
  test('new AppSession(modbus registry, tcp, 49152, 502) picks modbus with server port 502', () => {
    const s = new AppSession(reg, 'tcp', 49152, 502);
    expect([s.protocol, s.dissector, s.serverPort]).toEqual(['modbus', modbusTcp, 502]);
    const t = new AppSession(reg, 'tcp', 502, 49152);
    expect([t.protocol, t.serverPort]).toEqual(['modbus', 502]);
  });
  test('new AppSession(ports with service labels only) takes the label of the lower labelled port', () => {
    const s = new AppSession(reg, 'tcp', 51515, 443);
    expect([s.protocol, s.dissector, s.serverPort]).toEqual(['https', null, 443]);
    const t = new AppSession(reg, 'tcp', 8080, 3389);
    expect([t.protocol, t.serverPort]).toEqual(['rdp', 3389]);
    const u = new AppSession(reg, 'udp', 5353, 5353);
    expect([u.protocol, u.serverPort]).toEqual(['mdns', 5353]);
  });
  test('new AppSession(unlabelled ports) is unknown with server port -1', () => {
    const s = new AppSession(reg, 'tcp', 50001, 50002);
    expect([s.protocol, s.dissector, s.serverPort]).toEqual(['unknown', null, -1]);
  });
  test('new AppSession(decode-as 48010=modbus) uses the override', () => {
    const s = new AppSession(createRegistry([modbusTcp], { decodeAs: { 'tcp:48010': 'modbus' } }), 'tcp', 60000, 48010);
    expect([s.protocol, s.serverPort]).toEqual(['modbus', 48010]);
  });
});

describe('AppSession heuristic refinement', () => {
  test('AppSession.tcpSegment(HEL on TCP/48010) picks the heuristic dissector once, at the first payload', () => {
    const reg = createRegistry([modbusTcp, toyUa()]);
    const s = new AppSession(reg, 'tcp', 60000, 48010, 100, 900);
    expect(s.protocol).toBe('unknown');
    const sink = new RecordingSink();
    const hel = ua('HEL', 20);
    s.tcpSegment(true, DIR_TO_SERVER, 101, PSH_ACK, hel, 0, hel.length, sink);
    expect([s.protocol, s.serverPort]).toEqual(['toyua', -1]);
    expect(sink.fns).toEqual([{ space: 0, code: 1, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.stats.pdus).toBe(1);
  });
  test('AppSession.tcpSegment(Modbus on TCP/5020) is found by the Modbus heuristic; DIR_UNKNOWN decided by content', () => {
    const s = new AppSession(createRegistry([modbusTcp]), 'tcp', 40000, 5020);
    const sink = new RecordingSink();
    const q = mbap(1, 1, '03 0000 0002');
    const r = mbap(1, 1, '03 04 0001 0002');
    s.tcpSegment(true, DIR_UNKNOWN, 7000, PSH_ACK, q, 0, q.length, sink);
    s.tcpSegment(false, DIR_UNKNOWN, 9000, PSH_ACK, r, 0, r.length, sink);
    expect(s.protocol).toBe('modbus');
    expect(sink.fns.map((f) => f.kind)).toEqual([KIND_REQUEST, KIND_RESPONSE]);
  });
  test('AppSession.tcpSegment(first payload matches nothing) is not refined again by later payloads', () => {
    const s = new AppSession(createRegistry([modbusTcp, toyUa()]), 'tcp', 60000, 48010, 0, 0);
    const sink = new RecordingSink();
    const junk = Buffer.from('hello world!');
    s.tcpSegment(true, DIR_TO_SERVER, 1, PSH_ACK, junk, 0, junk.length, sink);
    const hel = ua('HEL', 4);
    s.tcpSegment(true, DIR_TO_SERVER, 1 + junk.length, PSH_ACK, hel, 0, hel.length, sink);
    expect(s.protocol).toBe('unknown');
    expect(sink.fns).toEqual([]);
    expect(s.stats).toEqual({ pdus: 0, malformed: 0, bytesUnparsed: 0, gaps: 0, gapBytes: 0, retransmittedBytes: 0, outOfOrder: 0 });
  });
  test('AppSession.tcpSegment(TLS / SSH / HTTP on unlabelled ports) labels the connection', () => {
    const reg = createRegistry([modbusTcp]);
    const cases: Array<[string, string]> = [
      ['160301008501000081', 'tls'],
      [Buffer.from('SSH-2.0-x\r\n').toString('hex'), 'ssh'],
      [Buffer.from('GET / HTTP/1.1\r\n').toString('hex'), 'http'],
    ];
    for (const [h, label] of cases) {
      const s = new AppSession(reg, 'tcp', 50001, 50002);
      const p = Buffer.from(h, 'hex');
      s.tcpSegment(true, DIR_UNKNOWN, 1, PSH_ACK, p, 0, p.length, new RecordingSink());
      expect(s.protocol).toBe(label);
    }
    const https = new AppSession(reg, 'tcp', 50001, 443);
    const get = Buffer.from('GET / HTTP/1.1\r\n');
    https.tcpSegment(true, DIR_UNKNOWN, 1, PSH_ACK, get, 0, get.length, new RecordingSink());
    expect(https.protocol).toBe('https'); // a port label is kept
  });
});

describe('AppSession TCP parsing', () => {
  test('AppSession.tcpSegment(DIR_UNKNOWN, no handshake) takes the side on the Modbus port as the server', () => {
    const s = new AppSession(createRegistry([modbusTcp]), 'tcp', 502, 40000);
    const sink = new RecordingSink();
    const q = mbap(5, 1, '06 0001 0003');
    s.tcpSegment(false, DIR_UNKNOWN, 10, PSH_ACK, q, 0, q.length, sink);
    s.tcpSegment(true, DIR_UNKNOWN, 20, PSH_ACK, q, 0, q.length, sink);
    expect(sink.fns.map((f) => f.kind)).toEqual([KIND_REQUEST, KIND_RESPONSE]);
  });

  test('AppSession.tcpSegment(PDUs split, retransmitted, reordered) counts each PDU once with TCP stats', () => {
    const s = new AppSession(createRegistry([modbusTcp]), 'tcp', 40000, 502, 1000, 5000);
    const sink = new RecordingSink();
    const data = Buffer.concat([mbap(1, 1, '03 0000 0002'), mbap(2, 1, '01 0000 0010'), mbap(3, 1, '05 0001 ff00')]);
    const seg = (a: number, b: number): void => s.tcpSegment(true, DIR_TO_SERVER, 1001 + a, PSH_ACK, data, a, b - a, sink);
    seg(0, 5);
    seg(20, 36); // ahead of a hole
    seg(5, 20);
    seg(5, 20); // retransmission
    expect(sink.fns.map((f) => f.code)).toEqual([3, 1, 5]);
    expect(s.stats).toEqual({ pdus: 3, malformed: 0, bytesUnparsed: 0, gaps: 0, gapBytes: 0, retransmittedBytes: 15, outOfOrder: 1 });
  });

  test('AppSession.close(partial PDU pending) counts the partial bytes as unparsed', () => {
    const s = new AppSession(createRegistry([modbusTcp]), 'tcp', 40000, 502, 0, 0);
    const sink = new RecordingSink();
    const q = mbap(1, 1, '03 0000 0002');
    s.tcpSegment(true, DIR_TO_SERVER, 1, PSH_ACK, q, 0, 7, sink);
    expect(s.stats.bytesUnparsed).toBe(0);
    s.close(sink);
    expect(s.stats.bytesUnparsed).toBe(7);
    expect(s.stats.pdus).toBe(0);
  });

  test('AppSession.tcpSegment(FIN after a partial PDU) counts the partial bytes as unparsed', () => {
    const s = new AppSession(createRegistry([modbusTcp]), 'tcp', 40000, 502, 0, 0);
    const q = mbap(1, 1, '03 0000 0002');
    s.tcpSegment(true, DIR_TO_SERVER, 1, FIN_ACK, q, 0, 9, new RecordingSink());
    expect(s.stats.bytesUnparsed).toBe(9);
  });

  test('AppSession.tcpSegment(non-Modbus bytes on 502) reports the dissector violation, counts malformed, resyncs', () => {
    const s = new AppSession(createRegistry([modbusTcp]), 'tcp', 40000, 502, 0, 0);
    const sink = new RecordingSink();
    const junk = Buffer.from('474554202f20485454502f312e310d0a', 'hex');
    const q = mbap(1, 1, '03 0000 0002');
    s.tcpSegment(true, DIR_TO_SERVER, 1, PSH_ACK, junk, 0, junk.length, sink);
    s.tcpSegment(true, DIR_TO_SERVER, 1 + junk.length, PSH_ACK, q, 0, q.length, sink);
    expect(sink.violations.map((v) => v.code)).toEqual(['MODBUS_BAD_PROTOCOL_ID']);
    expect(sink.fns.map((f) => f.code)).toEqual([3]);
    expect(s.stats).toMatchObject({ pdus: 1, malformed: 1, bytesUnparsed: junk.length });
  });

  test('AppSession.tcpSegment(framing fails without a dissector violation) reports FRAMING_INVALID', () => {
    const s = new AppSession(createRegistry([toyUa()]), 'tcp', 40000, 4840, 0, 0);
    const sink = new RecordingSink();
    const junk = Buffer.from('xyzxyzxyzxyz');
    s.tcpSegment(true, DIR_TO_SERVER, 1, PSH_ACK, junk, 0, junk.length, sink);
    expect(sink.violations.map((v) => v.code)).toEqual([FRAMING_INVALID]);
    expect(s.stats.malformed).toBe(1);
  });

  test('AppSession.tcpSegment(PDUs with violations) counts them as malformed', () => {
    const s = new AppSession(createRegistry([toyUa()]), 'tcp', 40000, 4840, 0, 0);
    const sink = new RecordingSink();
    const data = Buffer.concat([ua('MSG', 2), ua('BAD', 2), ua('MSG', 2)]);
    s.tcpSegment(true, DIR_TO_SERVER, 1, PSH_ACK, data, 0, data.length, sink);
    expect(s.stats).toMatchObject({ pdus: 3, malformed: 1 });
  });

  test('AppSession.tcpSegment(a dissector that throws) reports DISSECTOR_EXCEPTION once and stops parsing', () => {
    const s = new AppSession(createRegistry([toyUa({ throwOn: 'THR' })]), 'tcp', 40000, 4840, 0, 0);
    const sink = new RecordingSink();
    const data = Buffer.concat([ua('MSG', 2), ua('THR', 2), ua('MSG', 2)]);
    expect(() => s.tcpSegment(true, DIR_TO_SERVER, 1, PSH_ACK, data, 0, data.length, sink)).not.toThrow();
    const more = ua('MSG', 6);
    s.tcpSegment(true, DIR_TO_SERVER, 1 + data.length, PSH_ACK, more, 0, more.length, sink);
    s.tcpSegment(false, DIR_TO_CLIENT, 1, PSH_ACK, more, 0, more.length, sink);
    expect(sink.violations.map((v) => v.code)).toEqual([DISSECTOR_EXCEPTION]);
    expect(sink.violations[0]!.message).toMatch(/boom/);
    expect(sink.fns.length).toBe(1);
    expect(s.stats.pdus).toBe(2);
    expect(s.stats.malformed).toBe(1);
    expect(s.stats.bytesUnparsed).toBe(10 + 14 + 14);
  });

  test('AppSession.tcpSegment(a lost segment) shows up as a gap in the stats', () => {
    const s = new AppSession(createRegistry([modbusTcp]), 'tcp', 40000, 502, 0, 0);
    const sink = new RecordingSink();
    const q = mbap(1, 1, '03 0000 0002');
    s.tcpSegment(true, DIR_TO_SERVER, 1, PSH_ACK, q, 0, q.length, sink);
    s.tcpSegment(true, DIR_TO_SERVER, 1 + 2 * q.length, PSH_ACK, q, 0, q.length, sink);
    s.close(sink);
    expect(s.stats).toMatchObject({ gaps: 1, gapBytes: q.length, pdus: 2, outOfOrder: 1 });
  });

  test('AppSession with no dissector ignores payload and keeps zero stats', () => {
    const s = new AppSession(createRegistry([modbusTcp]), 'tcp', 40000, 443);
    const b = Buffer.from('160301000501', 'hex');
    s.tcpSegment(true, DIR_TO_SERVER, 1, PSH_ACK, b, 0, b.length, new RecordingSink());
    s.close(new RecordingSink());
    expect(s.stats.pdus + s.stats.bytesUnparsed).toBe(0);
    expect(s.dissector).toBeNull();
  });
});

describe('AppSession UDP', () => {
  const udpToy: Dissector = {
    id: 'toyudp',
    name: 'Toy UDP',
    transports: ['udp'],
    ports: [2222],
    spaces: ['x'],
    createState: () => null,
    decode: (_st, buf, off, len, dir, sink) => {
      if (len < 2) sink.violation('FRAMING_INVALID', 'short', 0);
      else sink.fn(0, buf[off]!, dir === DIR_TO_CLIENT ? KIND_RESPONSE : KIND_REQUEST);
    },
    describe: (_s, code) => ({ name: `U${code}`, opClass: 'other' }),
  };
  test('AppSession.udpDatagram() decodes each datagram as one PDU and counts malformed ones', () => {
    const s = new AppSession(createRegistry([udpToy]), 'udp', 2222, 50000);
    const sink = new RecordingSink();
    s.udpDatagram(true, DIR_UNKNOWN, Buffer.from([7, 1]), 0, 2, sink);
    s.udpDatagram(false, DIR_UNKNOWN, Buffer.from([8, 1, 2]), 0, 3, sink);
    s.udpDatagram(false, DIR_UNKNOWN, Buffer.from([9]), 0, 1, sink);
    expect(sink.fns).toEqual([
      { space: 0, code: 7, kind: KIND_RESPONSE, variant: 0 }, // A sends from 2222: the server
      { space: 0, code: 8, kind: KIND_REQUEST, variant: 0 },
    ]);
    expect(s.stats).toMatchObject({ pdus: 3, malformed: 1 });
  });
});

describe('AppSession reassembly options', () => {
  test('new AppSession(..., { gapAfterSegments: 1 }) declares a hole a gap sooner', () => {
    const q = mbap(1, 1, '03 0000 0002');
    const run = (opts?: { gapAfterSegments: number }): number => {
      const s = new AppSession(createRegistry([modbusTcp]), 'tcp', 40000, 502, 0, 0, opts);
      const sink = new RecordingSink();
      for (let i = 2; i < 6; i++) s.tcpSegment(true, DIR_TO_SERVER, 1 + i * q.length, PSH_ACK, q, 0, q.length, sink);
      return s.stats.gaps;
    };
    expect(run()).toBe(0);
    expect(run({ gapAfterSegments: 1 })).toBe(1);
  });
});
