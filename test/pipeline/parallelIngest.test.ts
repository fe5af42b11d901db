/**
 * Parallel ingest (worker threads sharing the work by address pair) gives the same baseline as one
 * thread: the same flows, functions, hours, ranges, objects, identities and capture counters. The
 * workers run the TypeScript sources under test (through tsx), not the last build; a fallback to one
 * thread is a PIPELINE_WORKERS_UNAVAILABLE warning, never silent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { ShardedProcessor, workerLaunch, type WorkerLaunch } from '../../src/pipeline/fileProcessors.js';
import { fileSource } from '../../src/pipeline/fileSource.js';
import { ingestCaptures, ingestSources, type IngestResult } from '../../src/pipeline/ingestCaptures.js';
import type { CaptureSource, CaptureUnit } from '../../src/pipeline/source.js';
import { CAPTURES_DIR, REPO_ROOT } from '../util/captures.js';
import { writePlantBenchCapture } from '../../fixtures/generator/benchPlant.js';
import { flowsDocument } from '../../src/report/flowsDocument.js';
import { flowsMeta } from '../../src/cli/readFlowsDocument.js';
import { canonicalJson } from '../../src/report/json.js';

async function snapshot(inputs: string[], workers: number): Promise<unknown> {
  const b = Baseline.open(':memory:');
  try {
    const r = await ingestCaptures(b, inputs, { workers });
    const reader = b.reader();
    const flows = reader.flows().map(({ id: _id, ...rest }) => rest);
    // One UTC day's function counts (flow_function_days) too.
    const day = Math.floor((reader.overview().firstSeen ?? 0) / 86400) * 86400 + 86400;
    const dayFunctions = reader.flows({ since: day, until: day + 86399 }).map((f) => [f.src, f.dst, f.port, f.protocol, f.functions]);
    const captures = reader.captures().map((c) => [c.path, c.frames, c.ipPackets, c.bytes, c.firstSeen, c.lastSeen, c.errors, c.warnings]);
    const identities = reader.identities().map(({ capture: _c, frame: _f, ...rest }) => rest);
    const macs = reader.hostMacs();
    const stats = reader.protocolStats();
    const diags = [...r.diagnostics.counts].sort();
    return { flows, dayFunctions, captures, identities, macs, stats, diags, failed: r.failed };
  } finally {
    b.close();
  }
}

describe('ingestCaptures with worker threads', () => {
  test('workerLaunch() from the sources is ingestWorker.ts through tsx, and the workers run it', async () => {
    const launch = workerLaunch() as WorkerLaunch;
    expect(launch.script).toBe(join(REPO_ROOT, 'src', 'pipeline', 'ingestWorker.ts'));
    expect(launch.tsx).toMatch(/tsx\/dist\/esm\/api\/index\.mjs$/);
    // Three shards: shard 0 in this thread, shards 1 and 2 in workers.
    const p = await ShardedProcessor.start(launch, 3, {});
    try {
      expect(p.shards).toBe(3);
      expect(p.modules).toEqual([1, 2].map(() => `file://${REPO_ROOT}/src/pipeline/ingestWorker.ts`));
    } finally {
      await p.close();
    }
  });

  test('ShardedProcessor.start(a worker module that cannot load) rejects and leaves no worker running', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'zs-workers-'));
    try {
      const broken = join(tmp, 'broken.mjs');
      writeFileSync(broken, "import './does-not-exist.mjs';\n");
      await expect(ShardedProcessor.start({ script: broken, tsx: null }, 2, {})).rejects.toThrow(/does-not-exist/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('ingestCaptures(the demo plant, workers 2 and 3) equals workers 1', async () => {
    const demo = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
    const one = await snapshot([demo], 1);
    expect(await snapshot([demo], 2)).toEqual(one);
    expect(await snapshot([demo], 3)).toEqual(one);
  });

  test('ingestCaptures(a plant-shaped capture, workers 1, 2 and 3) gives byte-identical flow documents', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'zs-plant-'));
    try {
      const file = join(tmp, 'plant.pcap');
      writePlantBenchCapture(file, { bytes: 4e6, hosts: 64, seed: 7 });
      const registry = createRegistry(defaultDissectors);
      const doc = async (workers: number): Promise<string> => {
        const b = Baseline.open(':memory:');
        try {
          const r = await ingestCaptures(b, [file], { workers });
          expect(r.diagnostics.counts.has('PIPELINE_WORKERS_UNAVAILABLE')).toBe(false);
          const reader = b.reader();
          return canonicalJson(
            flowsDocument(reader.flows(), {
              mainSpace: (p) => registry.byId(p)?.spaces[0], meta: flowsMeta(reader), scans: reader.scans(), events: reader.events(), capturePoints: reader.capturePoints(),
            }),
          );
        } finally {
          b.close();
        }
      };
      const one = await doc(1);
      expect(one.length).toBeGreaterThan(10000);
      expect(await doc(2)).toBe(one);
      expect(await doc(3)).toBe(one);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('ingestCaptures(every real capture, workers 2) equals workers 1 (IPv6, VLAN, SLL, loopback, damage)', async () => {
    const one = await snapshot([CAPTURES_DIR], 1);
    expect(await snapshot([CAPTURES_DIR], 2)).toEqual(one);
  });

  test('ingestCaptures(the demo plant, workers 2) runs in the workers: no PIPELINE_WORKERS_UNAVAILABLE', async () => {
    const b = Baseline.open(':memory:');
    try {
      const r = await ingestCaptures(b, [join(REPO_ROOT, 'fixtures', 'refinery-unit3')], { workers: 2 });
      expect(r.diagnostics.counts.has('PIPELINE_WORKERS_UNAVAILABLE')).toBe(false);
    } finally {
      b.close();
    }
  });
});

describe('ingestCaptures falling back to one thread', () => {
  const demo = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
  const fallback = (r: IngestResult) => r.diagnostics.kept.filter((d) => d.code === 'PIPELINE_WORKERS_UNAVAILABLE');

  test('ingestCaptures(workers 2 with a custom registry) says it reads in one thread and why, and gives the same flows', async () => {
    const a = Baseline.open(':memory:');
    const b = Baseline.open(':memory:');
    try {
      await ingestCaptures(a, [demo], { workers: 1 });
      const r = await ingestCaptures(b, [demo], { workers: 2, registry: createRegistry(defaultDissectors) });
      expect(fallback(r)).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/2 worker threads were wanted.*custom dissector registry/) })]);
      expect(r.failed).toBe(false);
      expect(b.reader().flows()).toEqual(a.reader().flows());
    } finally {
      a.close();
      b.close();
    }
  });

  test('ingestSources(workers 3, a source that is not capture files) says it reads in one thread', async () => {
    const files = fileSource([demo]);
    const notFiles: CaptureSource = {
      plan: async (store) => {
        const p = await files.plan(store);
        return { ...p, files: false, units: [...(p.units as CaptureUnit[])].map((u): CaptureUnit => ({ ...u, file: undefined })) };
      },
    };
    const b = Baseline.open(':memory:');
    try {
      const r = await ingestSources(b, [notFiles], { workers: 3 });
      expect(fallback(r).map((d) => d.message)).toEqual([expect.stringMatching(/^3 worker threads were wanted.*not a capture file/)]);
      expect(r.files.every((f) => f.status === 'ingested')).toBe(true);
    } finally {
      b.close();
    }
  });

  test('ingestCaptures(workers 1) has no fallback to report', async () => {
    const b = Baseline.open(':memory:');
    try {
      expect(fallback(await ingestCaptures(b, [demo], { workers: 1, registry: createRegistry(defaultDissectors) }))).toEqual([]);
    } finally {
      b.close();
    }
  });
});
