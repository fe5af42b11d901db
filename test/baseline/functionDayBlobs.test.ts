/**
 * Function counts per 32-day block (src/baseline/functionDayBlobs.ts, migration 9): packing a
 * function's days, the zs_add_function_days merge in any order, the store written in parts in
 * different orders, and windowFunctions over blocks and leftover flow_function_days rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Baseline } from '../../src/baseline/baseline.js';
import { BaselineReader, type FlowFunction } from '../../src/baseline/reader.js';
import { addFunctionDays, decodeFunctionDays, encodeFunctionDays, packFunctionDays, windowFunctions } from '../../src/baseline/functionDayBlobs.js';
import { addDay, newFrameCounters, type FlowBatch, type FlowDelta, type FnDayCounts } from '../../src/flows/flowDelta.js';
import { sampleFlow } from '../flows/sampleDeltas.js';

const counts = (n: number): FnDayCounts => ({ requests: n, responses: 2 * n, exceptions: n % 3 });

describe('function day blocks', () => {
  test('packFunctionDays(days in any order, across blocks, negative days) emits one blob per 32-day block, blocks ascending', () => {
    const days = ([[20490, counts(5)], [20454, counts(1)], [20447, counts(2)], [20448, counts(3)], [-1, counts(4)]] as const).flatMap(([d, n]) => [d, n.requests, n.responses, n.exceptions]);
    const out: Array<[number, number[][] | null]> = [];
    packFunctionDays(days, (first, blob) => out.push([first, decodeFunctionDays(blob)]));
    expect(out).toEqual([
      [-32, [[31, 4, 8, 1]]],
      [20416, [[31, 2, 4, 2]]],
      [20448, [[0, 3, 6, 0], [6, 1, 2, 1]]],
      [20480, [[10, 5, 10, 2]]],
    ]);
  });

  test('addFunctionDays(blocks of parts, any order and grouping) gives the same bytes', () => {
    const a = encodeFunctionDays([[0, 1, 2, 3], [31, 4, 5, 6]]);
    const b = encodeFunctionDays([[31, 1, 1, 1], [7, 0, 0, 0]]);
    const c = encodeFunctionDays([[0, 9, 9, 9]]);
    const want = encodeFunctionDays([[0, 10, 11, 12], [7, 0, 0, 0], [31, 5, 6, 7]]);
    for (const got of [addFunctionDays(addFunctionDays(a, b), c), addFunctionDays(c, addFunctionDays(b, a)), addFunctionDays(addFunctionDays(b, c), a)]) {
      expect(got.equals(want)).toBe(true);
    }
  });
});

describe('the store\'s function day blocks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-fndays-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const info = (fp: string) => ({
    fingerprint: fp, headHash: fp, path: `${fp}.pcap`, size: 1, format: 'pcap', compression: 'none', linktypes: [1], endOffset: 24,
    frames: 1, truncated: false, errors: 0, warnings: 0, resumedFrom: null,
  });
  const batchOf = (flows: FlowDelta[]): FlowBatch => ({
    flows, identities: [], macs: [], arp: [], l2: [], scans: [], protocols: [], events: [], capturePoints: [],
    counters: { ...newFrameCounters(), frames: 1, firstTs: 100, lastTs: 200 }, liveConnections: 0,
  });
  const DAY = 20454;
  /** Parts of one flow whose function has days in two blocks (one day shared by every part). */
  const parts = (): FlowDelta[] => [1, 2, 3].map((n) => {
    const f = sampleFlow(n, DAY, DAY * 24 + 5); // its hour on DAY
    const fn = f.functions.get(3)!;
    addDay(fn.days, DAY + 10 * n, counts(n));
    addDay(fn.days, DAY - 40, counts(7 * n));
    return f;
  });
  function write(name: string, ps: FlowDelta[]): { rows: unknown[]; read: (since: number, until: number) => FlowFunction[] } {
    const path = join(dir, `${name}.db`);
    const st = Baseline.open(path);
    for (const p of ps.slice(0, -1)) st.writePart([p]);
    st.commitCapture(info(name), batchOf([ps[ps.length - 1]!]), [], new Map());
    st.close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT flow_id, space, code, variant, first_day, hex(days) AS days FROM flow_function_day_blocks ORDER BY 1, 2, 3, 4, 5').all();
    db.close();
    return {
      rows,
      read: (since, until) => {
        const r = BaselineReader.open(path);
        try {
          return r.flows({ since, until })[0]?.functions ?? [];
        } finally {
          r.close();
        }
      },
    };
  }

  test('Baseline.writePart/commitCapture(the same parts in other orders) store identical blocks; a window reads its days\' counts', () => {
    const ps = parts();
    const a = write('forward', ps);
    const b = write('backward', [...ps].reverse());
    expect(a.rows.length).toBe(3);
    expect(b.rows).toEqual(a.rows);
    // sampleFlow(n) puts 8n, 9n, 10n on DAY; the parts add n, 2n, n % 3 on DAY + 10n (outside both windows) and 7n, 14n, 7n % 3 on DAY - 40
    const dayOf = (d: number) => [d * 86400, d * 86400 + 86399] as const;
    const [q, r] = dayOf(DAY);
    expect(a.read(q, r).map((f) => [f.requests, f.responses, f.exceptions])).toEqual([[48, 54, 60]]);
    expect(b.read(q, r).map((f) => [f.requests, f.responses, f.exceptions])).toEqual([[48, 54, 60]]);
    expect(a.read((DAY - 40) * 86400, (DAY + 1) * 86400 - 1).map((f) => [f.requests, f.responses, f.exceptions])).toEqual([[48 + 42, 54 + 84, 60 + 3]]);
  });

  test('windowFunctions(blocks, a damaged blob, leftover flow_function_days rows, a flow without days) sums the window\'s days; keeps an undated flow whole', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE flow_function_day_blocks (flow_id, space, code, variant, first_day, days, PRIMARY KEY (flow_id, space, code, variant, first_day)) WITHOUT ROWID;
      CREATE TABLE flow_function_days (flow_id, space, code, variant, day, requests, responses, exceptions, PRIMARY KEY (flow_id, space, code, variant, day)) WITHOUT ROWID;`);
    const ins = db.prepare('INSERT INTO flow_function_day_blocks VALUES (?, ?, ?, ?, ?, ?)');
    ins.run(1, 'function', 3, 0, 640, encodeFunctionDays([[0, 1, 1, 0], [5, 2, 2, 0]]));
    ins.run(1, 'function', 3, 0, 672, Buffer.from([9])); // damaged: left out
    ins.run(1, 'function', 6, 0, 640, encodeFunctionDays([[9, 4, 4, 0]]));
    db.prepare('INSERT INTO flow_function_days VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(1, 'function', 3, 0, 645, 10, 10, 1);
    const fn = (code: number, requests: number): FlowFunction => ({ space: 'function', code, variant: 0, name: `fc${code}`, opClass: 'read', requests, responses: requests, exceptions: 0 });
    const byId = new Map([[1, { functions: [fn(3, 100), fn(6, 100)] }], [2, { functions: [fn(3, 100)] }]]);
    windowFunctions(db, byId, 645 * 86400, 646 * 86400 - 1);
    expect(byId.get(1)!.functions.map((f) => [f.code, f.requests, f.responses, f.exceptions])).toEqual([[3, 12, 12, 1]]);
    expect(byId.get(2)!.functions.map((f) => f.requests)).toEqual([100]);
    db.close();
  });
});
