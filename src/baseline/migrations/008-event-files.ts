/**
 * Migration step 8: the file an engineering event's frame number refers to, when it is not its
 * capture's own path. A live interval (`zonescope capture`) is a capture with no file; with `--write`,
 * its packets are numbered as they stand in the evidence file they went to, and this column names that
 * file, so the event points at a frame Wireshark opens. NULL (every earlier row) means the capture's path.
 */
import type { Migration } from './index.js';

export const eventFiles: Migration = {
  version: 8,
  describe: "the evidence file an event's frame number refers to (events.file; NULL: the capture's own path)",
  up(db) {
    db.exec('ALTER TABLE events ADD COLUMN file TEXT');
  },
};
