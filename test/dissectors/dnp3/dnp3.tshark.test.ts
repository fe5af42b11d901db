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
 *
 * Object headers: per stream, per request function, every object tshark shows (dnp3.al.obj with its
 * qualifier dnp3.al.objq.prefix / .range, range start-stop, quantity, point indexes) rendered as
 * `g12v1 index 3`, `g60v1`, `g1v2 indexes 0-15`, `g50v1 count 1`, equals what the dissector records.
 */
import { capturePath } from '../../util/captures.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { replayTcp, tshark, tsharkTcpSegments } from '../tsharkTcp.js';
import { replayUdp, tsharkUdpDatagrams } from '../udpReplay.js';
import { createRegistry } from '../../../src/dissectors/registry.js';
import { dnp3, DNP3_OBJECT_POINT } from '../../../src/dissectors/dnp3/index.js';

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

/** Records `stream function object` for each object of space 'object', after the function it follows. */
class ObjectSink extends RecordingSink {
  lastFn = -1;
  readonly seen: string[] = [];
  constructor(readonly stream: number) {
    super();
  }
  override fn(space: number, code: number, kind: number, variant = 0): void {
    super.fn(space, code, kind, variant);
    if (space === 0) this.lastFn = code;
  }
  override object(space: number, key: number | string, write: boolean): void {
    super.object(space, key, write);
    if (space === DNP3_OBJECT_POINT) this.seen.push(`${this.stream} ${this.lastFn} ${dnp3.describeObject!(space, key)} ${write ? 'w' : 'r'}`);
  }
}

/** tshark's object headers of the requests (from the master), one line per object as ObjectSink has them. */
function tsharkObjects(path: string, udp: boolean): string[] {
  const out = tshark(['-r', path, '-Y', 'dnp3.al.func && dnp3.ctl.dir == 1 && !tcp.analysis.retransmission', '-T', 'fields', '-E', 'separator=|',
    '-e', udp ? 'udp.stream' : 'tcp.stream', '-e', 'dnp3.al.func', '-e', 'dnp3.al.obj', '-e', 'dnp3.al.objq.prefix', '-e', 'dnp3.al.objq.range',
    '-e', 'dnp3.al.range.start', '-e', 'dnp3.al.range.stop', '-e', 'dnp3.al.range.quantity', '-e', 'dnp3.al.index']);
  const writes = new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 25, 26, 27, 29, 30, 31]);
  const lines: string[] = [];
  const list = (s: string | undefined): string[] => (s ? s.split(',') : []);
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [stream, func, objs, prefixes, ranges, starts, stops, quantities, indexes] = line.split('|') as string[];
    const starts_ = list(starts), stops_ = list(stops), qty = list(quantities), idx = list(indexes);
    const rw = writes.has(Number(func)) ? 'w' : 'r';
    list(objs).forEach((obj, i) => {
      const gv = `g${parseInt(obj.slice(2, 4), 16)}v${parseInt(obj.slice(4, 6), 16)}`;
      const prefix = Number(list(prefixes)[i]);
      const range = Number(list(ranges)[i]);
      let count = 0;
      let rendered: string[];
      if (range <= 5) {
        const a = Number(starts_.shift()), b = Number(stops_.shift());
        count = b - a + 1;
        rendered = [`${gv} indexes ${a}-${b}`];
      } else if (range === 6) rendered = [gv];
      else {
        count = Number(qty.shift());
        rendered = [`${gv} count ${count}`];
      }
      if (prefix >= 1 && prefix <= 3) rendered = idx.splice(0, count).map((x) => `${gv} index ${x}`);
      for (const r of rendered) lines.push(`${stream} ${func} ${r} ${rw}`);
    });
  }
  return lines;
}

function ourObjects(path: string, udp: boolean): string[] {
  const registry = createRegistry([dnp3]);
  const sinks = new Map<number, ObjectSink>();
  const sinkFor = (stream: number): ObjectSink => {
    let s = sinks.get(stream);
    if (!s) sinks.set(stream, (s = new ObjectSink(stream)));
    return s;
  };
  if (udp) replayUdp(tsharkUdpDatagrams(path, 'dnp3'), registry, sinkFor);
  else replayTcp(tsharkTcpSegments(path), registry, sinkFor);
  return [...sinks.values()].flatMap((s) => {
    expect(s.violations).toEqual([]);
    return s.seen;
  });
}

describe('dnp3 object headers against tshark', () => {
  for (const [file, udp] of [['dnp3/cisagov_dnp3_example.pcap', false], ['dnp3/zeek_dnp3_udp_read.pcap', true]] as const) {
    test(`AppSession(${file}) records per stream and request function the objects tshark shows (g12v1 index N, g60v1, ...)`, () => {
      const path = capturePath(file);
      const want = tsharkObjects(path, udp).sort();
      expect(want.length).toBeGreaterThan(0);
      expect(ourObjects(path, udp).sort()).toEqual(want);
    });
  }

  test('tsharkObjects(cisagov_dnp3_example.pcap) holds Select and Operate on CROB g12v1 by point index, and class polls', () => {
    const want = new Set(tsharkObjects(capturePath('dnp3/cisagov_dnp3_example.pcap'), false).map((l) => l.split(' ').slice(1).join(' ')));
    expect(want.has('3 g12v1 index 3 w')).toBe(true);
    expect(want.has('4 g12v1 index 3 w')).toBe(true);
    expect(want.has('1 g60v1 r')).toBe(true);
  });
});
