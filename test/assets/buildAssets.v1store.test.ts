/**
 * A store written by an earlier release (fixtures/stores/v1-refinery-unit3.db, schema version 1, before
 * the name decoders existed) opens and gives its assets: the assets stage adds nothing to the schema
 * (the name facts live in the identities table), so the store is read as it stands.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaselineReader } from '../../src/baseline/reader.js';
import { buildAssets } from '../../src/assets/buildAssets.js';
import { REPO_ROOT } from '../util/captures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-assets-v1-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('buildAssets(v1 store of an earlier release) opens it and levels the demo hosts as the ground truth says', () => {
  const path = join(tmp, 'v1.db');
  copyFileSync(join(REPO_ROOT, 'fixtures', 'stores', 'v1-refinery-unit3.db'), path);
  const reader = BaselineReader.open(path);
  const set = buildAssets(reader);
  reader.close();
  const gt = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'refinery-unit3', 'ground-truth.json'), 'utf8')) as { assets: Array<{ ip: string; purdue_level: number }> };
  const right = gt.assets.filter((g) => set.assets.find((a) => a.ip === g.ip)?.purdueLevel === g.purdue_level).length;
  expect(right / gt.assets.length).toBeGreaterThanOrEqual(0.9);
  // The two real captures in it add their hosts, the ENIP adapter with its product name among them.
  expect(set.assets.find((a) => a.ip === '10.1.1.164')?.product).toBe('1756-ENBT/A');
});
