/**
 * Golden test: the demo plant's flows document equals the committed reports/demo/flows.json byte for
 * byte (canonical JSON, UTC times). UPDATE_GOLDEN=1 rewrites it; review the diff like code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { flowsMeta } from '../../src/cli/readFlowsDocument.js';
import { flowsDocument } from '../../src/report/flowsDocument.js';
import { canonicalJson, isoTime } from '../../src/report/json.js';
import { REPO_ROOT } from '../util/captures.js';
import { ingestToTempStore } from '../util/tempStore.js';

describe('flows@2 golden', () => {
  test('flowsDocument(the demo plant) equals reports/demo/flows.json', async () => {
    // As the quick start ingests it: events name their capture by the path given (relative to the repository).
    const store = await ingestToTempStore([relative(process.cwd(), join(REPO_ROOT, 'fixtures', 'refinery-unit3')) || '.'], { workers: 1 });
    const registry = createRegistry(defaultDissectors);
    const text = canonicalJson(
      flowsDocument(store.reader.flows(), { mainSpace: (p) => registry.byId(p)?.spaces[0], meta: flowsMeta(store.reader), scans: store.reader.scans(), events: store.reader.events(),
        capturePoints: store.reader.capturePoints() }),
    );
    store.dispose();
    const golden = join(REPO_ROOT, 'reports', 'demo', 'flows.json');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  test('isoTime(seconds) is UTC with microseconds, rounding carries into the second', () => {
    expect(isoTime(1_767_600_000)).toBe('2026-01-05T08:00:00Z');
    expect(isoTime(1_767_600_000.123457)).toBe('2026-01-05T08:00:00.123457Z');
    expect(isoTime(1_767_600_000.9999996)).toBe('2026-01-05T08:00:01Z');
  });
});
