/**
 * `zonescope ingest` through the real binary: the same capture gzipped, gunzipped or renamed is
 * skipped (content identity), also in a store written by an earlier release and migrated.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
    expect(zonescope(['ingest', join(dir, 'a.pcap'), '--db', once, '-q']).status).toBe(0);
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

  test('zonescope ingest --reprocess --decode-as (after a --decode-as change) gives the baseline of a fresh ingest with that option', () => {
    const dir = join(tmp, 'reprocess-caps');
    mkdirSync(dir);
    for (const f of demoFiles) copyFileSync(f, join(dir, basename(f)));
    const db = join(tmp, 'reprocess.db');
    expect(zonescope(['ingest', dir, '--db', db, '-q']).status).toBe(0);
    const before = flowsJson(db);
    // The new option on a plain ingest: nothing is read again, and the summary says what to run.
    const hint = zonescope(['ingest', dir, '--db', db, '--decode-as', 'tcp:5450=modbus']);
    expect(hint.status).toBe(0);
    expect(hint.stderr).toContain(`decode options: ${demoFiles.length} captures in the baseline were decoded with other decode options than this run's (--decode-as tcp:5450=modbus)`);
    expect(hint.stderr).toContain(`run zonescope ingest --reprocess --decode-as tcp:5450=modbus --db ${db}`);
    const r = zonescope(['ingest', '--reprocess', '--decode-as', 'tcp:5450=modbus', '--db', db]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`reprocessed: ${demoFiles.length} captures of ${demoFiles.length} had other decode options than --decode-as tcp:5450=modbus`);
    expect(r.stderr).toMatch(/^ {2}\d+ new flows?, 0 new hosts, 0 new protocols, \d+ flows? of the store before gone$/m);
    const fresh = join(tmp, 'fresh-modbus.db');
    expect(zonescope(['ingest', dir, '--db', fresh, '-q', '--decode-as', 'tcp:5450=modbus']).status).toBe(0);
    const after = flowsJson(db);
    expect(after).not.toBe(before);
    expect(after).toBe(flowsJson(fresh));
    const assets = (x: string): string => zonescope(['assets', '--db', x, '--json', '-']).stdout;
    expect(assets(db)).toBe(assets(fresh));
    const again = zonescope(['ingest', '--reprocess', '--decode-as', 'tcp:5450=modbus', '--db', db]);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('nothing to reprocess');
    expect(flowsJson(db)).toBe(after);
  });

  test('zonescope ingest --reprocess (a capture gone and one from standard input) exits 2 naming them, the store untouched', () => {
    const dir = join(tmp, 'refuse-caps');
    mkdirSync(dir);
    const gone = join(dir, 'gone.pcap');
    copyFileSync(capturePath('modbus/zeek_modbusSmall.pcap'), gone);
    copyFileSync(capturePath('bacnet/cisagov_bacnet_example.pcap'), join(dir, 'kept.pcap'));
    const db = join(tmp, 'refuse.db');
    expect(zonescope(['ingest', dir, '--db', db, '-q']).status).toBe(0);
    const piped = zonescope(['ingest', '-', '--db', db, '-q'], { input: readFileSync(capturePath('enip/cisagov_enip_cip_example.pcap')) });
    expect(piped.status).toBe(0);
    rmSync(gone);
    const before = flowsJson(db);
    const r = zonescope(['ingest', '--reprocess', '--decode-as', 'tcp:48010=opcua', '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`cannot reprocess ${db}: 2 of its 3 captures cannot be read again as they were ingested`);
    expect(r.stderr).toContain(`${gone} (no such file`);
    expect(r.stderr).toContain('(read from standard input: its packets were not kept in a file)');
    expect(r.stderr).toContain('the store was left untouched');
    expect(flowsJson(db)).toBe(before);
  });

  test('zonescope ingest (a BACnet capture into a Modbus store) says how many flows and hosts are new, and the new protocol', () => {
    const db = join(tmp, 'news.db');
    expect(zonescope(['ingest', capturePath('modbus/zeek_modbusSmall.pcap'), '--db', db, '-q']).status).toBe(0);
    type Doc = { flows: Array<{ src: string; dst: string; transport: string; port: number; protocol: string }> };
    const doc = (): Doc => JSON.parse(flowsJson(db)) as Doc;
    const before = doc().flows;
    const r = zonescope(['ingest', capturePath('bacnet/cisagov_bacnet_example.pcap'), '--db', db]);
    expect(r.status).toBe(0);
    const after = doc().flows;
    const key = (f: Doc['flows'][number]): string => `${f.src}|${f.dst}|${f.transport}|${f.port}|${f.protocol}`;
    const newFlows = after.filter((f) => !before.some((b) => key(b) === key(f))).length;
    const hostsOf = (fs: Doc['flows']): Set<string> => new Set(fs.flatMap((f) => [f.src, f.dst]));
    const oldHosts = hostsOf(before);
    const newHosts = [...hostsOf(after)].filter((h) => !oldHosts.has(h)).length;
    expect(newFlows).toBeGreaterThan(0);
    const line = r.stderr.split('\n').find((l) => /new flows?,/.test(l));
    expect(line).toMatch(new RegExp(`^  ${newFlows} new flows?, ${newHosts} new hosts?( \\(.*\\))?, 1 new protocol \\(bacnet\\)$`));
  });

  test('zonescope ingest (no input and no --reprocess; --reprocess of no store) exits 2 saying what to do, creating no store', () => {
    const r = zonescope(['ingest', '--db', join(tmp, 'none.db')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('ingest needs at least one input (a capture file, folder or glob, or - for standard input), or --reprocess');
    expect(r.stderr).toMatch(/--reprocess +decode every capture of the store again/);
    const missing = join(tmp, 'no-such.db');
    const m = zonescope(['ingest', '--reprocess', '--db', missing]);
    expect(m.status).toBe(2);
    expect(m.stderr).toBe(`zonescope: cannot reprocess ${missing}: there is no such store; ingest captures into it first (zonescope ingest CAPTURES --db ${missing})\n`);
    expect(existsSync(missing)).toBe(false);
  });
});
