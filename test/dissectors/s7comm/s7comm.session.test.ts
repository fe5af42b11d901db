/**
 * The s7comm dissector driven the way the flow stage drives it: every capture replayed TCP segment by
 * segment through AppSession (TCP reassembly, TPKT framing with pduLength, protocol choice by port 102),
 * with tshark's per-stream per-function counts as the oracle (see tsharkCounts in tsharkPdus.ts).
 */
import { RecordingSink } from '../../util/recordingSink.js';
import { replayTcp, tshark, tsharkTcpSegments } from '../tsharkTcp.js';
import { createRegistry } from '../../../src/dissectors/registry.js';
import { defaultDissectors } from '../../../src/dissectors/index.js';
import { s7comm } from '../../../src/dissectors/s7comm/index.js';
import { CAPTURES, countFn, sorted, tsharkCounts } from './tsharkPdus.js';

const FILES = ['cisagov_snap7.pcap', 'cisagov_s7ident.pcap', 'cisagov_s7comm_plus.pcap'];

describe('AppSession + s7comm against tshark', () => {
  for (const file of FILES) {
    test(`AppSession(${file}) per-stream per-function counts equal tshark's, no PDU malformed`, () => {
      const path = `${CAPTURES}/${file}`;
      const sinks = new Map<number, RecordingSink>();
      const sinkFor = (stream: number): RecordingSink => {
        let s = sinks.get(stream);
        if (!s) sinks.set(stream, (s = new RecordingSink()));
        return s;
      };
      const sessions = replayTcp(tsharkTcpSegments(path), createRegistry([s7comm]), sinkFor);
      const counts = new Map<string, number>();
      for (const [stream, sink] of sinks) for (const f of sink.fns) countFn(counts, stream, f);
      const want = sorted(tsharkCounts(path));
      expect(Object.keys(want).length).toBeGreaterThan(0);
      expect(sorted(counts)).toEqual(want);
      const violations = [...sinks.values()].flatMap((s) => s.violations);
      expect(violations).toEqual([]);
      let pdus = 0;
      for (const s of sessions.values()) {
        expect(s.protocol).toBe('s7comm');
        expect(s.stats.malformed).toBe(0);
        pdus += s.stats.pdus;
      }
      expect(pdus).toBe(Object.values(want).reduce((a, b) => a + b, 0));
    });
  }

  test('AppSession(cisagov_s7comm_plus.pcap) with the default dissector list reports s7comm-plus for the streams tshark shows carry it, s7comm for the rest', () => {
    const path = `${CAPTURES}/cisagov_s7comm_plus.pcap`;
    const sessions = replayTcp(tsharkTcpSegments(path), createRegistry(defaultDissectors), () => new RecordingSink());
    // tshark 4.0 has no S7comm-plus dissector: COTP data starting with protocol id 0x72 is S7comm-plus.
    const plus = new Set(tshark(['-r', path, '-Y', 'cotp && data.data[0] == 0x72', '-T', 'fields', '-e', 'tcp.stream']).split('\n').filter((l) => l).map(Number));
    expect(sessions.size).toBeGreaterThan(1);
    expect(plus.size).toBeGreaterThan(0);
    for (const [stream, s] of sessions) expect({ stream, protocol: s.protocol }).toEqual({ stream, protocol: plus.has(stream) ? 's7comm-plus' : 's7comm' });
  });
});
