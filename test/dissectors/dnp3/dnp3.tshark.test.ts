/**
 * tshark as the oracle: every DNP3 capture replayed (TCP segment by segment, UDP datagram by datagram)
 * through AppSession + dnp3; per-stream per-application-function counts equal tshark's.
 *
 * One correction to tshark, counted and checked: tshark 4.0 does not join transport segments whose
 * 6-bit sequence wraps from 63 to 0 inside a fragment (IEEE 1815-2012 8.2.1.2: the sequence is modulo
 * 64), so it shows no application function for those fragments. For each such chain the function code
 * tshark prints in the first segment's data chunk is added to its counts. For the same reason it can
 * join a whole one-segment fragment with an older fragment of the same sequence number (it flags it
 * dnp3.al.fragment.overlap.conflict) and show that one's bytes: there the function code of the
 * segment's own data chunk is taken.
 */
import { capturePath } from '../../util/captures.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { replayTcp, tshark, tsharkTcpSegments } from '../tsharkTcp.js';
import { replayUdp, tsharkUdpDatagrams } from '../udpReplay.js';
import { createRegistry } from '../../../src/dissectors/registry.js';
import { dnp3 } from '../../../src/dissectors/dnp3/index.js';

type Counts = Record<string, number>;
const add = (c: Counts, k: string): void => {
  c[k] = (c[k] ?? 0) + 1;
};

function tsharkCounts(path: string, udp: boolean): { counts: Counts; wrapped: number } {
  const out = tshark(['-r', path, '-Y', 'dnp3 && !tcp.analysis.retransmission', '-T', 'fields', '-E', 'separator=|',
    '-e', udp ? 'udp.stream' : 'tcp.stream', '-e', 'dnp3.ctl.dir', '-e', 'dnp3.tr.fir', '-e', 'dnp3.tr.fin', '-e', 'dnp3.tr.seq', '-e', 'dnp3.al.func', '-e', 'dnp.data_chunk', '-e', 'dnp3.al.fragment.overlap.conflict']);
  const counts: Counts = {};
  const chains = new Map<string, { fc: number; last: number; wrapped: boolean }>();
  let wrapped = 0;
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [stream, dirBit, fir, fin, seqS, tsharkFunc, chunks, conflict] = line.split('|') as string[];
    const ownFc = (): number => parseInt(chunks!.replace(/:/g, '').slice(4, 6), 16);
    let func = tsharkFunc;
    if (conflict === '1' && fir === '1' && fin === '1') {
      func = String(ownFc());
      wrapped++;
    }
    if (func) add(counts, `${stream} ${func}`);
    if (fir === '') continue; // link-only frame
    const key = `${stream} ${dirBit}`;
    const seq = Number(seqS);
    if (fir === '1') chains.set(key, { fc: ownFc(), last: seq, wrapped: false });
    else {
      const c = chains.get(key);
      if (c) {
        if (c.last === 63 && seq === 0) c.wrapped = true;
        c.last = seq;
      }
    }
    if (fin === '1') {
      const c = chains.get(key);
      if (!func && fir === '0' && c?.wrapped) {
        add(counts, `${stream} ${c.fc}`);
        wrapped++;
      }
      chains.delete(key);
    }
  }
  return { counts, wrapped };
}

function ourCounts(path: string, udp: boolean): Counts {
  const registry = createRegistry([dnp3]);
  const sinks = new Map<number, RecordingSink>();
  const sinkFor = (stream: number): RecordingSink => {
    let s = sinks.get(stream);
    if (!s) sinks.set(stream, (s = new RecordingSink()));
    return s;
  };
  const sessions = udp ? replayUdp(tsharkUdpDatagrams(path, 'dnp3'), registry, sinkFor) : replayTcp(tsharkTcpSegments(path), registry, sinkFor);
  for (const s of sessions.values()) expect(s.protocol).toBe('dnp3');
  const counts: Counts = {};
  for (const [stream, sink] of sinks) {
    expect(sink.violations).toEqual([]);
    for (const f of sink.fns) if (f.space === 0) add(counts, `${stream} ${f.code}`);
  }
  return counts;
}

describe('AppSession + dnp3 against tshark', () => {
  test('AppSession(dnp3/cisagov_dnp3_example.pcap, TCP) per-stream per-function counts equal tshark\'s (5 sequence-wrap errors of tshark corrected)', () => {
    const path = capturePath('dnp3/cisagov_dnp3_example.pcap');
    const want = tsharkCounts(path, false);
    expect(want.wrapped).toBe(5);
    expect(Object.keys(want.counts).length).toBeGreaterThan(20);
    expect(ourCounts(path, false)).toEqual(want.counts);
  });

  test('AppSession(dnp3/zeek_dnp3_udp_read.pcap, UDP) per-stream per-function counts equal tshark\'s', () => {
    const path = capturePath('dnp3/zeek_dnp3_udp_read.pcap');
    const want = tsharkCounts(path, true);
    expect(want.wrapped).toBe(0);
    expect(want.counts).toEqual({ '0 1': 1, '0 129': 2 });
    expect(ourCounts(path, true)).toEqual(want.counts);
  });
});
