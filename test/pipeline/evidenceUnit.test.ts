/**
 * planEvidence: an evidence file its capture did not record is skipped while that capture runs, read
 * from the offset its live units committed once it is gone, skipped when nothing lies beyond it, and
 * read whole by a store that never saw the run.
 */
import type { CaptureRow } from '../../src/baseline/baseline.js';
import type { EvidenceMark } from '../../src/ingest/liveEvidenceMark.js';
import { evidenceHead, evidenceSkipNote, planEvidence } from '../../src/pipeline/evidenceUnit.js';

const m: EvidenceMark = { key: 'k1', interface: 'eth0', run: 'live:eth0@2026-12-02T01:25:00Z', file: 2, pid: 4242, boot: 'b', start: '77' };
const unit = (endOffset: number): CaptureRow => ({
  id: 9, fingerprint: 'live:eth0@2026-12-02T01:25:00Z#5', head_hash: evidenceHead('k1'), path: 'live:eth0@2026-12-02T01:25:00Z#5', size: 0, format: 'live',
  compression: 'none', end_offset: endOffset, frames: 10, ip_packets: 10, bytes: 700, first_seen: 1, last_seen: 2, errors: 0, warnings: 0,
}) as CaptureRow;

describe('planEvidence', () => {
  test('planEvidence(its capture still runs) skips it with LIVE_EVIDENCE_OPEN, whatever the store holds', () => {
    for (const committed of [undefined, unit(1000)]) {
      const p = planEvidence('f.pcapng', m, 5000, committed, true);
      expect(p.kind).toBe('skip');
      expect(p.diagnostic).toMatchObject({ code: 'LIVE_EVIDENCE_OPEN', severity: 'warning', file: 'f.pcapng' });
      expect(p.diagnostic!.message).toMatch(/still being written by zonescope capture \(pid 4242/);
    }
    expect(planEvidence('f.pcapng', m, 5000, undefined, null).diagnostic!.message).toMatch(/cannot be told here/);
  });

  test('planEvidence(capture gone, units committed up to byte 1000 of 5000) reads from byte 1000, resumed from that unit', () => {
    const p = planEvidence('f.pcapng', m, 5000, unit(1000), false);
    expect(p).toMatchObject({ kind: 'read', startOffset: 1000, resumedFrom: 9 });
    expect(p.diagnostic).toMatchObject({ code: 'LIVE_EVIDENCE_TAIL', severity: 'note', offset: 1000 });
  });

  test('planEvidence(capture gone, committed to the end or past what reached the disk) skips it', () => {
    expect(planEvidence('f.pcapng', m, 5000, unit(5000), false).kind).toBe('skip');
    expect(planEvidence('f.pcapng', m, 4000, unit(5000), false).kind).toBe('skip');
    // A gzipped copy (size unknown in decompressed bytes) is read from the offset: nothing beyond gives nothing.
    expect(planEvidence('f.pcapng.gz', m, null, unit(5000), false)).toMatchObject({ kind: 'read', startOffset: 5000 });
  });

  test('planEvidence(a store with no unit of the file) reads it whole, as any capture', () => {
    expect(planEvidence('f.pcapng', m, 5000, undefined, false)).toEqual({ kind: 'read', startOffset: 0, resumedFrom: null });
  });

  test('evidenceSkipNote(mark) folds to one kind in the ingest summary (ends with "(as ...)")', () => {
    expect(evidenceSkipNote(m)).toBe('live-capture evidence: its packets are in the baseline from the live capture (as live:eth0@2026-12-02T01:25:00Z file 2)');
  });
});
