/**
 * Migration step 4: engineering events (docs/INTERFACES.md "Events JSON"), one table, rows per
 * capture file so that a capture's contribution can be told apart (and replaced when it is decoded
 * again). `program` / `control` rows are one per request (count 1, more past the per-connection limit
 * of src/flows/eventDelta.ts); `write` / `diagnostic` rows are the first request of their (src, dst,
 * protocol, space, code, variant) IN THAT CAPTURE, with the count of that capture's requests: the
 * reader takes the earliest row over all captures as the first and adds the counts, so "first" holds
 * whatever order captures are ingested in. `event_captures` lists the captures whose events were
 * recorded: those ingested before this step have none (the reader says how many).
 */
import type { Migration } from './index.js';

export const events: Migration = {
  version: 4,
  describe: 'engineering events (program/control requests, the first write and diagnostic request of each code per host pair)',
  up(db) {
    db.exec(`
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  capture_id INTEGER NOT NULL REFERENCES captures(id),
  kind TEXT NOT NULL,                 -- program | control | write | diagnostic
  src TEXT NOT NULL,                  -- the flow's initiator
  dst TEXT NOT NULL,                  -- the flow's responder
  transport TEXT NOT NULL,
  port INTEGER NOT NULL,
  protocol TEXT NOT NULL,
  space TEXT NOT NULL,                -- the dissector's code space name
  code INTEGER NOT NULL,
  variant INTEGER NOT NULL,
  name TEXT NOT NULL,
  object TEXT NOT NULL,               -- rendered object/range the request named ('' when none)
  ts REAL NOT NULL,                   -- UTC seconds since the epoch
  frame INTEGER NOT NULL,             -- frame number in the capture file, as tshark numbers it
  count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (ts);
CREATE INDEX IF NOT EXISTS events_by_key ON events (src, dst, protocol, space, code, variant, ts);
CREATE INDEX IF NOT EXISTS events_by_capture ON events (capture_id);
CREATE TABLE IF NOT EXISTS event_captures (
  capture_id INTEGER PRIMARY KEY REFERENCES captures(id)
);
`);
  },
};
