/**
 * Opening a store file: recognise it, then bring its schema up to date. Nothing is written to a file
 * before it is recognised as a zonescope store (meta rows `created_by = zonescope` and a numeric
 * `schema_version`) or as an empty database (no schema object at all: a new or zero-length file);
 * anything else (another application's SQLite database, a capture given as --db) is refused untouched.
 *
 * Migration: a store of an older schema opened for writing is upgraded in place, every missing step of
 * src/baseline/migrations in ONE immediate transaction (all or nothing; a concurrent opener waits and then
 * finds it done). A read-only open of an older store first migrates it through a writable open; when the
 * file cannot be written it is refused with what to do. A store of a newer schema is refused with the
 * schema version it needs.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BaselineError } from './baselineError.js';
import { isNotADatabase, storageError } from './storageError.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { SCHEMA_VERSION } from './schema.js';

export type StoreKind =
  | { kind: 'empty' }
  | { kind: 'zonescope'; version: number }
  | { kind: 'foreign'; why: string };

/** What the open database is, reading only (never writes). */
export function inspectStore(db: Database.Database): StoreKind {
  let objects: Array<{ type: string; name: string }>;
  try {
    objects = db.prepare('SELECT type, name FROM sqlite_master').all() as Array<{ type: string; name: string }>;
  } catch (e) {
    // Only "not a database" says what the file is; anything else (locked, unreadable) is the caller's to report.
    if (isNotADatabase(e)) return { kind: 'foreign', why: `not an SQLite database (${(e as Error).message})` };
    throw e;
  }
  if (objects.length === 0) return { kind: 'empty' };
  if (!objects.some((o) => o.type === 'table' && o.name === 'meta')) return { kind: 'foreign', why: 'an SQLite database with no zonescope meta table' };
  let rows: Array<{ key: unknown; value: unknown }>;
  try {
    rows = db.prepare("SELECT key, value FROM meta WHERE key IN ('created_by', 'schema_version')").all() as Array<{ key: unknown; value: unknown }>;
  } catch {
    return { kind: 'foreign', why: 'an SQLite database whose meta table is not zonescope\'s' };
  }
  const meta = new Map(rows.map((r) => [String(r.key), String(r.value)]));
  const version = Number(meta.get('schema_version'));
  if (meta.get('created_by') !== 'zonescope' || !Number.isInteger(version) || version < 1) {
    return { kind: 'foreign', why: 'an SQLite database whose meta rows are not a zonescope store\'s' };
  }
  return { kind: 'zonescope', version };
}

function notABaseline(path: string, why: string): BaselineError {
  return new BaselineError(
    'BASELINE_NOT_A_BASELINE',
    `${path} is not a zonescope baseline (${why}); it was left untouched: name a new file or an existing zonescope store`,
  );
}

function tooNew(path: string, version: number, reads = SCHEMA_VERSION): BaselineError {
  return new BaselineError(
    'BASELINE_SCHEMA_VERSION',
    `baseline ${path} has schema version ${version}, written by a newer zonescope; this zonescope reads schema versions up to ${reads}: use a zonescope release that reads schema version ${version} (the store was left untouched)`,
  );
}

/**
 * Check that `db` (opened writable on `path`) is an empty database or a zonescope store no newer than
 * this one, and apply the missing migration steps in one transaction. Returns the version it was at
 * (0 for a new store). `steps` are MIGRATIONS (tests add a failing one).
 */
export function prepareForWriting(db: Database.Database, path: string, steps: readonly Migration[] = MIGRATIONS): number {
  const target = steps[steps.length - 1]!.version;
  const found = inspectStore(db);
  if (found.kind === 'foreign') throw notABaseline(path, found.why);
  if (found.kind === 'zonescope' && found.version > target) throw tooNew(path, found.version, target);
  if (found.kind === 'zonescope' && found.version === target) return target;
  // journal mode cannot change inside a transaction; the file is known to be ours (or empty) by now
  db.pragma('journal_mode = WAL');
  return db
    .transaction((): number => {
      const now = inspectStore(db); // again under the write lock: another process may have migrated it meanwhile
      if (now.kind === 'foreign') throw notABaseline(path, now.why);
      const from = now.kind === 'zonescope' ? now.version : 0;
      if (from > target) throw tooNew(path, from, target);
      for (const step of steps) if (step.version > from) step.up(db);
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(target));
      db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('created_by', 'zonescope')").run();
      return from;
    })
    .immediate();
}

/** Check that `db` (opened read-only on `path`) is a zonescope store; returns its schema version. */
export function checkForReading(db: Database.Database, path: string): number {
  const found = inspectStore(db);
  if (found.kind === 'empty') throw notABaseline(path, 'an empty database');
  if (found.kind === 'foreign') throw notABaseline(path, found.why);
  if (found.version > SCHEMA_VERSION) throw tooNew(path, found.version);
  return found.version;
}

/** The message for an older store that a read-only open could not migrate. */
export function needsMigrating(path: string, version: number, why: string): BaselineError {
  return new BaselineError(
    'BASELINE_SCHEMA_VERSION',
    `baseline ${path} has schema version ${version} and needs migrating to version ${SCHEMA_VERSION}, which needs write access (${why}): make the file and its folder writable once (or copy it somewhere writable) and run the command again`,
  );
}

/**
 * Open `path` read-only as a zonescope store of the current schema. An older store is migrated first
 * through one writable open; when that cannot write, it is refused with what to do.
 */
export function openForReading(path: string): Database.Database {
  const db = openReadOnly(path);
  let version: number;
  try {
    version = checkForReading(db, path);
  } catch (e) {
    db.close();
    throw readFailure(e, path);
  }
  if (version === SCHEMA_VERSION) return db;
  db.close();
  try {
    const w = new Database(path, { fileMustExist: true });
    try {
      prepareForWriting(w, path);
    } finally {
      w.close();
    }
  } catch (e) {
    if (e instanceof BaselineError) throw e;
    throw needsMigrating(path, version, (e as Error).message);
  }
  return openReadOnly(path);
}

/** A store in write-ahead-log mode can be read only where SQLite may create its -shm file beside it. */
function readFailure(e: unknown, path: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY_CANTINIT') {
    return new BaselineError(
      'BASELINE_READ_ONLY',
      `baseline ${path}: reading it needs ${path}-shm beside it (the store was left in write-ahead-log mode, e.g. by an ingest that was killed) and its folder cannot be written (${(e as Error).message}): make the folder writable once and open the store again (a clean close leaves it readable from a read-only folder), or copy the store somewhere writable`,
    );
  }
  return storageError(e, path, 'reading it');
}

function openReadOnly(path: string): Database.Database {
  try {
    // Read-write with query_only where the file allows it: a read-only connection that is the last to
    // close cannot remove the store's -wal and -shm files, so every `zonescope flows` left them behind.
    try {
      const db = new Database(path, { fileMustExist: true });
      db.pragma('query_only = ON');
      return db;
    } catch (e) {
      if (!existsSync(path)) throw e;
    }
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    const err = storageError(e, path, 'opening it');
    if (err instanceof BaselineError) throw err;
    throw new BaselineError('BASELINE_MISSING', `cannot open baseline ${path}: ${(e as Error).message}`);
  }
}
