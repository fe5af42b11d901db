/**
 * How ingestCaptures() reads one capture file into a FlowBatch: in this thread (InProcessProcessor),
 * or split by address pair across worker threads (ShardedProcessor, see ingestWorker.ts), whose
 * batches are merged. Both keep live connections from one file to the next.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DiagnosticLog, type Diagnostic, type DiagnosticCode, type Severity } from '../diagnostics.js';
import { decodePacket } from '../decode/decodePacket.js';
import { DecodedPacket } from '../decode/packet.js';
import type { Registry } from '../dissectors/registry.js';
import { DEFAULT_MAX_CONNECTIONS, FlowAggregator, type FlowBatch } from '../flows/flowAggregator.js';
import { mergeBatches } from '../flows/mergeBatches.js';
import { readCaptureFile, type ReadSummary } from '../ingest/readCapture.js';
import type { CaptureRecord } from '../ingest/record.js';
import type { WorkerSetup } from './ingestWorker.js';

export interface FileResult {
  summary: ReadSummary;
  batch: FlowBatch;
  log: DiagnosticLog;
}

export interface FileProcessor {
  /** Read one file; `last` closes every connection at its end. */
  run(path: string, startOffset: number, last: boolean, onProgress: (consumed: number, records: number) => void): Promise<FileResult>;
  close(): Promise<void>;
}

export class InProcessProcessor implements FileProcessor {
  private readonly agg: FlowAggregator;
  private readonly pkt = new DecodedPacket();
  private log = new DiagnosticLog(20);
  private readonly onRecord: (rec: CaptureRecord) => void;
  private records = 0;

  constructor(registry: Registry, opts: { maxConnections?: number; scanThreshold?: number }) {
    const agg = new FlowAggregator({ registry, ...opts, onDiagnostic: (d) => this.log.report(d) });
    this.agg = agg;
    const pkt = this.pkt;
    const loc = agg.loc;
    this.onRecord = (rec) => {
      loc.frame = rec.frame;
      loc.fileOffset = rec.fileOffset;
      agg.onPacket(rec, pkt, decodePacket(rec, pkt));
      this.records++;
    };
  }

  async run(path: string, startOffset: number, last: boolean, onProgress: (consumed: number, records: number) => void): Promise<FileResult> {
    this.log = new DiagnosticLog(20);
    this.agg.loc.file = path;
    const log = this.log;
    this.records = 0;
    const summary = await readCaptureFile(path, this.onRecord, {
      fileName: path,
      startOffset,
      onDiagnostic: (d) => log.report(d),
      onProgress: (consumed) => onProgress(consumed, this.records),
    });
    return { summary, batch: this.agg.takeBatch(last), log };
  }

  async close(): Promise<void> {}
}

type WorkerReply =
  | { type: 'progress'; consumed: number; records: number }
  | { type: 'done'; summary: ReadSummary; batch: FlowBatch; kept: Diagnostic[]; counts: Array<[DiagnosticCode, { severity: Severity; count: number }]> }
  | { type: 'error'; message: string };

/** The compiled worker script (dist/), also when this module runs from TypeScript sources (tests). */
export function workerScript(): string | null {
  const here = fileURLToPath(import.meta.url);
  const p = here.endsWith('.ts')
    ? resolve(dirname(here), '../../dist/src/pipeline/ingestWorker.js')
    : resolve(dirname(here), 'ingestWorker.js');
  return existsSync(p) ? p : null;
}

export class ShardedProcessor implements FileProcessor {
  private readonly workers: Worker[];

  constructor(script: string, count: number, opts: { decodeAs?: Record<string, string>; maxConnections?: number; scanThreshold?: number }) {
    this.workers = [];
    // The live-connection limit is for the whole ingest: each shard gets its part.
    const maxConnections = Math.ceil((opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS) / count);
    for (let index = 0; index < count; index++) {
      const setup: WorkerSetup = { index, count, ...opts, maxConnections };
      this.workers.push(new Worker(script, { workerData: setup }));
    }
  }

  run(path: string, startOffset: number, last: boolean, onProgress: (consumed: number, records: number) => void): Promise<FileResult> {
    return new Promise((resolvePromise, reject) => {
      const results: Array<Extract<WorkerReply, { type: 'done' }> | undefined> = new Array(this.workers.length);
      let pending = this.workers.length;
      let failed = false;
      this.workers.forEach((w, i) => {
        const onMessage = (m: WorkerReply): void => {
          if (m.type === 'progress') {
            onProgress(m.consumed, m.records);
            return;
          }
          w.off('message', onMessage);
          w.off('error', onError);
          if (m.type === 'error') {
            failed = true;
            reject(new Error(`ingest worker ${i}: ${m.message}`));
            return;
          }
          results[i] = m;
          if (--pending === 0 && !failed) {
            const log = new DiagnosticLog(20);
            for (const r of results) {
              const part = new DiagnosticLog(20);
              for (const d of r!.kept) part.kept.push(d);
              for (const [code, c] of r!.counts) part.counts.set(code, c);
              log.merge(part);
            }
            resolvePromise({ summary: results[0]!.summary, batch: mergeBatches(results.map((r) => r!.batch)), log });
          }
        };
        const onError = (e: Error): void => {
          failed = true;
          reject(e);
        };
        w.on('message', onMessage);
        w.on('error', onError);
        w.postMessage({ type: 'file', path, startOffset, last });
      });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
