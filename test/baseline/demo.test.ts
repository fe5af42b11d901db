/**
 * Issue 4: the demo plant (fixtures/refinery-unit3, 28 daily captures) ingests cleanly, and its flows
 * match the generator's ground truth: the same flows (initiator, responder, transport, port,
 * protocol), the same packets, bytes, TCP connections, first/last seen and days seen, and the same
 * per-function request and response counts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { flowsMeta } from '../../src/cli/readFlowsDocument.js';
import { flowsDocument } from '../../src/report/flowsDocument.js';
import { REPO_ROOT } from '../util/captures.js';
import { ingestToTempStore } from '../util/tempStore.js';

const DEMO = join(REPO_ROOT, 'fixtures', 'refinery-unit3');

interface Fn {
  code: number | string;
  name: string;
  requests: number;
  responses: number;
  exceptions?: number;
}
interface GtFlow {
  src: string;
  dst: string;
  transport: string;
  port: number;
  protocol: string;
  packets: number;
  bytes: number;
  connections: number;
  first_seen: string;
  last_seen: string;
  days_seen: number;
  functions: Fn[];
  encapsulation: Fn[];
}

const key = (f: { src: string; dst: string; transport: string; port: number; protocol: string }): string =>
  `${f.src} -> ${f.dst} ${f.transport}/${f.port} ${f.protocol}`;

/** code -> [requests, responses], summed over variants. */
function byCode(fns: Fn[] | undefined, useName = false): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const f of fns ?? []) {
    const k = String(useName ? f.name : f.code);
    const e = (out[k] ??= [0, 0]);
    e[0] += f.requests;
    e[1] += f.responses + (f.exceptions ?? 0);
  }
  return out;
}

describe('the demo plant (fixtures/refinery-unit3)', () => {
  const gt = JSON.parse(readFileSync(join(DEMO, 'ground-truth.json'), 'utf8')) as { flows: GtFlow[]; files: unknown[] };
  let flows: Array<Record<string, unknown>> = [];
  let result: Awaited<ReturnType<typeof ingestCaptures>>;

  beforeAll(async () => {
    const registry = createRegistry(defaultDissectors);
    const store = await ingestToTempStore([DEMO], { registry });
    result = store.result;
    flows = flowsDocument(store.reader.flows(), { mainSpace: (p) => registry.byId(p)?.spaces[0], meta: flowsMeta(store.reader) }).flows as Array<Record<string, unknown>>;
    store.dispose();
  });

  test('ingestCaptures(the 28 demo files) ingests every file with no problem at all', () => {
    expect(result.files).toHaveLength(28);
    expect(gt.files).toHaveLength(28);
    expect(result.files.every((f) => f.status === 'ingested')).toBe(true);
    expect(result.failed).toBe(false);
    expect([...result.diagnostics.counts.keys()]).toEqual([]);
    for (const [p, s] of result.protocols) expect({ p, malformed: s.malformed, unparsed: s.unparsedBytes, gaps: s.gapBytes }).toEqual({ p, malformed: 0, unparsed: 0, gaps: 0 });
  });

  test('the demo flows equal the ground truth flow for flow', () => {
    const ours = new Map(flows.map((f) => [key(f as never), f]));
    const theirs = new Map(gt.flows.map((f) => [key(f), f]));
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    expect(theirs.size).toBe(77);
    for (const [k, g] of theirs) {
      const o = ours.get(k)!;
      const pick = (f: Record<string, unknown>) => ({
        flow: k,
        packets: f.packets,
        bytes: f.bytes,
        connections: g.transport === 'tcp' ? f.connections : 0,
        first_seen: f.first_seen,
        last_seen: f.last_seen,
        days_seen: f.days_seen,
      });
      expect(pick(o)).toEqual(pick(g as unknown as Record<string, unknown>));
      if (['modbus', 'enip', 's7comm', 'opcua'].includes(g.protocol)) {
        expect({ flow: k, functions: byCode(o.functions as Fn[]) }).toEqual({ flow: k, functions: byCode(g.functions) });
      }
      if (g.protocol === 'enip') {
        expect({ flow: k, encapsulation: byCode(o.encapsulation as Fn[]) }).toEqual({ flow: k, encapsulation: byCode(g.encapsulation) });
      }
      if (g.protocol === 'opcua') {
        expect({ flow: k, messages: byCode(o.message as Fn[], true) }).toEqual({ flow: k, messages: byCode(g.encapsulation as Fn[], false) });
      }
    }
  });
});
