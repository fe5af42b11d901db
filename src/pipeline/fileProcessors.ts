/**
 * How the driver (ingestSources) reads one unit of capture into a FlowBatch: in this thread (InProcessProcessor),
 * or split by address pair into shards (ShardedProcessor): this thread reads the unit once into shared
 * windows, aggregates shard 0 itself and sends each worker thread (ingestWorker.ts) an index of its
 * shard's records in them (sharedWindows.ts); the shards' batches are merged, and the next unit is
 * read while the workers finish one (readAhead). Both keep live connections from one file to the next.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DiagnosticLog } from '../diagnostics.js';
import { decodePacket } from '../decode/decodePacket.js';
import { DecodedPacket, type DecodeResult } from '../decode/packet.js';
import { defaultDissectors } from '../dissectors/index.js';
import { createRegistry, type Registry } from '../dissectors/registry.js';
import { peekIpv4Pair } from '../decode/peekIpv4Pair.js';
import { DEFAULT_MAX_CONNECTIONS, FlowAggregator, ipv4PairShardIn, pairShardIn, weightedSplit, type FlowBatch, type FlowPart } from '../flows/flowAggregator.js';
import { mergeBatches } from '../flows/mergeBatches.js';
import { mergeLiveStates, shardLiveState, type LiveState } from '../flows/liveState.js';
import type { ReadSummary } from '../ingest/readCapture.js';
import type { CaptureRecord } from '../ingest/record.js';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './ingestWorker.js';
import { SharedWindows, type WindowMessage } from './sharedWindows.js';
import type { CaptureUnit } from './source.js';

export interface FileResult {
  summary: ReadSummary;
  batch: FlowBatch;
  log: DiagnosticLog;
  /** The live state after the unit, for the store (one list whatever the number of shards). */
  live: LiveState;
}

export interface FileProcessor {
  /** Carry on from the live state an earlier run left in the store (before the first run()). */
  restore(state: LiveState): Promise<void>;
  /**
   * Read one unit; `last` (the end of the run's input) closes the sessions' buffered data at its end.
   * With `onPart`, the unit's flow deltas are also handed over in parts while it is read (when they
   * grow large: FlowAggregator.partDue), before the rest in the result's batch (src/flows/flowPart.ts).
   */
  run(unit: CaptureUnit, last: boolean, onProgress: (consumed: number, records: number) => void, onPart?: (part: FlowPart) => void): Promise<FileResult>;
  /**
   * Optional: run() in two steps, so that the next unit can be read while this one is finished
   * elsewhere (worker threads): resolves once the unit is read, with its result to come.
   */
  readAhead?(unit: CaptureUnit, last: boolean, onProgress: (consumed: number, records: number) => void, onPart?: (part: FlowPart) => void): Promise<{ result: Promise<FileResult> }>;
  close(): Promise<void>;
}

export class InProcessProcessor implements FileProcessor {
  private readonly agg: FlowAggregator;
  private readonly pkt = new DecodedPacket();
  private log = new DiagnosticLog(20);
  private readonly onRecord: (rec: CaptureRecord) => void;
  private records = 0;
  private onPart: ((part: FlowPart) => void) | null = null;

  constructor(registry: Registry, opts: { maxConnections?: number; scanThreshold?: number; partFolds?: number }) {
    const agg = new FlowAggregator({ registry, ...opts, onDiagnostic: (d) => this.log.report(d) });
    this.agg = agg;
    const pkt = this.pkt;
    const loc = agg.loc;
    this.onRecord = (rec) => {
      loc.frame = rec.frame;
      loc.fileOffset = rec.fileOffset;
      agg.onPacket(rec, pkt, decodePacket(rec, pkt));
      this.records++;
      if (this.onPart !== null && agg.partDue()) this.onPart(agg.takePart());
    };
  }

  async run(unit: CaptureUnit, last: boolean, onProgress: (consumed: number, records: number) => void, onPart?: (part: FlowPart) => void): Promise<FileResult> {
    this.log = new DiagnosticLog(20);
    this.onPart = onPart ?? null;
    this.agg.loc.file = unit.frameFile ?? unit.path;
    const log = this.log;
    this.records = 0;
    const summary = await unit.read(this.onRecord, {
      onDiagnostic: (d) => log.report(d),
      onProgress: (consumed) => onProgress(consumed, this.records),
      setFrameFile: (path) => {
        this.agg.loc.file = path;
      },
    });
    this.onPart = null;
    const batch = this.agg.takeBatch(last);
    return { summary, batch, log, live: this.agg.exportState() };
  }

  async restore(state: LiveState): Promise<void> {
    this.agg.importState(shardLiveState(state, 0, 1));
  }

  async close(): Promise<void> {}
}

/** How to start an ingest worker thread. */
export interface WorkerLaunch {
  /** the worker module: ingestWorker.js beside this module, or ingestWorker.ts when running from sources */
  script: string;
  /** tsx's ESM API (file URL), registered in the worker before the TypeScript source is imported */
  tsx: string | null;
}

/**
 * The ingest worker beside this module: the compiled ingestWorker.js (dist/), or, when this module runs
 * from TypeScript sources (tests under ts-jest, tsx), ingestWorker.ts itself through tsx's loader, so
 * the workers run the same code as this thread. `unavailable` says why neither can start.
 */
export function workerLaunch(): WorkerLaunch | { unavailable: string } {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  const script = resolve(dirname(here), fromSource ? 'ingestWorker.ts' : 'ingestWorker.js');
  if (!existsSync(script)) return { unavailable: `the worker script ${script} is missing: reinstall or rebuild zonescope (npm run build)` };
  if (!fromSource) return { script, tsx: null };
  let api: string;
  try {
    api = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs');
  } catch {
    return { unavailable: 'zonescope runs from its TypeScript sources and the tsx package (which loads them in worker threads) is not installed: npm install tsx, or run the build (dist/)' };
  }
  if (!existsSync(api)) return { unavailable: `zonescope runs from its TypeScript sources and ${api} (tsx's loader for worker threads) is missing: reinstall tsx` };
  return { script, tsx: pathToFileURL(api).href };
}

function startWorker(launch: WorkerLaunch, workerData: WorkerSetup): Worker {
  if (launch.tsx === null) return new Worker(launch.script, { workerData });
  const code = `import(${JSON.stringify(launch.tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(launch.script).href)}); });`;
  return new Worker(code, { eval: true, workerData });
}

/**
 * Shard 0's share of the pairs against a worker's 1: this thread also reads the capture, tells each
 * frame's shard, indexes the other shards' records and commits, so it takes less. Set from CPU time
 * per thread on the plant-shaped 1 GB (2 shards, 40.5 % of the bytes here, when records were still
 * copied into chunks): main thread 5.99 s with the commit, worker 5.56 s. With shared windows 0.75,
 * 0.85 and 0.95 measured alike (4.3-4.6 s, three interleaved rounds): kept.
 */
const MAIN_THREAD_WEIGHT = 0.75;

/**
 * Parallel ingest over `count` shards: shard 0 in this thread, beside the reading, and shards 1 to
 * count - 1 in worker threads. This thread reads each unit once, tells each frame's shard from its
 * address pair (pairShard; non-IP frames are shard 0's), aggregates shard 0's frames itself and hands
 * each worker the records of its shard in chunks. Shard 0 here rather than in a worker: its frames are
 * neither copied nor sent, its batch is not cloned across threads, and there is one heap less (two
 * shards are this thread and one worker, on two cores).
 */
export class ShardedProcessor implements FileProcessor {
  private readonly workers: Worker[];
  /** How the pairs are split among the shards (pairShardIn). */
  readonly split: number[];
  /** Shard 0, in this thread. */
  private readonly agg: FlowAggregator;
  private log = new DiagnosticLog(20);
  /** The last frame read (capture time, seconds and nanoseconds), over every unit; tsSec NaN before any. */
  private lastTsSec = NaN;
  private lastTsNsec = 0;
  /** The module URL each worker runs (the compiled script, or the TypeScript source under tests). */
  readonly modules: string[];
  /** The windows records are read into and shared with the workers, for the whole ingest. */
  private readonly windows: SharedWindows;
  /** Per worker, the units it has not sent its batch of yet, oldest first. */
  private readonly pending: UnitSlot[][];
  /** What stopped the ingest (a worker failed, a part could not be written). */
  private failure: Error | null = null;
  private closing = false;

  private constructor(agg: FlowAggregator, workers: Worker[], modules: string[], split: number[]) {
    this.agg = agg;
    this.split = split;
    this.workers = workers;
    this.modules = modules;
    this.windows = new SharedWindows(workers.length, (i, m) => workers[i]!.postMessage(m satisfies WindowMessage));
    this.pending = workers.map(() => []);
    workers.forEach((w, i) => {
      w.on('message', (m: WorkerReply) => this.onMessage(i, m));
      w.on('error', (e: Error) => this.fail(e));
      w.on('exit', (code: number) => this.fail(new Error(`ingest worker ${i + 1} exited with code ${code}`)));
    });
  }

  /** Shards in all (this thread's and the workers'). */
  get shards(): number {
    return this.workers.length + 1;
  }

  /**
   * Start `count` - 1 workers (shards 1 to count - 1; shard 0 is this thread's) and wait until each has
   * loaded (it says 'ready'). Rejects, with every worker stopped, when one cannot start (a missing or
   * broken worker module, no loader for the sources).
   */
  static async start(launch: WorkerLaunch, count: number, opts: { decodeAs?: Record<string, string>; maxConnections?: number; scanThreshold?: number; partFolds?: number }): Promise<ShardedProcessor> {
    if (count < 2) throw new Error(`a sharded ingest needs 2 shards or more, not ${count}`);
    const workers: Worker[] = [];
    // The live-connection limit is for the whole ingest: each shard gets its part.
    const maxConnections = Math.ceil((opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS) / count);
    const split = weightedSplit(Array.from({ length: count }, (_, i) => (i === 0 ? MAIN_THREAD_WEIGHT : 1)));
    const ready: Array<Promise<string>> = [];
    for (let index = 1; index < count; index++) {
      const setup: WorkerSetup = { index, count, split, ...opts, maxConnections };
      const w = startWorker(launch, setup);
      workers.push(w);
      ready.push(
        new Promise<string>((resolveReady, rejectReady) => {
          const onMessage = (m: { type: string; module?: string }): void => {
            if (m.type !== 'ready') return;
            w.off('message', onMessage);
            w.off('error', rejectReady);
            w.off('exit', onExit);
            resolveReady(m.module ?? '');
          };
          const onExit = (code: number): void => rejectReady(new Error(`worker ${index} exited with code ${code} before it was ready`));
          w.on('message', onMessage);
          w.on('error', rejectReady);
          w.on('exit', onExit);
        }),
      );
    }
    try {
      const modules = await Promise.all(ready);
      const registry = createRegistry(defaultDissectors, { decodeAs: opts.decodeAs });
      let self: ShardedProcessor | null = null;
      const agg = new FlowAggregator({ registry, maxConnections, scanThreshold: opts.scanThreshold, partFolds: opts.partFolds, onDiagnostic: (d) => self!.log.report(d) });
      self = new ShardedProcessor(agg, workers, modules, split);
      return self;
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
  }

  /**
   * Read the unit here, once, into shared windows: shard 0's frames are aggregated at once, each other
   * shard's worker gets an index of its records in the windows (it hands each index back when done;
   * reading waits while every window is in use, so memory stays bounded whatever the workers' pace).
   * At the unit's end every worker sends its batch; the shards' batches merge into the unit's.
   */
  async run(unit: CaptureUnit, last: boolean, onProgress: (consumed: number, records: number) => void, onPart?: (part: FlowPart) => void): Promise<FileResult> {
    const { result } = await this.readAhead(unit, last, onProgress, onPart);
    return result;
  }

  /**
   * run() in two steps: resolves once the unit is read (and shard 0's batch made), with `result`, which
   * settles once every worker has sent its batch. The next unit may be read meanwhile: each worker
   * takes its messages in order, so its parts and batch name no unit; they belong to the oldest unit
   * it has not finished (this.pending). A failure fails every unit not yet finished.
   */
  async readAhead(
    unit: CaptureUnit,
    last: boolean,
    onProgress: (consumed: number, records: number) => void,
    onPart?: (part: FlowPart) => void,
  ): Promise<{ result: Promise<FileResult> }> {
    if (this.failure !== null) throw this.failure;
    const workers = this.workers;
    const nw = workers.length;
    const split = this.split;
    const log = new DiagnosticLog(20);
    this.log = new DiagnosticLog(20);
    const agg = this.agg;
    const loc = agg.loc;
    loc.file = unit.path;
    const windows = this.windows;
    const slot = new UnitSlot(nw, onPart);
    for (let i = 0; i < nw; i++) {
      this.pending[i]!.push(slot);
      workers[i]!.postMessage({ type: 'begin', path: unit.path, parts: onPart !== undefined } satisfies WorkerRequest);
    }
    const pkt = new DecodedPacket();
    const pair = new Uint32Array(2);
    let records = 0;
    const onRecord = (rec: CaptureRecord): void => {
      records++;
      this.lastTsSec = rec.tsSec;
      this.lastTsNsec = rec.tsNsec;
      // Whose frame is it? Plain Ethernet/IPv4 (the bulk of plant traffic) is told from the raw
      // address bytes; anything else is decoded to tell (and, when it is shard 0's, not again).
      let owner: number;
      let res: DecodeResult | -1 = -1;
      if (peekIpv4Pair(rec, pair)) owner = ipv4PairShardIn(pair[0]!, pair[1]!, split);
      else {
        res = decodePacket(rec, pkt);
        owner = pkt.ipVersion === 0 ? 0 : pairShardIn(pkt.src, pkt.dst, split);
      }
      if (owner === 0) {
        loc.frame = rec.frame;
        loc.fileOffset = rec.fileOffset;
        agg.onPacket(rec, pkt, res === -1 ? decodePacket(rec, pkt) : res);
        // Shard 0's deltas in parts too, written at once like a worker's (parts add up in any order).
        if (onPart !== undefined && agg.partDue()) onPart(agg.takePart());
        return;
      }
      windows.route(rec, owner - 1);
    };
    const failed = (): boolean => this.failure !== null;
    let summary: ReadSummary;
    try {
      summary = await unit.read(onRecord, {
        onDiagnostic: (d) => log.report(d),
        onProgress: (consumed) => onProgress(consumed, records),
        pace: () => windows.pace(failed),
        windows,
      });
    } finally {
      // The unit's last entries go out, and its windows are left (a unit that failed leaves them too).
      windows.flush();
    }
    if (this.failure !== null) throw this.failure;
    // Every shard judges idle connections at the same time, that of the unit's last frame (as one
    // aggregator over all frames would): a shard's own last frame may be minutes older.
    const now = Number.isNaN(this.lastTsSec) ? null : this.lastTsSec + this.lastTsNsec / 1e9;
    for (let i = 0; i < nw; i++) workers[i]!.postMessage({ type: 'end', last, now } satisfies WorkerRequest);
    // Shard 0's batch while the workers make theirs.
    const own = agg.takeBatch(last, now ?? undefined);
    const ownLive = agg.exportState();
    log.merge(this.log);
    const result = slot.finished.then((done) => {
      for (const r of done) {
        const part = new DiagnosticLog(20);
        for (const d of r.kept) part.kept.push(d);
        for (const [code, c] of r.counts) part.counts.set(code, c);
        log.merge(part);
      }
      return {
        summary,
        batch: mergeBatches([own, ...done.map((r) => r.batch)]),
        log,
        live: mergeLiveStates([ownLive, ...done.map((r) => r.live)]),
      };
    });
    // A failure is the caller's to see through `result`; never an unhandled rejection meanwhile.
    result.catch(() => undefined);
    return { result };
  }

  /** A worker's message: a window index handed back, or a part, the batch or an error of its oldest unfinished unit. */
  private onMessage(i: number, m: WorkerReply): void {
    if (m.type === 'free') this.windows.release(m.window, m.index);
    else if (m.type === 'part') {
      // A part of the worker's deltas, written as it comes (parts of shards add up in any order).
      const slot = this.pending[i]![0];
      if (slot === undefined || this.failure !== null) return;
      try {
        slot.onPart?.(m.part);
      } catch (e) {
        this.fail(e as Error);
      }
    } else if (m.type === 'done') {
      this.pending[i]!.shift()?.done(i, m);
    } else if (m.type === 'error') this.fail(new Error(`ingest worker ${i + 1}: ${m.message}`));
  }

  /** The ingest cannot go on: every unfinished unit fails, reading stops. */
  private fail(e: Error): void {
    if (this.closing) return;
    this.failure ??= e;
    this.windows.interrupt();
    for (const q of this.pending) for (const slot of q.splice(0)) slot.fail(this.failure);
  }

  /** Each shard takes its part of the state (shardLiveState; a worker's in the worker). */
  restore(state: LiveState): Promise<void> {
    this.agg.importState(shardLiveState(state, 0, this.shards, this.split));
    return Promise.all(
      this.workers.map(
        (w, i) =>
          new Promise<void>((resolveDone, reject) => {
            const onMessage = (m: WorkerReply): void => {
              if (m.type !== 'restored' && m.type !== 'error') return;
              w.off('message', onMessage);
              w.off('error', reject);
              if (m.type === 'error') reject(new Error(`ingest worker ${i + 1}: ${m.message}`));
              else resolveDone();
            };
            w.on('message', onMessage);
            w.on('error', reject);
            w.postMessage({ type: 'restore', state } satisfies WorkerRequest);
          }),
      ),
    ).then(() => undefined);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

type WorkerDone = Extract<WorkerReply, { type: 'done' }>;

/** A unit being finished by the workers: their batches as they come, and its parts' writer. */
class UnitSlot {
  private readonly batches: Array<WorkerDone | undefined>;
  private remaining: number;
  private resolveAll!: (done: WorkerDone[]) => void;
  private rejectAll!: (e: Error) => void;
  /** Every worker's batch, in worker order. */
  readonly finished: Promise<WorkerDone[]>;

  constructor(
    workers: number,
    readonly onPart: ((part: FlowPart) => void) | undefined,
  ) {
    this.batches = new Array<WorkerDone | undefined>(workers);
    this.remaining = workers;
    this.finished = new Promise((resolveAll, rejectAll) => {
      this.resolveAll = resolveAll;
      this.rejectAll = rejectAll;
    });
    this.finished.catch(() => undefined);
  }

  done(worker: number, m: WorkerDone): void {
    this.batches[worker] = m;
    if (--this.remaining === 0) this.resolveAll(this.batches as WorkerDone[]);
  }

  fail(e: Error): void {
    this.rejectAll(e);
  }
}
