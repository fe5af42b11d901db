/**
 * The opcua dissector driven the way the pipeline drives it: AppSession (protocol choice by port or
 * heuristic among the default dissectors, TCP reassembly, framing with opcua.pduLength) fed with every
 * TCP segment of the real captures, compared with the per-PDU counts of captureStreams.ts.
 */
import { AppSession } from '../../../src/dissectors/session.js';
import { createRegistry } from '../../../src/dissectors/registry.js';
import { defaultDissectors } from '../../../src/dissectors/index.js';
import { opcua } from '../../../src/dissectors/opcua/index.js';
import type { OpcuaState } from '../../../src/dissectors/opcua/index.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN } from '../../../src/dissectors/types.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { capturePath, listCaptures } from '../../util/captures.js';
import { captureStreams, tsharkFields } from './captureStreams.js';

interface Driven {
  protocol: string;
  payloadBytes: number;
  sink: RecordingSink;
  session: AppSession;
}

/** Every TCP segment of `file` through one AppSession per tcp.stream. */
function drive(file: string, handshakeDir: boolean): Map<number, Driven> {
  const rows = tsharkFields(capturePath(file), ['tcp.stream', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.flags', 'tcp.payload'], ['-Y', 'tcp']);
  const registry = createRegistry(defaultDissectors);
  const out = new Map<number, Driven & { portA: number; serverPort: number }>();
  for (const [streamS, srcS, dstS, seqS, flagsS, hex] of rows) {
    const stream = Number(streamS);
    const src = Number(srcS);
    const dst = Number(dstS);
    const flags = Number.parseInt(flagsS!, 16);
    let d = out.get(stream);
    if (!d) {
      const syn = (flags & 0x12) === 0x02;
      const session = new AppSession(registry, 'tcp', src, dst);
      d = { protocol: '', payloadBytes: 0, sink: new RecordingSink(), session, portA: src, serverPort: syn ? dst : -1 };
      out.set(stream, d);
    }
    const payload = hex ? Buffer.from(hex, 'hex') : Buffer.alloc(0);
    d.payloadBytes += payload.length;
    const fromA = src === d.portA;
    const dir = !handshakeDir || d.serverPort < 0 ? DIR_UNKNOWN : dst === d.serverPort ? DIR_TO_SERVER : DIR_TO_CLIENT;
    d.session.tcpSegment(fromA, dir, Number(seqS), flags, payload, 0, payload.length, d.sink);
  }
  for (const d of out.values()) {
    d.session.close(d.sink);
    d.protocol = d.session.protocol;
  }
  return out;
}

/** Reference counts: captureStreams framing + decode with one state per stream. */
function reference(file: string, port: number): Map<number, string[]> {
  const cs = captureStreams(capturePath(file), opcua.pduLength!, [port]);
  const states = new Map<number, OpcuaState>();
  const out = new Map<number, string[]>();
  for (const p of cs.pdus) {
    let st = states.get(p.stream);
    if (!st) states.set(p.stream, (st = opcua.createState()));
    const sink = new RecordingSink();
    opcua.decode(st, p.pdu, 0, p.pdu.length, p.dir, sink);
    out.set(p.stream, [...(out.get(p.stream) ?? []), ...sink.fns.map((f) => `${f.space}:${f.code}/${f.kind}/${f.variant}`)]);
  }
  return out;
}

const OPCUA = listCaptures().filter((f) => f.startsWith('opcua/'));

describe('opcua through AppSession', () => {
  test('AppSession lists the six OPC UA captures', () => {
    expect(OPCUA.length).toBe(6);
  });

  for (const file of OPCUA) {
    const port = file.includes('non-standard-port') ? 48010 : 4840;
    for (const handshakeDir of [true, false]) {
      test(`AppSession(${file}, ${handshakeDir ? 'handshake direction' : 'DIR_UNKNOWN'}) chooses opcua and counts as the direct decode does`, () => {
        const driven = drive(file, handshakeDir);
        const ref = reference(file, port);
        expect(ref.size).toBeGreaterThan(0);
        for (const [stream, d] of driven) {
          const fns = d.sink.fns.map((f) => `${f.space}:${f.code}/${f.kind}/${f.variant ?? 0}`);
          if (!ref.has(stream)) {
            // Non-OPC UA payload (the LSP streams of create_monitored_items) is not taken for OPC UA;
            // payload-less connections to 4840 (::1 SYN/RST) are opcua by port and count nothing.
            expect({ stream, opcua: d.protocol === 'opcua', fns }).toEqual({ stream, opcua: d.payloadBytes === 0, fns: [] });
            continue;
          }
          expect({ stream, protocol: d.protocol }).toEqual({ stream, protocol: 'opcua' });
          expect(fns).toEqual(ref.get(stream));
          expect(d.sink.violations).toEqual([]);
          expect({ stream, malformed: d.session.stats.malformed, unparsed: d.session.stats.bytesUnparsed }).toEqual({
            stream,
            malformed: 0,
            unparsed: 0,
          });
        }
      });
    }
  }
});
