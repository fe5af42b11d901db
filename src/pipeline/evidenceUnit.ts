/**
 * What `zonescope ingest` does with an evidence file of `zonescope capture --write` (a pcapng whose
 * section carries the live-evidence mark, liveEvidenceMark.ts) that the store does not know by its
 * fingerprint, i.e. one whose capture did not close and record it:
 * - its capture (same boot, pid and start time) still has it open: skipped with LIVE_EVIDENCE_OPEN,
 *   since that capture is counting its packets (or when this cannot be told, without /proc: the same);
 * - else (the capture closed it, or died: kill -9, power loss) the store's live units record how far
 *   into the file they committed (liveEvidence.ts); the file is read from there (LIVE_EVIDENCE_TAIL),
 *   or skipped when nothing in it lies beyond. A store that never saw the run has committed nothing
 *   of it: the whole file is read, like any capture (a running capture's closed files, into another store).
 * A file known by its fingerprint is skipped before this (with evidenceSkipNote).
 */
import type { CaptureRow } from '../baseline/baseline.js';
import type { Diagnostic } from '../diagnostics.js';
import { fileOpenByWriter, readEvidenceMark, type EvidenceMark } from '../ingest/liveEvidenceMark.js';
import { peekCapture } from '../ingest/readCapture.js';
import type { SourceStore } from './source.js';

export type EvidencePlan =
  | { kind: 'skip'; note: string; diagnostic?: Diagnostic }
  | { kind: 'read'; startOffset: number; resumedFrom: number | null; note?: string; diagnostic?: Diagnostic };

/** The store's head_hash of the live units whose packets went to the evidence file marked `key`. */
export const evidenceHead = (key: string): string => `live-evidence:${key}`;

const as = (m: EvidenceMark): string => `(as ${m.run} file ${m.file})`;

/** The skip note of an evidence file known by its fingerprint (its capture closed and recorded it). */
export function evidenceSkipNote(m: EvidenceMark): string {
  return `live-capture evidence: its packets are in the baseline from the live capture ${as(m)}`;
}

/** For a file the store knows: its skip note when it is live-capture evidence, else null. */
export async function liveEvidenceSkipNote(path: string): Promise<string | null> {
  const m = await readEvidenceMark(path);
  return m ? evidenceSkipNote(m) : null;
}

/**
 * For a file the store does not know: null when it is no evidence file (the usual planning applies),
 * else planEvidence's decision with the file's first packet time (for ordering).
 */
export async function planEvidenceFile(path: string, size: number, store: SourceStore): Promise<(EvidencePlan & { firstTs: number | null }) | null> {
  const m = await readEvidenceMark(path);
  if (!m) return null;
  const peek = await peekCapture(path);
  const committed = store.liveEvidenceCommitted?.(evidenceHead(m.key));
  return { ...planEvidence(path, m, peek.compression === 'none' ? size : null, committed, fileOpenByWriter(m, path)), firstTs: peek.firstTsSec };
}

/**
 * @param size the file's size in bytes, or null when compressed (offsets are of the decompressed file)
 * @param committed the live unit that committed the furthest into this file, if any
 * @param open whether the capture that wrote it still has it open (null: cannot be told)
 */
export function planEvidence(path: string, m: EvidenceMark, size: number | null, committed: CaptureRow | undefined, open: boolean | null): EvidencePlan {
  if (open !== false) {
    const why =
      open === true
        ? `it is still being written by zonescope capture (pid ${m.pid}, run ${m.run}), which counts its packets`
        : `it was written by zonescope capture (pid ${m.pid}, run ${m.run}) and whether that capture still writes it cannot be told here (no /proc, or its open files are not readable by this user)`;
    return {
      kind: 'skip',
      note: `live-capture evidence still open ${as(m)}`,
      diagnostic: { code: 'LIVE_EVIDENCE_OPEN', severity: 'warning', file: path, message: `not ingested: ${why}; ingest it once the capture has rotated or stopped` },
    };
  }
  if (!committed) return { kind: 'read', startOffset: 0, resumedFrom: null };
  const at = committed.end_offset;
  if (size !== null && size <= at) {
    return { kind: 'skip', note: `live-capture evidence its capture did not record (it stopped abruptly); every packet in it was committed by that capture ${as(m)}` };
  }
  const note = `live-capture evidence left open by a capture that stopped abruptly (run ${m.run}, file ${m.file}): the packets before byte ${at} were committed by that capture (${committed.path}); read from there`;
  return {
    kind: 'read',
    startOffset: at,
    resumedFrom: committed.id,
    note,
    diagnostic: { code: 'LIVE_EVIDENCE_TAIL', severity: 'note', file: path, offset: at, message: note },
  };
}
