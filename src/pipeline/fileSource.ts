/**
 * Capture files as a source: inputs (files, directories, globs) are expanded and fingerprinted. The
 * same capture is read once: a file whose file fingerprint OR content identity (the capture's
 * decompressed bytes, contentIdentity.ts) is in the store is skipped whatever its name or compression,
 * and so is a second input of the run with the content of an earlier one. A file that grew since it
 * was ingested is resumed after the last record ingested; the rest are ordered by first timestamp.
 */
import { contentIdentity, type ContentIdentity } from '../ingest/contentIdentity.js';
import { fingerprintFile, HEAD_BYTES, prefixHash, type FileFingerprint } from '../ingest/fingerprint.js';
import { expandInputs } from '../ingest/inputs.js';
import { peekCapture, readCaptureFile } from '../ingest/readCapture.js';
import type { Diagnostic } from '../diagnostics.js';
import { liveEvidenceSkipNote, planEvidenceFile } from './evidenceUnit.js';
import type { IngestFileResult } from './ingestCaptures.js';
import type { CaptureRow } from '../baseline/baseline.js';
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
  const unreadable = (path: string, e: unknown): void => {
    diagnostics.push({ code: 'CAPTURE_UNREADABLE', severity: 'error', message: (e as Error).message, file: path });
    settled.push(settledResult(path, 'failed', (e as Error).message));
  };

  // 1. File fingerprints (at most 2 MiB read each): a file already in the store is skipped at once.
  //    A stored capture whose content identity is not known yet (compressed, from a store older than
  //    schema 3) learns it here, from this file that is its very bytes.
  const planned: Array<Omit<CaptureUnit, 'last' | 'read' | 'file'> & { firstTs: number | null }> = [];
  const candidates: Array<{ path: string; fp: FileFingerprint }> = [];
  const seenFiles = new Set<string>();
  const seenContent = new Map<string, string>(); // content id -> the input (or stored capture) that has it
  for (const path of expanded.files) {
    let fp: FileFingerprint;
    try {
      fp = await fingerprintFile(path);
    } catch (e) {
      unreadable(path, e);
      continue;
    }
    if (seenFiles.has(fp.id)) {
      settled.push(settledResult(path, 'skipped', 'same content as another input of this run'));
      continue;
    }
    seenFiles.add(fp.id);
    const known = store.captureByFingerprint(fp.id);
    if (known) {
      const contentId = known.content_id ?? (await learnContentId(store, known, path, fp));
      if (contentId !== null) seenContent.set(contentId, path);
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
    candidates.push({ path, fp });
  }
  // 2. Each candidate's content identity (a gzip file is inflated once for it) and first record time.
  const identified: Array<{ path: string; fp: FileFingerprint; content: ContentIdentity; firstTs: number | null }> = [];
  for (const { path, fp } of candidates) {
    try {
      identified.push({ path, fp, content: await contentIdentity(path, fp), firstTs: (await peekCapture(path)).firstTsSec });
    } catch (e) {
      unreadable(path, e);
    }
  }
  // 3. Stored captures still without a content identity (gzip ones of a store older than schema 3)
  //    that could be one of the candidates (same first record time, or a decompressed length equal to
  //    a candidate's size) learn it from their recorded path, when the file there is still the one
  //    ingested: so a plain copy of such a capture is recognised too. Once learnt, never read again;
  //    the others are not read at all.
  if (identified.length > 0) {
    const sizes = new Set(identified.map((c) => c.content.size));
    const times = identified.flatMap((c) => (c.firstTs !== null ? [c.firstTs] : []));
    for (const c of store.capturesWithoutContentId()) {
      const plausible = sizes.has(c.end_offset) || (c.first_seen !== null && times.some((t) => Math.abs(t - c.first_seen!) < 1e-3));
      if (!plausible) continue;
      const fp = await fingerprintFile(c.path).catch(() => null);
      if (fp !== null && fp.id === c.fingerprint) await learnContentId(store, c, c.path, fp);
    }
  }

  // 4. The same capture in another form (gzipped, gunzipped, renamed) is skipped, in the store and
  //    within this run; the rest are planned (a file that grew is resumed) beside the evidence files.
  for (const { path, fp, content, firstTs } of identified) {
    const twin = seenContent.get(content.id);
    if (twin !== undefined) {
      settled.push(settledResult(path, 'skipped', `same content as another input of this run (as ${twin})`));
      continue;
    }
    seenContent.set(content.id, path);
    const same = store.captureByContentId(content.id);
    if (same) {
      settled.push(settledResult(path, 'skipped', `already in the baseline (as ${same.path}, the same capture content)`));
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
    planned.push({
      path,
      size: fp.size,
      fingerprint: fp.id,
      contentId: content.id,
      headHash: fp.head,
      firstTs,
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

/** Compute and record the content identity of stored capture `c` from `path`, whose file fingerprint is `c`'s; null when unreadable. */
async function learnContentId(store: SourceStore, c: CaptureRow, path: string, fp: FileFingerprint): Promise<string | null> {
  try {
    const { id } = await contentIdentity(path, fp);
    store.setContentId(c.id, id);
    return id;
  } catch {
    return null; // unreadable now: learnt another time
  }
}
