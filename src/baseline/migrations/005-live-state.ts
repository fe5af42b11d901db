/**
 * Migration step 5: the live state of the ingest (src/flows/liveState.ts), so that where a run stops
 * does not change the result: the connections still live at the last commit (5-tuple, initiator
 * decision and evidence, counted flag, times, close and answered flags, TCP stream positions, the
 * protocol chosen), the Forward Open originators, and the scan/flood counters. One row, replaced in
 * the same transaction as each capture's deltas; `data` is the v8.serialize() form of the plain data, deflated
 * (a state of another LIVE_STATE_VERSION is ignored: the next run starts with no live connections,
 * as every run did before this step). A store migrated from an older version starts with none.
 */
import type { Migration } from './index.js';

export const liveState: Migration = {
  version: 5,
  describe: 'live connections and scan/flood counters carried from run to run (live_state)',
  up(db) {
    db.exec(`
CREATE TABLE IF NOT EXISTS live_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  capture_id INTEGER REFERENCES captures(id),   -- the capture whose commit wrote it
  connections INTEGER NOT NULL,                 -- live connections it holds (for a look with sqlite3)
  data BLOB NOT NULL
);
`);
  },
};
