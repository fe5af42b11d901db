/** TEST HELPER: generate a plant into a temp folder and ingest it into a temp store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline } from '../../../src/baseline/baseline.js';
import { ingestCaptures } from '../../../src/pipeline/ingestCaptures.js';
import { BaselineReader } from '../../../src/baseline/reader.js';
import type { FlowRecord } from '../../../src/baseline/reader.js';
import { generatePlant } from '../../../fixtures/generator/generatePlant.js';
import type { PlantDescription } from '../../../fixtures/generator/plant.js';

export async function ingestPlant(plant: PlantDescription, seed: number, workers = 1): Promise<{ flows: FlowRecord[]; dir: string; db: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), `zones-${plant.name}-`));
  const caps = join(dir, 'captures');
  generatePlant(plant, { seed, outDir: caps });
  const db = join(dir, 'zonescope.db');
  const baseline = Baseline.open(db);
  try {
    await ingestCaptures(baseline, [caps], { workers });
  } finally {
    baseline.close();
  }
  const reader = BaselineReader.open(db);
  try {
    return { flows: reader.flows(), dir, db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } finally {
    reader.close();
  }
}
