/**
 * Where the pipeline's frames come from. A source plans units of capture (a capture file today; a
 * rotation segment of a live interface later), each read once and committed to the store as one
 * capture row with its deltas, in one transaction. The driver (ingestSources) reads every unit of
 * every source through ONE flow aggregator, so a connection that spans units stays one connection.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { WindowSource } from '../ingest/parseState.js';
import type { ReadSummary } from '../ingest/readCapture.js';
import type { CaptureRecord } from '../ingest/record.js';
import type { Baseline } from '../baseline/baseline.js';
import type { IngestFileResult } from './ingestCaptures.js';

/** What a source may ask of the store while planning (a file already ingested, or grown since). */
/** (liveEvidenceCommitted is optional: a store without it has committed no evidence file of a live capture.) */
export type SourceStore = Pick<
  Baseline,
  'captureByFingerprint' | 'captureByContentId' | 'capturesWithoutContentId' | 'setContentId' | 'grownFrom' | 'capturesAtPath'
> &
  Partial<Pick<Baseline, 'liveEvidenceCommitted'>>;

/** What the driver writes to: one capture row with its deltas (and the live state after it) per unit, and end-of-run deltas; it reads the live state back at the start of a run (a store without one starts with no live connections). */
/** (writePart and abortParts are optional: a store without them receives each unit's deltas at once.) */
export type PipelineStore = SourceStore & Pick<Baseline, 'commitCapture' | 'commitDeltas'> & Partial<Pick<Baseline, 'liveState' | 'writePart' | 'abortParts'>>;

export interface UnitReadOptions {
  onDiagnostic: (d: Diagnostic) => void;
  /** Bytes of the unit consumed so far (compressed bytes for a file). */
  onProgress: (consumed: number) => void;
  /** Called before each read of more input; when it returns a promise, reading waits for it (backpressure). */
  pace?: () => Promise<void> | undefined;
  /**
   * From now on the frames delivered refer to this file (a live capture's evidence file rotated at the
   * unit's end: the packets that arrive before the next unit starts are already in the new file).
   */
  setFrameFile?: (path: string) => void;
  /**
   * Parse windows to read into (a file reader passes them to its parser; a reader that ignores them
   * hands over records in its own buffers, which a parallel ingest then copies).
   */
  windows?: WindowSource;
}

export interface CaptureUnit {
  /** The name recorded in the store and shown in diagnostics (a file's path). */
  path: string;
  /** Bytes to read (for progress); 0 when unknown. */
  size: number;
  /** Content identity: a unit whose fingerprint is in the store is never read again. */
  fingerprint: string;
  /** Identity of the decompressed capture (src/ingest/contentIdentity.ts); default: the fingerprint. */
  contentId?: string;
  /** Identity of the first 64 KiB: a file that grew keeps it. */
  headHash: string;
  /** Records before this (decompressed) offset were ingested already (a grown file resumes). */
  startOffset: number;
  /** The capture row of the earlier, shorter version of this unit. */
  resumedFrom: number | null;
  /**
   * The file this unit's frame numbers and offsets refer to, when not `path`: a live unit written to an
   * evidence file (capture --write) numbers its frames as they stand in that file, so its diagnostics
   * and events name the file and a frame Wireshark opens.
   */
  frameFile?: string;
  /** Said in the unit's result (e.g. what was resumed). */
  note?: string;
  /**
   * The last unit of its source: when no source follows, the live connections' buffered data is closed
   * at its end (the connections themselves stay live, in the store's live state).
   */
  last: boolean;
  /** Read the unit's records in this thread; `onRecord` may not keep `rec.data` past the call. */
  read(onRecord: (rec: CaptureRecord) => void, opts: UnitReadOptions): Promise<ReadSummary>;
  /** A file that worker threads can read themselves; absent for a unit only this thread can read. */
  file?: { path: string; startOffset: number };
}

export interface SourcePlan {
  /** The units to read, in order. */
  units: AsyncIterable<CaptureUnit> | Iterable<CaptureUnit>;
  /** Inputs settled without reading: skipped (known content) or failed (unreadable). */
  settled: IngestFileResult[];
  /** Problems found while planning. */
  diagnostics: Diagnostic[];
  /** Bytes the units will read in all, for progress; 0 when unknown (a live source). */
  bytesTotal: number;
  /** Every unit has `file` (worker threads can share the work). */
  files: boolean;
}

export interface CaptureSource {
  plan(store: SourceStore): Promise<SourcePlan>;
}
