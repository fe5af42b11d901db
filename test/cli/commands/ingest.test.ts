/**
 * `zonescope ingest` through the real binary: the same capture gzipped, gunzipped or renamed is
 * skipped (content identity), also in a store written by an earlier release and migrated.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { REPO_ROOT, capturePath } from '../../util/captures.js';
import { zonescope } from '../../util/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-ingest-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DEMO = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
const demoFiles = readdirSync(DEMO).filter((n) => /\.pcap(ng)?(\.gz)?$/.test(n)).sort().map((n) => join(DEMO, n));

/** Every demo capture and `extra` in another form: gzip ones gunzipped, plain ones gzipped, all renamed. */
function otherForms(dir: string, files: string[]): string {
  mkdirSync(dir, { recursive: true });
  files.forEach((f, i) => {
    const bytes = readFileSync(f);
    if (f.endsWith('.gz')) writeFileSync(join(dir, `copy-${i}.pcapng`), gunzipSync(bytes));
    else writeFileSync(join(dir, `copy-${i}.cap.gz`), gzipSync(bytes, { level: 1 }));
  });
  // One gzip capture gzipped again at another level, and one plain one copied under a new name.
  const gz = files.find((f) => f.endsWith('.gz'))!;
  writeFileSync(join(dir, 'regzipped.pcapng.gz'), gzipSync(gunzipSync(readFileSync(gz)), { level: 9 }));
  const plain = files.find((f) => !f.endsWith('.gz'))!;
  copyFileSync(plain, join(dir, `renamed-${basename(plain)}`));
  return dir;
}

function flowsJson(db: string): string {
  const r = zonescope(['flows', '--db', db, '--json', '-']);
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('zonescope ingest', () => {
  test('zonescope ingest (the demo, then the same captures gzipped, gunzipped and renamed) changes nothing in the baseline', () => {
    const db = join(tmp, 'fresh.db');
    expect(zonescope(['ingest', DEMO, '--db', db, '-q']).status).toBe(0);
    const before = flowsJson(db);
    const forms = otherForms(join(tmp, 'forms'), demoFiles);
    const r = zonescope(['ingest', forms, '--db', db]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${demoFiles.length + 2} files (0 ingested, ${demoFiles.length + 2} skipped)`);
    expect(flowsJson(db)).toBe(before);
  });

  test('zonescope ingest (two forms of one new capture in one run) ingests it once', () => {
    const db = join(tmp, 'twice.db');
    const dir = join(tmp, 'twins');
    mkdirSync(dir);
    const plain = capturePath('modbus/cisagov_modbus_example.pcap');
    copyFileSync(plain, join(dir, 'a.pcap'));
    writeFileSync(join(dir, 'b.pcap.gz'), gzipSync(readFileSync(plain)));
    const r = zonescope(['ingest', dir, '--db', db, '--verbose']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('2 files (1 ingested, 1 skipped)');
    expect(r.stderr).toMatch(/skipped: .*b\.pcap\.gz: same content as another input of this run \(as .*a\.pcap\)/);
    const once = join(tmp, 'once.db');
    expect(zonescope(['ingest', plain, '--db', once, '-q']).status).toBe(0);
    expect(flowsJson(db)).toBe(flowsJson(once));
  });

  test('zonescope ingest (a store of schema 1, then its captures gzipped, gunzipped and renamed) changes nothing in the migrated baseline', () => {
    const db = join(tmp, 'v1.db');
    copyFileSync(join(REPO_ROOT, 'fixtures', 'stores', 'v1-refinery-unit3.db'), db);
    const before = flowsJson(db); // migrated on this first open
    // The v1 store holds the demo and these two real captures, recorded by paths relative to the repository.
    const real = [capturePath('enip/cisagov_enip_cip_example.pcap'), capturePath('modbus/cisagov_modbus_example.pcap')];
    const forms = otherForms(join(tmp, 'v1-forms'), [...demoFiles, ...real]);
    const r = zonescope(['ingest', forms, '--db', db], { cwd: REPO_ROOT });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${demoFiles.length + real.length + 2} files (0 ingested, ${demoFiles.length + real.length + 2} skipped)`);
    expect(flowsJson(db)).toBe(before);
    // Learnt once: a second run reads no recorded path again and still skips everything.
    const again = zonescope(['ingest', forms, '--db', db], { cwd: REPO_ROOT });
    expect(again.stderr).toContain('(0 ingested,');
    expect(flowsJson(db)).toBe(before);
  });
});
