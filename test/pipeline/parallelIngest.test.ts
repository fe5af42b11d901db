/**
 * Parallel ingest (worker threads sharing the work by address pair) gives the same baseline as one
 * thread: the same flows, functions, hours, ranges, objects, identities and capture counters.
 */
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { workerScript } from '../../src/pipeline/fileProcessors.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { CAPTURES_DIR, REPO_ROOT } from '../util/captures.js';

async function snapshot(inputs: string[], workers: number): Promise<unknown> {
  const b = Baseline.open(':memory:');
  try {
    const r = await ingestCaptures(b, inputs, { workers });
    const reader = b.reader();
    const flows = reader.flows().map(({ id: _id, ...rest }) => rest);
    const captures = reader.captures().map((c) => [c.path, c.frames, c.ipPackets, c.bytes, c.firstSeen, c.lastSeen, c.errors, c.warnings]);
    const identities = reader.identities().map(({ capture: _c, frame: _f, ...rest }) => rest);
    const macs = reader.hostMacs();
    const stats = reader.protocolStats();
    const diags = [...r.diagnostics.counts].sort();
    return { flows, captures, identities, macs, stats, diags, failed: r.failed };
  } finally {
    b.close();
  }
}

describe('ingestCaptures with worker threads', () => {
  test('the compiled worker script exists (npm test builds before it runs)', () => {
    expect(workerScript()).not.toBeNull();
  });

  test('ingestCaptures(the demo plant, workers 2 and 3) equals workers 1', async () => {
    const demo = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
    const one = await snapshot([demo], 1);
    expect(await snapshot([demo], 2)).toEqual(one);
    expect(await snapshot([demo], 3)).toEqual(one);
  });

  test('ingestCaptures(every real capture, workers 2) equals workers 1 (IPv6, VLAN, SLL, loopback, damage)', async () => {
    const one = await snapshot([CAPTURES_DIR], 1);
    expect(await snapshot([CAPTURES_DIR], 2)).toEqual(one);
  });
});
