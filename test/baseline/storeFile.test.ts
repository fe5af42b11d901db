/**
 * Opening a store: migrations (a v1 store written by the first release opens, is migrated in place
 * and gives the same flows as a fresh ingest), a newer store refused, foreign files left untouched.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Baseline, BaselineError } from '../../src/baseline/baseline.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { MIGRATIONS } from '../../src/baseline/migrations/index.js';
import { BaselineReader, type FlowRecord } from '../../src/baseline/reader.js';
import { SCHEMA_VERSION } from '../../src/baseline/schema.js';
import { prepareForWriting } from '../../src/baseline/storeFile.js';
import { capturePath, REPO_ROOT } from '../util/captures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-storefile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const V1_STORE = join(REPO_ROOT, 'fixtures', 'stores', 'v1-refinery-unit3.db');
/** The inputs the v1 store was made from (fixtures/stores/README.md). */
const V1_INPUTS = [
  join(REPO_ROOT, 'fixtures', 'refinery-unit3'),
  capturePath('enip/cisagov_enip_cip_example.pcap'),
  capturePath('modbus/cisagov_modbus_example.pcap'),
];

function copyOf(src: string, name: string): string {
  const p = join(tmp, name);
  copyFileSync(src, p);
  return p;
}

function meta(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]));
  } finally {
    db.close();
  }
}

/** What the issue compares: flow keys with their packets, bytes and connections. */
function flowTotals(flows: FlowRecord[]): string[] {
  return flows.map(
    (f) =>
      `${f.src} ${f.dst} ${f.transport}/${f.port} ${f.protocol}: packets ${f.packetsToResponder}/${f.packetsToInitiator} bytes ${f.bytesToResponder}/${f.bytesToInitiator} connections ${f.connections}`,
  );
}

function readFlows(path: string): FlowRecord[] {
  const r = BaselineReader.open(path);
  try {
    return r.flows();
  } finally {
    r.close();
  }
}

describe('MIGRATIONS', () => {
  // Steps are numbered in parallel branches (003-005 land beside 006): strictly increasing from 1.
  test('MIGRATIONS are numbered from 1, strictly increasing, and SCHEMA_VERSION is the last one', () => {
    const v = MIGRATIONS.map((m) => m.version);
    expect(v[0]).toBe(1);
    for (let i = 1; i < v.length; i++) expect(v[i]!).toBeGreaterThan(v[i - 1]!);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
  });
});

describe('Baseline.open on stores of other schema versions', () => {
  let fresh: string[];
  beforeAll(async () => {
    const path = join(tmp, 'fresh.db');
    const b = Baseline.open(path);
    try {
      await ingestCaptures(b, V1_INPUTS, {});
    } finally {
      b.close();
    }
    fresh = flowTotals(readFlows(path));
  });

  test('Baseline.open(a new file) applies every step and records the schema version', () => {
    const path = join(tmp, 'new.db');
    Baseline.open(path).close();
    expect(meta(path)).toEqual({ schema_version: String(SCHEMA_VERSION), created_by: 'zonescope' });
  });

  test('Baseline.open(the v1 store of the first release) migrates it and keeps its flows', () => {
    expect(meta(V1_STORE).schema_version).toBe('1');
    const path = copyOf(V1_STORE, 'v1-write.db');
    Baseline.open(path).close();
    expect(meta(path).schema_version).toBe(String(SCHEMA_VERSION));
    const migrated = flowTotals(readFlows(path));
    expect(migrated.length).toBe(82);
    expect(migrated).toEqual(fresh);
  });

  test('ingestCaptures(the same captures) into the migrated v1 store skips every file and changes no flow', async () => {
    const path = copyOf(V1_STORE, 'v1-reingest.db');
    const b = Baseline.open(path);
    try {
      const r = await ingestCaptures(b, V1_INPUTS, {});
      expect(r.files.map((f) => f.status)).toEqual(r.files.map(() => 'skipped'));
      expect(r.files).toHaveLength(30);
    } finally {
      b.close();
    }
    expect(flowTotals(readFlows(path))).toEqual(fresh);
  });

  test('Baseline.open(the v1 store) adds the capture_points table (step 6): its capture points read empty', () => {
    const path = copyOf(V1_STORE, 'v1-points.db');
    Baseline.open(path).close();
    const r = BaselineReader.open(path);
    try {
      expect(r.capturePoints()).toEqual([]);
      expect(r.captures().length).toBeGreaterThan(0);
    } finally {
      r.close();
    }
  });

  test('BaselineReader.open(the v1 store) migrates it through a writable open first', () => {
    const path = copyOf(V1_STORE, 'v1-read.db');
    expect(flowTotals(readFlows(path))).toEqual(fresh);
    expect(meta(path).schema_version).toBe(String(SCHEMA_VERSION));
  });

  test('prepareForWriting(the v1 store, with a further step) applies only the missing step and records its version', () => {
    const path = copyOf(V1_STORE, 'v1-step.db');
    const applied: number[] = [];
    const steps = [
      ...MIGRATIONS.map((m) => ({ ...m, up: (db: Database.Database) => { applied.push(m.version); m.up(db); } })),
      { version: SCHEMA_VERSION + 1, describe: 'a further step', up(db: Database.Database) {
        applied.push(SCHEMA_VERSION + 1);
        db.exec('CREATE TABLE further (x INTEGER)');
      } },
    ];
    const w = new Database(path);
    try {
      expect(prepareForWriting(w, path, steps)).toBe(1);
      expect(w.prepare("SELECT name FROM sqlite_master WHERE name = 'further'").get()).toEqual({ name: 'further' });
    } finally {
      w.close();
    }
    expect(applied).toEqual(MIGRATIONS.filter((m) => m.version > 1).map((m) => m.version).concat([SCHEMA_VERSION + 1]));
    expect(meta(path).schema_version).toBe(String(SCHEMA_VERSION + 1));
  });

  test('prepareForWriting(a store whose migration fails) leaves it at its old version (one transaction)', () => {
    const path = copyOf(V1_STORE, 'v1-fail.db');
    const failing = { version: SCHEMA_VERSION + 1, describe: 'a step that fails half-way', up(db: Database.Database) {
      db.exec('CREATE TABLE half_done (x INTEGER)');
      throw new Error('disk on fire');
    } };
    const w = new Database(path);
    try {
      expect(() => prepareForWriting(w, path, [...MIGRATIONS, failing])).toThrow(/disk on fire/);
    } finally {
      w.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    } finally {
      db.close();
    }
    expect(meta(path).schema_version).toBe('1');
  });

  test('Baseline.open(a store of a newer schema) is refused with the version it needs, untouched', () => {
    const path = join(tmp, 'newer.db');
    Baseline.open(path).close();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 7));
    db.close();
    for (const open of [() => Baseline.open(path), () => BaselineReader.open(path)]) {
      let err: unknown;
      try {
        open();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BaselineError);
      expect((err as BaselineError).code).toBe('BASELINE_SCHEMA_VERSION');
      expect((err as BaselineError).message).toContain(`schema version ${SCHEMA_VERSION + 7}`);
      expect((err as BaselineError).message).toContain(`up to ${SCHEMA_VERSION}`);
    }
    expect(meta(path).schema_version).toBe(String(SCHEMA_VERSION + 7));
  });
});

describe('Baseline.open on files that are not zonescope stores', () => {
  const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

  /** A file of another application: its tables and rows, given as the store. */
  function foreignDb(name: string, build: (db: Database.Database) => void): string {
    const path = join(tmp, name);
    const db = new Database(path);
    build(db);
    db.close();
    return path;
  }

  const foreign: Array<[string, () => string]> = [
    ['another application\'s SQLite database', () => foreignDb('historian.db', (db) => {
      db.exec("CREATE TABLE tags (name TEXT PRIMARY KEY, value REAL); INSERT INTO tags VALUES ('FIC101.PV', 42.5)");
    })],
    ['an SQLite database with a meta table of its own', () => foreignDb('other-meta.db', (db) => {
      db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('schema_version', '1')");
    })],
    ['an SQLite database with a table named like a zonescope one', () => foreignDb('clash.db', (db) => {
      db.exec('CREATE TABLE flows (a INTEGER)');
    })],
    ['a capture file given as the store', () => copyOf(capturePath('modbus/cisagov_modbus_example.pcap'), 'capture-as-db.db')],
    ['a text file', () => {
      const p = join(tmp, 'notes.db');
      writeFileSync(p, 'zone 1: the SIS, never conduit it to the DMZ\n');
      return p;
    }],
  ];

  test.each(foreign)('Baseline.open(%s) is BASELINE_NOT_A_BASELINE and leaves the file as it was', (_what, make) => {
    const path = make();
    const before = sha(path);
    const siblings = readdirSync(tmp).filter((n) => n.startsWith(path.slice(tmp.length + 1)));
    for (const open of [() => Baseline.open(path), () => Baseline.open(path, { readonly: true }), () => BaselineReader.open(path)]) {
      let err: unknown;
      try {
        open().close();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BaselineError);
      expect((err as BaselineError).code).toBe('BASELINE_NOT_A_BASELINE');
      expect((err as BaselineError).message).toContain('left untouched');
    }
    expect(sha(path)).toBe(before);
    expect(readdirSync(tmp).filter((n) => n.startsWith(path.slice(tmp.length + 1)))).toEqual(siblings);
  });

  test('Baseline.open(an empty file) initialises it as a new store', () => {
    const path = join(tmp, 'empty.db');
    writeFileSync(path, '');
    Baseline.open(path).close();
    expect(meta(path)).toEqual({ schema_version: String(SCHEMA_VERSION), created_by: 'zonescope' });
  });

  test('BaselineReader.open(an empty file) is BASELINE_NOT_A_BASELINE and writes nothing', () => {
    const path = join(tmp, 'empty-read.db');
    writeFileSync(path, '');
    expect(() => BaselineReader.open(path)).toThrow(/not a zonescope baseline \(an empty database\)/);
    expect(readFileSync(path).length).toBe(0);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
