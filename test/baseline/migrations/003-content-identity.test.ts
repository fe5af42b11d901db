/** Migration 3 on the store of the first release: content_id backfilled for uncompressed captures only. */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Baseline } from '../../../src/baseline/baseline.js';
import { REPO_ROOT } from '../../util/captures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-m003-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('contentIdentity migration (v1 store) sets content_id = fingerprint for uncompressed captures, NULL for gzip ones, and no decode_options', () => {
  const path = join(tmp, 'v1.db');
  copyFileSync(join(REPO_ROOT, 'fixtures', 'stores', 'v1-refinery-unit3.db'), path);
  Baseline.open(path).close();
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT fingerprint, compression, content_id, decode_options FROM captures ORDER BY id').all() as Array<Record<string, string | null>>;
    expect(rows).toHaveLength(30);
    const plain = rows.filter((r) => r.compression === 'none');
    expect(plain.length).toBeGreaterThan(0);
    for (const r of plain) expect(r.content_id).toBe(r.fingerprint);
    for (const r of rows.filter((x) => x.compression === 'gzip')) expect(r.content_id).toBeNull();
    expect(rows.every((r) => r.decode_options === null)).toBe(true);
    const index = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'captures' AND sql LIKE '%content_id%'").all();
    expect(index).toHaveLength(1);
  } finally {
    db.close();
  }
});
