/**
 * Capture files as a source: inputs (files, directories, globs) are expanded and fingerprinted; a file
 * already in the store is skipped whatever its name; one that grew since is resumed after the last
 * record ingested; the rest are ordered by first timestamp.
 */
import { fingerprintFile, HEAD_BYTES, prefixHash } from '../ingest/fingerprint.js';
import { expandInputs } from '../ingest/inputs.js';
import { peekCapture, readCaptureFile } from '../ingest/readCapture.js';
import type { Diagnostic } from '../diagnostics.js';
import { liveEvidenceSkipNote, planEvidenceFile } from './evidenceUnit.js';
import type { IngestFileResult } from './ingestCaptures.js';
import type { CaptureSource, CaptureUnit, SourcePlan, SourceStore } from './source.js';

export function settledResult(path: string, status: IngestFileResult['status'], note: string): IngestFileResult {
  return { path, status, note, frames: 0, ipPackets: 0, bytes: 0, firstTs: null, lastTs: null, errors: status === 'failed' ? 1 : 0, warnings: 0 };
}

export function fileSource(inputs: string[]): CaptureSource {
  return { plan: (store) => planFiles(inputs, store) };
}

async function planFiles(inputs: string[], store: SourceStore): Promise<SourcePlan> {
  const diagnostics: Diagnostic[] = [];
  const settled: IngestFileResult[] = [];
  const expanded = await expandInputs(inputs);
  diagnostics.push(...expanded.diagnostics);

  const planned: Array<Omit<CaptureUnit, 'last' | 'read' | 'file'> & { firstTs: number | null }> = [];
  const seen = new Set<string>();
  for (const path of expanded.files) {
    let fp: { id: string; head: string; size: number };
    try {
      fp = await fingerprintFile(path);
    } catch (e) {
      diagnostics.push({ code: 'CAPTURE_UNREADABLE', severity: 'error', message: (e as Error).message, file: path });
      settled.push(settledResult(path, 'failed', (e as Error).message));
      continue;
    }
    if (seen.has(fp.id)) {
      settled.push(settledResult(path, 'skipped', 'same content as another input of this run'));
      continue;
    }
    seen.add(fp.id);
    const known = store.captureByFingerprint(fp.id);
    if (known) {
      settled.push(settledResult(path, 'skipped', (await liveEvidenceSkipNote(path)) ?? `already in the baseline (as ${known.path})`));
      continue;
    }
    // An evidence file of `capture --write` that its capture did not record: only what it did not commit.
    const ev = await planEvidenceFile(path, fp.size, store);
    if (ev) {
      if (ev.diagnostic) diagnostics.push(ev.diagnostic);
      if (ev.kind === 'skip') settled.push(settledResult(path, 'skipped', ev.note));
      else planned.push({ path, size: fp.size, fingerprint: fp.id, headHash: fp.head, firstTs: ev.firstTs, startOffset: ev.startOffset, resumedFrom: ev.resumedFrom, note: ev.note });
      continue;
    }
    let grown = store.grownFrom(fp.head, fp.size);
    if (!grown) {
      // A file that was shorter than the head when ingested: compare the same prefix.
      for (const c of store.capturesAtPath(path)) {
        if (c.size < fp.size && c.size < HEAD_BYTES && (await prefixHash(path, c.size)) === c.head_hash) {
          grown = c;
          break;
        }
      }
    }
    const peek = await peekCapture(path);
    planned.push({
      path,
      size: fp.size,
      fingerprint: fp.id,
      headHash: fp.head,
      firstTs: peek.firstTsSec,
      startOffset: grown ? grown.end_offset : 0,
      resumedFrom: grown ? grown.id : null,
      note: grown ? `grew since it was ingested as ${grown.path} (${grown.size} bytes): resumed at byte ${grown.end_offset}` : undefined,
    });
  }
  planned.sort((a, b) => (a.firstTs ?? Infinity) - (b.firstTs ?? Infinity) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const units: CaptureUnit[] = planned.map(({ firstTs: _firstTs, ...p }, i) => ({
    ...p,
    last: i === planned.length - 1,
    file: { path: p.path, startOffset: p.startOffset },
    read: (onRecord, opts) => readCaptureFile(p.path, onRecord, { fileName: p.path, startOffset: p.startOffset, ...opts }),
  }));
  return { units, settled, diagnostics, bytesTotal: units.reduce((s, u) => s + u.size, 0), files: true };
}
