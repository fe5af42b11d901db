/**
 * Schema migrations: numbered steps, applied in order inside one transaction when a store of an
 * older version is opened for writing (a new store is every step applied). Step 1 is the v1 schema of
 * the first release. Add a step as a file `NNN-what.ts` exporting a Migration, and list it here in
 * order; never edit a released step. The store's schema version is the last step's version.
 */
import type Database from 'better-sqlite3';
import { v1Schema } from './001-v1-schema.js';
import { functionDays } from './002-function-days.js';
import { contentIdentity } from './003-content-identity.js';
import { events } from './004-events.js';
import { liveState } from './005-live-state.js';
import { snaplenLoss } from './006-snaplen-loss.js';
import { capturePoints } from './007-capture-points.js';
import { eventFiles } from './008-event-files.js';
import { dayHours } from './009-day-hours.js';

export interface Migration {
  /** the schema version after this step */
  version: number;
  describe: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: Migration[] = [v1Schema, functionDays, contentIdentity, events, liveState, snaplenLoss, capturePoints, eventFiles, dayHours];
