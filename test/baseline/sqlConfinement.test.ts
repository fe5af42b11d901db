/**
 * The store is read and written only in src/baseline (STYLE.md): no other folder of src/ holds SQL or
 * opens SQLite.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../util/captures.js';

const SRC = join(REPO_ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|js|mjs|cjs)$/.test(n) ? [p] : [];
  });
}

/** SQL statements (upper-case keywords as SQL is written here) and SQLite access. */
const SQL = [
  /\bSELECT\s+(\*|DISTINCT\b|count\(|sum\(|[a-z_]+(\.[a-z_]+)?\s*(,|\bFROM\b|\bAS\b))/,
  /\bINSERT\s+(OR\s+[A-Z]+\s+)?INTO\b/,
  /\bCREATE\s+(TABLE|INDEX|UNIQUE\s+INDEX|VIEW|TRIGGER)\b/,
  /\bUPDATE\s+[a-z_]+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\b(DROP|ALTER)\s+TABLE\b/,
  /\bPRAGMA\s/,
  /\.(prepare|pragma)\(/,
  /\bON\s+CONFLICT\b/,
  /from\s+['"]better-sqlite3['"]|require\(['"]better-sqlite3['"]\)|['"]node:sqlite['"]/,
];

/**
 * Lines that mention SQL to the user rather than run it. The one there is: the ingest summary's hint
 * that every diagnostic can be read with the sqlite3 shell (the CLI should name a zonescope command).
 */
const HINTS = [/all are in the store: sqlite3 \$\{[\w.]+\} 'SELECT \* FROM diagnostics'/];

/** Each SQL-looking line of a file: "path:line: text". */
function sqlLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => (SQL.some((re) => re.test(line)) && !HINTS.some((re) => re.test(line)) ? [`${relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`] : []));
}

describe('SQL stays in src/baseline', () => {
  test('sqlLines(every file under src/ outside src/baseline) is empty', () => {
    const outside = sourceFiles(SRC).filter((f) => !relative(SRC, f).startsWith('baseline'));
    expect(outside.length).toBeGreaterThan(20);
    expect(outside.flatMap(sqlLines)).toEqual([]);
  });

  test('sqlLines(src/baseline) finds the store\'s SQL (the patterns match SQL as written here)', () => {
    const inside = sourceFiles(join(SRC, 'baseline')).flatMap(sqlLines).join('\n');
    expect(inside).toMatch(/SELECT \* FROM flows ORDER BY/);
    expect(inside).toMatch(/INSERT INTO captures \(/);
    expect(inside).toMatch(/CREATE TABLE IF NOT EXISTS flows \(/);
    expect(inside).toMatch(/ON CONFLICT \(\$\{keys.join/); // the upserts are written from the merge rules (upsertSql.ts)
    expect(inside).toMatch(/import Database from 'better-sqlite3'/);
    expect(inside).toMatch(/journal_mode = WAL/);
  });
});
