import type { IngestResult } from '../../../src/pipeline/ingestCaptures.js';
import { DiagnosticLog } from '../../../src/diagnostics.js';
import { newFrameCounters } from '../../../src/flows/flowDelta.js';
import { ingestSummary } from '../../../src/cli/render/ingestSummary.js';

function result(log: DiagnosticLog): IngestResult {
  const f = { path: 'a.pcap', status: 'ingested' as const, frames: 0, ipPackets: 0, bytes: 0, firstTs: null, lastTs: null, errors: 0, warnings: 0 };
  return { files: [f], frames: 10, ipPackets: 9, bytes: 1000, firstTs: 0, lastTs: 86400, flows: 3, scans: [], diagnostics: log, protocols: new Map(), frameKinds: newFrameCounters(), l2ByEtherType: new Map(), undecodedLinktypes: new Map(), elapsedMs: 500, failed: false };
}
const opts = { dbPath: 'z.db', verbose: false, printed: 0, maxPrinted: 40 };

describe('ingestSummary and decapsulation', () => {
  test('ingestSummary(an ERSPAN capture) shows the capture point apart and still says "problems: none"', () => {
    const log = new DiagnosticLog();
    log.report({ code: 'CAPTURE_POINT_TUNNEL', severity: 'note', message: 'frames arrive through erspan-ii 192.0.2.1 -> 192.0.2.2 session 7; the inner frames are decoded' });
    const text = ingestSummary(result(log), opts);
    expect(text).toMatch(/^ {2}capture point: CAPTURE_POINT_TUNNEL x1: Frames arrive through a tunnel/m);
    expect(text).toMatch(/^ {2}problems: none$/m);
  });

  test('ingestSummary(frames of an undecodable link type) lists DECODE_UNSUPPORTED_LINKTYPE with its count as a problem', () => {
    const log = new DiagnosticLog();
    for (let i = 0; i < 4; i++) log.report({ code: 'DECODE_UNSUPPORTED_LINKTYPE', severity: 'warning', message: 'link type 147 is not decoded' });
    const text = ingestSummary(result(log), opts);
    expect(text).toMatch(/^ {4}DECODE_UNSUPPORTED_LINKTYPE x4 \(warning\): Frames of a link type/m);
    expect(text).not.toMatch(/problems: none/);
  });
});
