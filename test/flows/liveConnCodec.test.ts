import { IPPROTO_TCP, IPPROTO_UDP } from '../../src/decode/packet.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { AppSession } from '../../src/dissectors/session.js';
import { Conn } from '../../src/flows/conn.js';
import { TcpReassembler } from '../../src/reassembly/tcpReassembler.js';
import { serialize } from 'node:v8';
import {
  LIVE_CONN_FIELDS, LiveConnChunkWriter, readLiveConnChunk, REASSEMBLER_CHECKPOINT_FIELDS, SESSION_CHECKPOINT_FIELDS,
} from '../../src/flows/liveConnCodec.js';
import { toLiveConn, type LiveConn } from '../../src/flows/liveState.js';

const registry = createRegistry([modbusTcp]);

function roundTrip(list: LiveConn[]): LiveConn[] {
  const w = new LiveConnChunkWriter();
  for (const lc of list) w.add(lc);
  expect(w.count).toBe(list.length);
  return [...readLiveConnChunk(w.finish())];
}

/** Equal, the PDU counters (Maps made in another realm by v8.deserialize) compared by their serialized bytes. */
function expectSame(got: LiveConn[], want: LiveConn[]): void {
  expect(got.map((lc) => ({ ...lc, pdus: null }))).toEqual(want.map((lc) => ({ ...lc, pdus: null })));
  expect(got.map((lc) => serialize(lc.pdus).toString('hex'))).toEqual(want.map((lc) => serialize(lc.pdus).toString('hex')));
}

const reassembler = (isn: number) => new TcpReassembler({} as never, isn).checkpoint();

function base(over: Partial<LiveConn>): LiveConn {
  return {
    version: 4, addrA: [0, 0, 0, 0x0a1e0132], addrB: [0, 0, 0, 0x0a14010a], portA: 502, portB: 50123, proto: IPPROTO_TCP, syn: 2,
    isnA: 4_000_000_000, isnB: 17, firstFromA: false, protoClientIsA: 0, originatorIsA: -1, initiatorIsA: 0, evidence: 'syn',
    protocol: 'modbus', flowKey: '10.30.1.50|10.20.1.10|tcp|502|modbus', respPort: 502, closeFlags: 3, answeredA: true,
    answeredB: true, payloadSeen: true, counted: true, firstTs: 1_767_600_000.123456, lastTs: 1_767_600_030.5, hour: 490_999,
    day: 20_458, macA: 0x001d9c000001, macB: -1, deltas: [0, 0, 0, 0, Infinity, 0, 0], hours: null, pdus: null, session: null,
    ...over,
  };
}

describe('liveConnCodec', () => {
  test('every kind of live connection comes back equal: sessions (TCP, UDP, no dissector), none, waiting deltas and PDUs', () => {
    const tcp = { ...new AppSession(registry, 'tcp', 502, 50123, 4_000_000_000, 17).checkpoint(), ra: reassembler(4_000_000_000), rb: reassembler(17) };
    const list: LiveConn[] = [
      base({ session: { transport: 'tcp', checkpoint: tcp } }),
      base({
        session: {
          transport: 'tcp',
          checkpoint: {
            ...tcp, protocol: 'unknown', dissector: null, serverPort: -1, refined: true, carriedKnown: true, dead: true, dirA: 2, dirB: 1,
            ra: { started: true, next: 4_294_967_295, synced: true, skip: 3, hasFin: true, finSeq: 12 }, rb: null,
          },
        },
      }),
      base({
        proto: IPPROTO_UDP, syn: -1, evidence: 'first-sender', counted: false, closeFlags: 0,
        session: { transport: 'udp', checkpoint: new AppSession(registry, 'udp', 47808, 47808, 0, 0).checkpoint() },
      }),
      base({
        version: 6, addrA: [0x20010db8, 0, 0, 1], addrB: [0x20010db8, 0, 0, 2], evidence: 'port', counted: false, initiatorIsA: -1,
        deltas: [3, 1, 180, 60, 1_767_600_000.5, 4, 240], hours: [490_998, 2, 120],
        pdus: {
          fns: new Map([[3, { requests: 2, responses: 1, exceptions: 0 }]]), pastFns: null, ranges: new Map([[40001, { n: 2 }]]),
          objects: null, attributes: new Map([['unit', '1']]),
        } as unknown as LiveConn['pdus'],
      }),
      base({ firstTs: -Infinity, lastTs: NaN, macA: -1, flowKey: '', protocol: '' }),
    ];
    expectSame(roundTrip(list), list);
    expect(roundTrip([])).toEqual([]);
  });

  test('the record holds every field of LiveConn, SessionCheckpoint and ReassemblerCheckpoint (a new field must be added to the codec)', () => {
    const conn = new Conn(0, 4, 502, 50123, IPPROTO_TCP, true, 1_767_600_000);
    conn.session = new AppSession(registry, 'tcp', 502, 50123, 1, 2);
    const lc = toLiveConn(conn, new Uint32Array([0, 0, 0, 1]), new Uint32Array([0, 0, 0, 2]));
    expect(Object.keys(lc).sort()).toEqual([...LIVE_CONN_FIELDS].sort());
    expect(Object.keys(lc.session!.checkpoint).sort()).toEqual([...SESSION_CHECKPOINT_FIELDS].sort());
    expect(Object.keys(reassembler(1)).sort()).toEqual([...REASSEMBLER_CHECKPOINT_FIELDS].sort());
    expectSame(roundTrip([lc]), [lc]);
  });

  test('a chunk of another shape is refused', () => {
    const w = new LiveConnChunkWriter();
    w.add(base({}));
    const bytes = w.finish();
    expect(() => [...readLiveConnChunk(bytes.subarray(0, bytes.byteLength - 1))]).toThrow('another shape');
  });
});
