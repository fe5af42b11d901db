/**
 * Migration step 7: what the capture's snap length cut off, per capture and protocol (issue 13,
 * finding 7): TCP segments and UDP datagrams whose payload was cut (their PDUs not analysed), the
 * bytes lost with them, and the longest captured frame among the cut ones (what the snap length left).
 * A store migrated from an older version counts 0 for what it held before.
 */
import type { Migration } from './index.js';

export const snaplenLoss: Migration = {
  version: 7,
  describe: 'payload cut by the snap length, per capture and protocol (protocol_stats.snap_*)',
  up(db) {
    db.exec(`
ALTER TABLE protocol_stats ADD COLUMN snap_cut_segments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE protocol_stats ADD COLUMN snap_lost_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE protocol_stats ADD COLUMN snap_caplen INTEGER NOT NULL DEFAULT 0;
`);
  },
};
