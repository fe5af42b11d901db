/**
 * One shard of a parallel ingest (a worker thread: shards 1 and up; shard 0, which also takes the
 * non-IP frames, is the main thread's). The main thread reads each capture once into windows of
 * shared memory and sends this worker an index of the records of its shard in them (IP packets by
 * address pair, see pairShard in src/flows; sharedWindows.ts); the worker decodes and aggregates them
 * in place, hands each index back, and at the end of a file sends the file's FlowBatch, live state and
 * diagnostics. Its live connections persist from file to file, like the single-threaded path's, and
 * from run to run (its shard of the stored live state, taken on 'restore').
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DiagnosticLog, type Diagnostic, type DiagnosticCode, type Severity } from '../diagnostics.js';
import { decodePacket } from '../decode/decodePacket.js';
import { DecodedPacket } from '../decode/packet.js';
import { defaultDissectors } from '../dissectors/index.js';
import { createRegistry } from '../dissectors/registry.js';
import { FlowAggregator, type FlowBatch, type FlowPart } from '../flows/flowAggregator.js';
import { shardLiveState, type LiveState } from '../flows/liveState.js';
import { newCaptureRecord, type CaptureRecord } from '../ingest/record.js';
import { readIndex, type WindowMessage } from './sharedWindows.js';

export interface WorkerSetup {
  index: number;
  count: number;
  /** How the pairs are split among the shards (pairShardIn). */
  split: number[];
  decodeAs?: Record<string, string>;
  maxConnections?: number;
  scanThreshold?: number;
  partFolds?: number;
}

/**
 * What the main thread sends: a unit starts, a shared window (once, when made) or the index of this
 * shard's records in one (transferred; WindowMessage), the unit ends (with
 * the capture time of the last frame read so far, whichever shard it went to, null before any: the
 * time idle connections are judged at, the same in every shard).
 */
export type WorkerRequest =
  | { type: 'restore'; state: LiveState }
  | { type: 'begin'; path: string; parts?: boolean }
  | WindowMessage
  | { type: 'end'; last: boolean; now: number | null };

/** What a worker sends back. */
export type WorkerReply =
  | { type: 'ready'; module: string }
  /** done with an index of `window` (handed back for reuse) */
  | { type: 'free'; window: number; index: number }
  /** a part of the unit's flow deltas (flowPart.ts), sent while it is read when 'begin' asked for parts */
  | { type: 'part'; part: FlowPart }
  | { type: 'restored' }
  | { type: 'done'; batch: FlowBatch; live: LiveState; kept: Diagnostic[]; counts: Array<[DiagnosticCode, { severity: Severity; count: number }]> }
  | { type: 'error'; message: string };

const setup = workerData as WorkerSetup;
const port = parentPort!;
let fileLog = new DiagnosticLog(20);
const agg = new FlowAggregator({
  registry: createRegistry(defaultDissectors, { decodeAs: setup.decodeAs }),
  maxConnections: setup.maxConnections,
  scanThreshold: setup.scanThreshold,
  partFolds: setup.partFolds,
  onDiagnostic: (d) => fileLog.report(d),
});
const pkt = new DecodedPacket();
const loc = agg.loc;
const rec = newCaptureRecord();
const EMPTY = Buffer.alloc(0);
/** The shared windows and index buffers, by id. */
const windows = new Map<number, Buffer>();
const indexes = new Map<number, SharedArrayBuffer>();
/** The unit's deltas are sent in parts while it is read (its 'begin' asked for them). */
let parts = false;
const onRecord = (r: CaptureRecord): void => {
  loc.frame = r.frame;
  loc.fileOffset = r.fileOffset;
  agg.onPacket(r, pkt, decodePacket(r, pkt));
  if (parts && agg.partDue()) port.postMessage({ type: 'part', part: agg.takePart() } satisfies WorkerReply);
};
/** A chunk failed: the rest of the unit is skipped and the error reported at its end. */
let failure: string | null = null;

function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'restore') {
    try {
      agg.importState(shardLiveState(msg.state, setup.index, setup.count, setup.split));
      port.postMessage({ type: 'restored' } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ type: 'error', message: errorText(e) } satisfies WorkerReply);
    }
  } else if (msg.type === 'begin') {
    fileLog = new DiagnosticLog(20);
    loc.file = msg.path;
    failure = null;
    parts = msg.parts === true;
  } else if (msg.type === 'window') {
    windows.set(msg.id, Buffer.from(msg.sab));
  } else if (msg.type === 'index') {
    indexes.set(msg.id, msg.sab);
  } else if (msg.type === 'drop') {
    windows.delete(msg.id);
  } else if (msg.type === 'frames') {
    if (failure === null) {
      try {
        const w = windows.get(msg.window);
        const ix = indexes.get(msg.index);
        if (w === undefined || ix === undefined) throw new Error(`frames of unknown window ${msg.window} or index ${msg.index}`);
        readIndex(ix, msg.count, w, rec, onRecord);
      } catch (e) {
        failure = errorText(e);
      }
    }
    rec.data = EMPTY;
    port.postMessage({ type: 'free', window: msg.window, index: msg.index } satisfies WorkerReply);
  } else {
    try {
      if (failure !== null) throw new Error(failure);
      const batch = agg.takeBatch(msg.last, msg.now ?? undefined);
      port.postMessage({ type: 'done', batch, live: agg.exportState(), kept: fileLog.kept, counts: [...fileLog.counts] } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ type: 'error', message: errorText(e) } satisfies WorkerReply);
    }
  }
});

// Loaded and listening: the main thread starts sending records once every worker says so.
port.postMessage({ type: 'ready', module: import.meta.url } satisfies WorkerReply);
