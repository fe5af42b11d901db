/**
 * Hold a store's write lock from another process: node test/util/holdLock.ts STORE MILLISECONDS
 * (run with --import tsx). Prints "locked" once it holds the lock, releases it after MILLISECONDS.
 */
import Database from 'better-sqlite3';

const [store, ms] = process.argv.slice(2) as [string, string];
const db = new Database(store);
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
}, Number(ms));
