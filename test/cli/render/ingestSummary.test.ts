import type { IngestFileResult, IngestResult } from '../../../src/pipeline/ingestCaptures.js';
import { DiagnosticLog } from '../../../src/diagnostics.js';
import { newFrameCounters } from '../../../src/flows/flowDelta.js';
import { ingestSummary } from '../../../src/cli/render/ingestSummary.js';

function file(path: string, status: IngestFileResult['status'], note?: string): IngestFileResult {
  return { path, status, note, frames: 0, ipPackets: 0, bytes: 0, firstTs: null, lastTs: null, errors: 0, warnings: 0 };
}

function result(files: IngestFileResult[], log = new DiagnosticLog()): IngestResult {
  return { files, frames: 10, ipPackets: 9, bytes: 1000, firstTs: 0, lastTs: 86400, flows: 3, scans: [], diagnostics: log, protocols: new Map(), frameKinds: newFrameCounters(), l2ByEtherType: new Map(), undecodedLinktypes: new Map(), capturePoints: [], elapsedMs: 500, failed: false };
}

describe('ingestSummary', () => {
  const files = [
    file('a.pcap', 'ingested'),
    ...Array.from({ length: 500 }, (_, i) => file(`old-${i}.pcap.gz`, 'skipped', `already in the baseline (as /caps/old-${i}.pcap)`)),
    file('dup.pcap', 'skipped', 'same content as another input of this run'),
  ];

  test('ingestSummary(500 skipped files) folds them into one line with the count and the kinds of reason', () => {
    const text = ingestSummary(result(files), { dbPath: 'z.db', verbose: false, printed: 0, maxPrinted: 40 });
    expect(text.split('\n').filter((l) => l.includes('skipped:'))).toEqual([
      '  skipped: 501 files (already in the baseline or same content as another input of this run; --verbose lists them)',
    ]);
    expect(text).toMatch(/^zonescope: 502 files \(1 ingested, 501 skipped\) into z\.db in 500 ms$/m);
  });

  test('ingestSummary(--verbose) lists every skipped file with its note', () => {
    const text = ingestSummary(result(files), { dbPath: 'z.db', verbose: true, printed: 0, maxPrinted: 40 });
    expect(text.split('\n').filter((l) => l.startsWith('  skipped: '))).toHaveLength(501);
  });

  test('ingestSummary(problems) lists each code with its count, severity, meaning and what to do', () => {
    const log = new DiagnosticLog();
    for (let i = 0; i < 3; i++) log.report({ code: 'PCAP_TRUNCATED_RECORD', severity: 'warning', message: 'cut' });
    const text = ingestSummary(result([file('a.pcap', 'ingested')], log), { dbPath: 'z.db', verbose: false, printed: 3, maxPrinted: 40 });
    expect(text).toMatch(/^ {4}PCAP_TRUNCATED_RECORD x3 \(warning\): A pcap file ends inside a record .*resumed\.$/m);
    expect(ingestSummary(result([file('a.pcap', 'ingested')]), { dbPath: 'z.db', verbose: false, printed: 0, maxPrinted: 40 })).toMatch(/^ {2}problems: none$/m);
  });
});
