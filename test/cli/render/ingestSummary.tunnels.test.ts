import type { IngestResult } from '../../../src/pipeline/ingestCaptures.js';
import { DiagnosticLog } from '../../../src/diagnostics.js';
import { newFrameCounters } from '../../../src/flows/flowDelta.js';
import { ingestSummary } from '../../../src/cli/render/ingestSummary.js';

function result(log: DiagnosticLog, capturePoints: IngestResult['capturePoints'] = []): IngestResult {
  const f = { path: 'a.pcap', status: 'ingested' as const, frames: 0, ipPackets: 0, bytes: 0, firstTs: null, lastTs: null, errors: 0, warnings: 0 };
  return { files: [f], frames: 10, ipPackets: 9, bytes: 1000, firstTs: 0, lastTs: 86400, flows: 3, scans: [], diagnostics: log, protocols: new Map(), frameKinds: newFrameCounters(), l2ByEtherType: new Map(), undecodedLinktypes: new Map(), capturePoints, elapsedMs: 500, failed: false };
}
const opts = { dbPath: 'z.db', verbose: false, printed: 0, maxPrinted: 40 };

describe('ingestSummary and decapsulation', () => {
  test('ingestSummary(an ERSPAN and a VXLAN capture point) shows one line each with endpoints, id and frames, and still says "problems: none"', () => {
    const text = ingestSummary(
      result(new DiagnosticLog(), [
        { encapsulation: 'erspan-ii', outerSrc: '192.0.2.1', outerDst: '192.0.2.2', tunnelId: 7, frames: 1234, firstTs: 0, lastTs: 1 },
        { encapsulation: 'vxlan', outerSrc: '10.0.0.1', outerDst: '10.0.0.2', tunnelId: 5001, frames: 1, firstTs: 0, lastTs: 0 },
        { encapsulation: 'ip-in-ip', outerSrc: '10.9.0.1', outerDst: '10.9.0.2', tunnelId: -1, frames: 2, firstTs: 0, lastTs: 0 },
      ]),
      opts,
    );
    expect(text.split('\n').filter((l) => l.startsWith('  capture point: '))).toEqual([
      '  capture point: erspan-ii 192.0.2.1 -> 192.0.2.2 session 7: 1,234 frames (inner frames decoded as captured directly)',
      '  capture point: vxlan 10.0.0.1 -> 10.0.0.2 vni 5001: 1 frame (inner frames decoded as captured directly)',
      '  capture point: ip-in-ip 10.9.0.1 -> 10.9.0.2: 2 frames (inner frames decoded as captured directly)',
    ]);
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
