/**
 * One shard of a parallel ingest (a worker thread): reads each capture file the main thread names,
 * aggregates the frames of its shard (IP packets by address pair, see pairShard in src/flows; non-IP
 * frames in shard 0), and sends back the file's FlowBatch, live state and diagnostics. Its live
 * connections persist from file to file, like the single-threaded path's, and from run to run (its
 * shard of the stored live state, taken on 'restore'). Shard 0 also reports the reader's diagnostics
 * and progress.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DiagnosticLog } from '../diagnostics.js';
import { decodePacket } from '../decode/decodePacket.js';
import { DecodedPacket, type DecodeResult } from '../decode/packet.js';
import { peekIpv4Pair } from '../decode/peekIpv4Pair.js';
import { defaultDissectors } from '../dissectors/index.js';
import { createRegistry } from '../dissectors/registry.js';
import { FlowAggregator, ipv4PairShard, pairShard } from '../flows/flowAggregator.js';
import { shardLiveState, type LiveState } from '../flows/liveState.js';
import { readCaptureFile } from '../ingest/readCapture.js';
import type { CaptureRecord } from '../ingest/record.js';

export interface WorkerSetup {
  index: number;
  count: number;
  decodeAs?: Record<string, string>;
  maxConnections?: number;
  scanThreshold?: number;
}

export type WorkerRequest = { type: 'file'; path: string; startOffset: number; last: boolean } | { type: 'restore'; state: LiveState };

const setup = workerData as WorkerSetup;
const port = parentPort!;
let fileLog = new DiagnosticLog(20);
const agg = new FlowAggregator({
  registry: createRegistry(defaultDissectors, { decodeAs: setup.decodeAs }),
  maxConnections: setup.maxConnections,
  scanThreshold: setup.scanThreshold,
  onDiagnostic: (d) => fileLog.report(d),
});
const pkt = new DecodedPacket();
const loc = agg.loc;
const { index, count } = setup;
let records = 0;
const onRecord = (rec: CaptureRecord): void => {
  records++;
  // Whose frame is it? Plain Ethernet/IPv4 (the bulk of plant traffic) is told from the raw address
  // bytes, so the other shards skip it without decoding; anything else is decoded once to tell.
  // Non-IP frames belong to shard 0.
  let owner = fastIpv4Owner(rec, count);
  let res: DecodeResult | -1 = -1;
  if (owner < 0) {
    res = decodePacket(rec, pkt);
    owner = pkt.ipVersion === 0 ? 0 : pairShard(pkt.src, pkt.dst, count);
  }
  if (owner !== index) return;
  if (res === -1) res = decodePacket(rec, pkt);
  loc.frame = rec.frame;
  loc.fileOffset = rec.fileOffset;
  agg.onPacket(rec, pkt, res);
};

const pair = new Uint32Array(2);

/** The shard of a plain Ethernet/IPv4 frame from its raw bytes (peekIpv4Pair in src/decode), or -1. */
function fastIpv4Owner(rec: CaptureRecord, shards: number): number {
  return peekIpv4Pair(rec, pair) ? ipv4PairShard(pair[0]!, pair[1]!, shards) : -1;
}

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'restore') {
    try {
      agg.importState(shardLiveState(msg.state, index, count));
      port.postMessage({ type: 'restored' });
    } catch (e) {
      port.postMessage({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
    return;
  }
  void (async () => {
    try {
      fileLog = new DiagnosticLog(20);
      loc.file = msg.path;
      records = 0;
      const first = setup.index === 0;
      const summary = await readCaptureFile(msg.path, onRecord, {
        fileName: msg.path,
        startOffset: msg.startOffset,
        onDiagnostic: first ? (d) => fileLog.report(d) : undefined,
        onProgress: first ? (consumed) => port.postMessage({ type: 'progress', consumed, records }) : undefined,
      });
      const batch = agg.takeBatch(msg.last);
      port.postMessage({ type: 'done', summary, batch, live: agg.exportState(), kept: fileLog.kept, counts: [...fileLog.counts] });
    } catch (e) {
      port.postMessage({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  })();
});

// Loaded and listening: the main thread starts reading files once every worker says so.
port.postMessage({ type: 'ready', module: import.meta.url });
