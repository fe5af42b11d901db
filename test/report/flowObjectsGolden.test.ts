/**
 * Golden test over objects and code spaces: for every real capture in fixtures/captures, every flow's
 * objects (object space, rendered key, reads, writes) and its functions per code space (code, name,
 * class), as the flows@2 document shows them, equal the committed canonical JSON
 * test/report/golden/captureObjects.json. UPDATE_GOLDEN=1 rewrites it; review the diff like code.
 * Beside the golden file, the invariants the issue asks for are checked directly: no packed numeric
 * object key, no COTP code among the S7 functions, no carrier counted as an operation.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { flowsMeta } from '../../src/cli/readFlowsDocument.js';
import { flowsDocument } from '../../src/report/flowsDocument.js';
import { canonicalJson } from '../../src/report/json.js';
import { REPO_ROOT, capturePath, listCaptures } from '../util/captures.js';
import { ingestToTempStore } from '../util/tempStore.js';

interface FnJson {
  code: number;
  name: string;
  class: string;
  requests: number;
  variant?: number;
}
type FlowJson = Record<string, unknown> & { src: string; dst: string; transport: string; port: number; protocol: string; functions: FnJson[]; operations: Record<string, number> };

const FLOW_FIELDS = new Set([
  'src', 'dst', 'transport', 'port', 'protocol', 'initiator_evidence', 'initiator_evidence_connections', 'packets', 'bytes',
  'packets_to_responder', 'packets_to_initiator', 'bytes_to_responder', 'bytes_to_initiator', 'connections', 'first_seen',
  'last_seen', 'days_seen', 'hours_seen', 'operations', 'ranges', 'objects', 'attributes',
]);

/** The code spaces of a flows@2 entry: `functions` (the main one) and every other list of codes. */
function spacesOf(f: FlowJson, main: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(f)) {
    if (k !== 'functions' && FLOW_FIELDS.has(k)) continue;
    const list = v as FnJson[];
    if (list.length === 0) continue;
    out[k === 'functions' ? main : k] = list.map((fn) => `0x${fn.code.toString(16)}${fn.variant ? `/${fn.variant}` : ''} ${fn.name} ${fn.class}`);
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

describe('objects and code spaces golden (fixtures/captures)', () => {
  const registry = createRegistry(defaultDissectors);
  const main = (p: string): string | undefined => registry.byId(p)?.spaces[0];
  const golden: Record<string, unknown> = {};

  test.each(listCaptures())('flowsDocument(%s) names object and code spaces and renders every object key', async (rel) => {
    const store = await ingestToTempStore([capturePath(rel)], { workers: 1 });
    const doc = flowsDocument(store.reader.flows(), { mainSpace: main, meta: flowsMeta(store.reader) });
    store.dispose();
    const flows = doc.flows as FlowJson[];
    golden[rel] = flows
      .filter((f) => f.functions.length > 0 || f.objects !== undefined || Object.keys(spacesOf(f, 'functions')).length > 0)
      .map((f) => ({
        flow: `${f.src} -> ${f.dst} ${f.transport}/${f.port} ${f.protocol}`,
        spaces: spacesOf(f, main(f.protocol) ?? 'functions'),
        objects: f.objects ?? [],
      }));
    for (const f of flows) {
      for (const o of (f.objects ?? []) as Array<{ space: string; key: string }>) {
        expect({ flow: f.src, o }).not.toEqual({ flow: f.src, o: { ...o, key: expect.stringMatching(/^\d+$/) } });
        expect(o.space).not.toMatch(/^(\d+|object-\d+)$/);
        if (registry.byId(f.protocol)) expect(registry.byId(f.protocol)!.spaces).not.toContain(o.space);
      }
      if (f.protocol === 's7comm') expect(f.functions.filter((fn) => fn.name.startsWith('COTP'))).toEqual([]);
      for (const list of [f.functions, ...Object.values(f).filter((v): v is FnJson[] => Array.isArray(v) && typeof (v[0] as FnJson | undefined)?.class === 'string')]) {
        for (const fn of list) if (fn.class === 'carrier') expect(Object.keys(f.operations)).not.toContain('carrier');
      }
    }
  });

  test('the objects and spaces of every capture equal test/report/golden/captureObjects.json', () => {
    const path = join(REPO_ROOT, 'test', 'report', 'golden', 'captureObjects.json');
    const text = canonicalJson(Object.fromEntries(Object.entries(golden).sort((a, b) => (a[0] < b[0] ? -1 : 1))));
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
    // Runs after every capture's test (tests of a file run in order); a failure names the capture.
    const want = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    for (const rel of Object.keys(want)) expect({ rel, flows: golden[rel] }).toEqual({ rel, flows: want[rel] });
    expect(Object.keys(golden).sort()).toEqual(Object.keys(want).sort());
  });
});
