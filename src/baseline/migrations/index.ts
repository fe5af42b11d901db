/**
 * Schema migrations: numbered steps, applied in order inside one transaction when a store of an
 * older version is opened for writing. Step 1 is the v1 schema of the first release (schema.ts).
 * Add a step as a file `NNN-what.ts` exporting a Migration, and list it here; never edit a released step.
 */
import type Database from 'better-sqlite3';
import { functionDays } from './002-function-days.js';

export interface Migration {
  /** the schema version after this step */
  version: number;
  describe: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: Migration[] = [functionDays];
