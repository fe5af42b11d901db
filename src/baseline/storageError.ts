/**
 * SQLite's storage and environment failures as BaselineErrors that say what happened and what to do
 * (the CLI prints them as one line and exits 2), instead of internal errors with a stack trace.
 * Every write is one transaction, so after any of them the store is as it was before that write.
 */
import { BaselineError } from './baselineError.js';

/** better-sqlite3's SqliteError carries SQLite's extended result code name (SQLITE_FULL, SQLITE_BUSY_SNAPSHOT ...). */
function sqliteCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

export function isBusy(e: unknown): boolean {
  const c = sqliteCode(e);
  return c !== null && (c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED'));
}

export function isNotADatabase(e: unknown): boolean {
  return sqliteCode(e) === 'SQLITE_NOTADB';
}

/**
 * The BaselineError for a failure of SQLite on the store at `path` while `doing` (e.g. "adding
 * plant-07.pcapng"), or `e` itself when it is not one (a bug stays an internal error).
 */
export function storageError(e: unknown, path: string, doing: string): unknown {
  if (e instanceof BaselineError) return e;
  const code = sqliteCode(e);
  if (code === null) return e;
  const detail = (e as Error).message;
  const at = `baseline ${path}: ${doing}`;
  if (code.startsWith('SQLITE_FULL')) {
    return new BaselineError('BASELINE_FULL', `${at}: the disk is full (${detail}): nothing of it was written and everything committed before is kept; free space (or name a store on a disk with room, --db) and run again to resume`);
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new BaselineError('BASELINE_READ_ONLY', `${at}: the store cannot be written (${detail}): make the file and its folder writable by this user, or name another store with --db; the store was left as it was`);
  }
  if (isBusy(e)) {
    return new BaselineError('BASELINE_BUSY', `${at}: another process holds the store's lock (${detail}): let it finish (another zonescope ingest?) and run again; the store was left as it was`);
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) {
    return new BaselineError('BASELINE_UNREADABLE', `${at}: the store cannot be opened (${detail}): check that its folder exists and that this user may read and write there`);
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new BaselineError('BASELINE_UNREADABLE', `${at}: the store is damaged (${detail}): restore it from a copy, or ingest the captures again into a new store`);
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new BaselineError('BASELINE_UNREADABLE', `${at}: the disk failed to read or write (${detail}): check the disk and run again; the store was left as it was`);
  }
  return e;
}
