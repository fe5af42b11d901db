/**
 * `ingest --reprocess`: decode the baseline's captures again with new decode options, so the store
 * equals a fresh ingest of the same captures with those options.
 *
 * The store keeps additive aggregates only, and connections and scan counters span files, so one
 * capture's contribution cannot be taken out on its own. Every capture from the first one (in time
 * order) whose recorded decode options differ from the new ones must be decoded again; the captures
 * before it were decoded with the new options already, but with no way to keep their contribution
 * apart, the one correct and simplest rebuild reads them all: the store is emptied and every capture
 * is ingested again from its recorded path in ONE transaction (Baseline.replaceAll), in time order
 * through one aggregator, exactly as a fresh ingest would. Nothing changes unless all of it succeeds.
 *
 * Before anything is touched, every capture must still be readable as it was ingested: a file at its
 * recorded path (relative to the folder the ingest ran in) with the same file fingerprint or content
 * identity. A live-capture interval or a capture from standard input (no file kept), a missing file
 * or a changed one refuses the reprocess, naming them.
 */
import { stat } from 'node:fs/promises';
import type { Baseline, StoreNews } from '../baseline/baseline.js';
import type { CaptureRecordRow } from '../baseline/reader.js';
import { contentIdentity } from '../ingest/contentIdentity.js';
import { fingerprintFile } from '../ingest/fingerprint.js';
import { decodeOptionsText } from './decodeOptions.js';
import { ingestCaptures, type IngestOptions, type IngestResult } from './ingestCaptures.js';

export interface ReprocessProblem {
  path: string;
  why: string;
}

export interface ReprocessPlan {
  /** Capture rows in the store. */
  captures: number;
  /** Captures whose recorded decode options differ from the new ones (not recorded counts as differing). */
  changed: number;
  /** The first of them in time order (its path), or null when none differs. */
  firstChanged: string | null;
  /** The files to ingest again, in time order (a file that grew and was resumed is read once, whole). */
  paths: string[];
  /** Captures that cannot be read again as they were ingested: the reprocess is refused. */
  problems: ReprocessProblem[];
}

/** Which captures need decoding again with `decodeAs`, and whether each can be read again. */
export async function planReprocess(captures: readonly CaptureRecordRow[], decodeAs: Readonly<Record<string, string>>): Promise<ReprocessPlan> {
  const wanted = decodeOptionsText(decodeAs);
  const ordered = [...captures].sort((a, b) => (a.firstSeen ?? -Infinity) - (b.firstSeen ?? -Infinity) || a.id - b.id);
  const changed = ordered.filter((c) => c.decodeOptions !== wanted);
  // A capture resumed by a later row (its file grew) is read as part of that row's file.
  const superseded = new Set(ordered.flatMap((c) => (c.resumedFrom !== null ? [c.resumedFrom] : [])));
  const paths: string[] = [];
  const problems: ReprocessProblem[] = [];
  for (const c of ordered) {
    if (superseded.has(c.id)) continue;
    const why = await cannotReread(c);
    if (why !== null) problems.push({ path: c.path, why });
    else if (!paths.includes(c.path)) paths.push(c.path);
  }
  return { captures: ordered.length, changed: changed.length, firstChanged: changed[0]?.path ?? null, paths, problems };
}

/** Why capture `c` cannot be read again as it was ingested, or null when it can. */
async function cannotReread(c: CaptureRecordRow): Promise<string | null> {
  if (/^live:/.test(c.path)) return 'a live-capture interval: its packets were not kept in a file';
  const st = await stat(c.path).catch(() => null);
  if (st === null) {
    return /zonescope-stdin-[^/\\]*[/\\]standard-input$/.test(c.path)
      ? 'read from standard input: its packets were not kept in a file'
      : 'no such file (paths are as recorded, relative to the folder the ingest ran in)';
  }
  if (!st.isFile()) return 'not a file';
  try {
    const fp = await fingerprintFile(c.path);
    if (fp.id === c.fingerprint) return null;
    if (c.contentId !== null && (await contentIdentity(c.path, fp)).id === c.contentId) return null;
  } catch (e) {
    return `unreadable: ${(e as Error).message}`;
  }
  return 'the file there changed since it was ingested (another content)';
}

export type ReprocessOutcome =
  | { kind: 'refused'; plan: ReprocessPlan }
  | { kind: 'unchanged'; plan: ReprocessPlan }
  | { kind: 'rebuilt'; plan: ReprocessPlan; result: IngestResult; news: StoreNews };

/**
 * Re-decode the store with `opts.decodeAs` (see the module comment), adding `inputs` in the same
 * rebuild. Refused (store untouched) when a capture cannot be read again; unchanged when every
 * capture was decoded with these options already and there are no inputs. A recorded capture that
 * fails to read during the rebuild undoes the whole rebuild (ReprocessFailed).
 */
export async function reprocessCaptures(baseline: Baseline, inputs: readonly string[], opts: IngestOptions): Promise<ReprocessOutcome> {
  const plan = await planReprocess(baseline.reader().captures(), opts.decodeAs ?? {});
  if (plan.problems.length > 0) return { kind: 'refused', plan };
  if (plan.changed === 0 && inputs.length === 0) return { kind: 'unchanged', plan };
  const recorded = new Set(plan.paths);
  const { result, mark } = await baseline.replaceAll(async () => {
    const r = await ingestCaptures(baseline, [...plan.paths, ...inputs], opts);
    const lost = r.files.filter((f) => f.status === 'failed' && recorded.has(f.path));
    if (lost.length > 0) throw new ReprocessFailed(lost.map((f) => ({ path: f.path, why: f.note ?? 'unreadable' })));
    return r;
  });
  return { kind: 'rebuilt', plan, result, news: baseline.newsSince(mark) };
}

/** A capture of the store could not be read during the rebuild: the rebuild was undone. */
export class ReprocessFailed extends Error {
  constructor(readonly problems: ReprocessProblem[]) {
    super(`${problems.map((p) => `${p.path} (${p.why})`).join(', ')} could not be read again`);
  }
}
