/**
 * The demo plant (fixtures/refinery-unit3) ingested once into a temporary store for the design tests,
 * with its ground truth, design and inventory.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { REPO_ROOT } from '../util/captures.js';

export const DEMO_DIR = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
export const DEMO_DESIGN = join(REPO_ROOT, 'fixtures', 'examples', 'refinery-unit3.yaml');
export const DEMO_INVENTORY = join(REPO_ROOT, 'fixtures', 'examples', 'refinery-unit3.assets.csv');

export interface GtFlow {
  src: string;
  dst: string;
  transport: string;
  port: number;
  protocol: string;
  src_zone: string | null;
  dst_zone: string | null;
  reason: string | null;
  expected?: string;
}

export interface GroundTruth {
  assets: Array<{ id: string; ip: string; mac: string; zone: string | null }>;
  flows: GtFlow[];
  expected_breaking: GtFlow[];
}

export function groundTruth(): GroundTruth {
  return JSON.parse(readFileSync(join(DEMO_DIR, 'ground-truth.json'), 'utf8')) as GroundTruth;
}

/** Ingests the demo plant into a fresh temporary store; returns its path and a cleanup. */
export async function demoStore(): Promise<{ db: string; dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-design-'));
  const db = join(dir, 'demo.db');
  const b = Baseline.open(db);
  try {
    const r = await ingestCaptures(b, [DEMO_DIR], {});
    if (r.failed) throw new Error('demo ingest failed');
  } finally {
    b.close();
  }
  return { db, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
