/**
 * Parallel ingest hands records to workers by reference into shared windows (sharedWindows.ts): the
 * parser, given a WindowSource, delivers the same records as with its own reused buffer, and a
 * record's bytes stay where they were after the parser moved on; SharedWindows indexes each worker's
 * records, copies those from outside its windows, reuses a window only once every index into it came
 * back, and makes the reader wait while all are in use.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { WindowSource } from '../../src/ingest/parseState.js';
import { readCaptureFile } from '../../src/ingest/readCapture.js';
import { newCaptureRecord, type CaptureRecord } from '../../src/ingest/record.js';
import { MAX_WINDOWS, readIndex, SharedWindows, WINDOW_BYTES, type WindowMessage } from '../../src/pipeline/sharedWindows.js';
import { CAPTURES_DIR } from '../util/captures.js';

interface Seen {
  frame: number;
  tsSec: number;
  tsNsec: number;
  fileOffset: number;
  bytes: string;
}

function seen(r: CaptureRecord): Seen {
  return { frame: r.frame, tsSec: r.tsSec, tsNsec: r.tsNsec, fileOffset: r.fileOffset, bytes: r.data.toString('hex', r.offset, r.offset + r.caplen) };
}

/** Fresh small windows, never reused, each kept so that records can be checked after the parser left them. */
class FreshWindows implements WindowSource {
  readonly made: Buffer[] = [];
  constructor(private readonly size: number) {}
  next(minBytes: number): Buffer {
    const b = Buffer.alloc(Math.max(minBytes, this.size));
    this.made.push(b);
    return b;
  }
}

const inputs = [join(CAPTURES_DIR, 'enip', 'cisagov_enip_cip_example.pcap'), join(CAPTURES_DIR, 'enip', 'cisagov_multiple_service_packet_cip.pcapng'), join(CAPTURES_DIR, 'dnp3', 'cisagov_dnp3_example.pcap')];

describe('readCaptureFile(windows)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-windows-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const gz = join(dir, 'dnp3.pcap.gz');
  writeFileSync(gz, gzipSync(readFileSync(inputs[2]!)));

  for (const path of [...inputs, gz]) {
    test(`readCaptureFile(${path.split('/').pop()}, windows of 200 bytes) delivers the same records, and their bytes stay in place`, async () => {
      const plain: Seen[] = [];
      await readCaptureFile(path, (r) => void plain.push(seen(r)), {});
      const src = new FreshWindows(200);
      const got: Seen[] = [];
      const refs: Array<{ data: Buffer; offset: number; caplen: number }> = [];
      await readCaptureFile(path, (r) => {
        got.push(seen(r));
        refs.push({ data: r.data, offset: r.offset, caplen: r.caplen });
      }, { windows: src, chunkSize: 512 });
      expect(got).toEqual(plain);
      expect(plain.length).toBeGreaterThan(0);
      // Several windows were used, each record's data is one of them, and its bytes are unchanged now.
      expect(src.made.length).toBeGreaterThan(1);
      const made = new Set(src.made);
      refs.forEach((ref, i) => {
        expect(made.has(ref.data)).toBe(true);
        expect(ref.data.toString('hex', ref.offset, ref.offset + ref.caplen)).toBe(plain[i]!.bytes);
      });
    });
  }
});

/** Two fake workers that receive SharedWindows' messages and read their indexes on demand. */
function harness(workers: number) {
  const windows = new Map<number, Buffer>();
  const indexes = new Map<number, SharedArrayBuffer>();
  const queues: Array<Array<Extract<WindowMessage, { type: 'frames' }>>> = Array.from({ length: workers }, () => []);
  const sw = new SharedWindows(workers, (i, m) => {
    if (m.type === 'window') windows.set(m.id, Buffer.from(m.sab));
    else if (m.type === 'drop') windows.delete(m.id);
    else if (m.type === 'index') indexes.set(m.id, m.sab);
    else queues[i]!.push(m);
  });
  /** Worker i reads and hands back its queued indexes: the records it got. */
  const drain = (i: number): Seen[] => {
    const out: Seen[] = [];
    const rec = newCaptureRecord();
    for (const m of queues[i]!.splice(0)) {
      readIndex(indexes.get(m.index)!, m.count, windows.get(m.window)!, rec, (r) => void out.push(seen(r)));
      sw.release(m.window, m.index);
    }
    return out;
  };
  return { sw, drain, queues, windows };
}

describe('SharedWindows', () => {
  test('route(records in a window, to 2 workers) gives each worker its records in order, in place', async () => {
    const { sw, drain } = harness(2);
    const want: Seen[][] = [[], []];
    let n = 0;
    await readCaptureFile(inputs[0]!, (r) => {
      const w = n++ % 3 === 0 ? 1 : 0;
      want[w]!.push(seen(r));
      sw.route(r, w);
    }, { windows: sw });
    sw.flush();
    expect(drain(0)).toEqual(want[0]);
    expect(drain(1)).toEqual(want[1]);
    expect(want[1]!.length).toBeGreaterThan(10);
  });

  test('route(a record outside the windows) copies it into a spill window', () => {
    const { sw, drain } = harness(1);
    const rec = newCaptureRecord();
    const want: Seen[] = [];
    for (let i = 0; i < 5; i++) {
      rec.data = Buffer.from([1, 2, 3, 4, 5, 6, 7, i]);
      rec.offset = 2;
      rec.caplen = 6;
      rec.origlen = 60;
      rec.frame = i + 1;
      rec.tsSec = 1000 + i;
      want.push(seen(rec));
      sw.route(rec, 0);
      rec.data.fill(0); // the caller's buffer is reused: the worker must not see it
    }
    sw.flush();
    expect(drain(0)).toEqual(want);
  });

  test('pace() waits while every window is in use and resumes when a worker hands one back', async () => {
    const { sw, drain, queues } = harness(1);
    const rec = newCaptureRecord();
    rec.caplen = 10;
    // Every window taken and sealed, each with one record for the worker, none handed back yet.
    for (let i = 0; i < MAX_WINDOWS; i++) {
      const w = sw.next(1);
      rec.data = w;
      rec.offset = 0;
      sw.route(rec, 0);
    }
    sw.flush();
    expect(queues[0]!.length).toBe(MAX_WINDOWS);
    const wait = sw.pace(() => false);
    expect(wait).toBeInstanceOf(Promise);
    let resumed = false;
    void wait!.then(() => (resumed = true));
    await new Promise((r) => setImmediate(r));
    expect(resumed).toBe(false);
    drain(0);
    await new Promise((r) => setImmediate(r));
    expect(resumed).toBe(true);
    // Once back, windows are reused, not made anew.
    const again = sw.next(1);
    expect(again.length).toBe(WINDOW_BYTES);
    expect(sw.pace(() => false)).toBeUndefined();
  });

  test('next(a record larger than a window) makes a window of its own, dropped once handed back', () => {
    const { sw, drain, windows } = harness(1);
    const big = sw.next(WINDOW_BYTES + 100);
    expect(big.length).toBe(WINDOW_BYTES + 100);
    const rec = newCaptureRecord();
    rec.data = big;
    rec.offset = 0;
    rec.caplen = WINDOW_BYTES + 100;
    sw.route(rec, 0);
    sw.flush();
    expect(windows.size).toBe(1);
    drain(0);
    expect(windows.size).toBe(0);
  });
});
