/**
 * Migration step 3: a capture's content identity and the decode options it was decoded with.
 * - `content_id`: the fingerprint formula over the capture's decompressed bytes (src/ingest/
 *   contentIdentity.ts), so a capture gzipped, gunzipped or renamed is the same capture. For an
 *   uncompressed capture it is the file fingerprint, backfilled here; a compressed capture of an
 *   older store is left NULL and filled the next time its file is seen (by its old file fingerprint,
 *   as an input or at its recorded path).
 * - `decode_options`: canonical JSON of the options that decide what the records decode to
 *   (`{"decodeAs":{"48010":"opcua"}}`, src/pipeline/decodeOptions.ts); NULL for captures ingested
 *   before this step (unknown: `ingest --reprocess` re-decodes them).
 */
import type { Migration } from './index.js';

export const contentIdentity: Migration = {
  version: 3,
  describe: 'content identity of captures (content_id) and the decode options each was decoded with (decode_options)',
  up(db) {
    db.exec(`
ALTER TABLE captures ADD COLUMN content_id TEXT;
ALTER TABLE captures ADD COLUMN decode_options TEXT;
UPDATE captures SET content_id = fingerprint WHERE compression = 'none';
CREATE INDEX IF NOT EXISTS captures_content_id ON captures (content_id);
`);
  },
};
