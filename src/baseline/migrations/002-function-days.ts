/**
 * Migration step 2: function counts per UTC day (day = floor(unix seconds / 86400)), so that reads
 * windowed by time (docs/INTERFACES.md "Times") count the window's functions and operation classes,
 * not the whole baseline's. The rows of one (flow, space, code, variant) add up to its flow_functions
 * row. A store migrated from v1 has no day rows for what it held before: its functions are read whole.
 */
import type { Migration } from './index.js';

export const functionDays: Migration = {
  version: 2,
  describe: 'function counts per UTC day (flow_function_days)',
  up(db) {
    db.exec(`
CREATE TABLE IF NOT EXISTS flow_function_days (
  flow_id INTEGER NOT NULL REFERENCES flows(id),
  space TEXT NOT NULL,
  code INTEGER NOT NULL,
  variant INTEGER NOT NULL,
  day INTEGER NOT NULL,               -- floor(unix seconds / 86400), UTC
  requests INTEGER NOT NULL,
  responses INTEGER NOT NULL,
  exceptions INTEGER NOT NULL,
  PRIMARY KEY (flow_id, space, code, variant, day)
) WITHOUT ROWID;
`);
  },
};
