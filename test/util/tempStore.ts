/**
 * A baseline store in a temporary file, written by ingestCaptures and read back through the
 * BaselineReader (the only read API), for tests of what a user's store would hold.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { ingestCaptures, type IngestOptions, type IngestResult } from '../../src/pipeline/ingestCaptures.js';
import { BaselineReader } from '../../src/baseline/reader.js';

export interface TempStore {
  path: string;
  result: IngestResult;
  reader: BaselineReader;
  /** close the reader and delete the store */
  dispose(): void;
}

export async function ingestToTempStore(inputs: string[], opts: IngestOptions): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-store-'));
  const path = join(dir, 'zonescope.db');
  const b = Baseline.open(path);
  let result: IngestResult;
  try {
    result = await ingestCaptures(b, inputs, opts);
  } finally {
    b.close();
  }
  const reader = BaselineReader.open(path);
  return {
    path,
    result,
    reader,
    dispose: () => {
      reader.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
