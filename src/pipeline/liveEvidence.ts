/**
 * The evidence files of `zonescope capture --write DIR`: every packet libpcap delivers is also written
 * (PcapngWriter) to `DIR/zonescope-IF-YYYYMMDDTHHMMSSZ.pcapng`, rotated on multiples of the rotation
 * interval (UTC), and the oldest of its own files beyond --keep are deleted.
 *
 * Counting nothing twice. The live units hold the packets' deltas; a file is bookkeeping:
 * - each file carries a mark (liveEvidenceMark.ts) with a key unique to it;
 * - every live unit records, in the same transaction as its deltas, the key of the file its packets
 *   went to and the file offset up to which they are committed (captures.head_hash = `live-evidence:KEY`,
 *   captures.end_offset); rotation happens only at a unit's end, and the file is flushed there first, so
 *   that offset is on disk before it is committed;
 * - a file stays open until the unit that ends it is committed; then it is closed and gets a capture
 *   row of its own (commitCapture, empty deltas, the fingerprint fingerprintFile gives, a LIVE_EVIDENCE
 *   note): a later ingest skips it as known content.
 * A file its capture did not record (kill -9, power loss) is recognised by its mark: while its capture
 * holds it open, ingest leaves it; else it reads it from the committed offset (evidenceUnit.ts), so
 * nothing is counted twice or lost.
 *
 * A write failure (disk full, folder removed) abandons the file under way with a LIVE_WRITE_FAILED
 * warning; the capture into the baseline goes on, and the next rotation tries a new file.
 */
import { randomUUID } from 'node:crypto';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Baseline } from '../baseline/baseline.js';
import type { Diagnostic } from '../diagnostics.js';
import { fingerprintFile } from '../ingest/fingerprint.js';
import { formatEvidenceMark, processIdentity, readEvidenceMark, writerRunning, type EvidenceMark } from '../ingest/liveEvidenceMark.js';
import { PcapngWriteError, PcapngWriter } from '../ingest/PcapngWriter.js';
import type { CaptureRecord } from '../ingest/record.js';
import type { FlowBatch } from '../flows/flowDelta.js';
import { evidenceHead } from './evidenceUnit.js';

export interface LiveEvidenceOptions {
  dir: string;
  /** Rotate every this many milliseconds, on multiples of it since the epoch (UTC). */
  rotateMs: number;
  /** Keep at most this many of its own files in `dir` (the newest, the open one included). */
  keep?: number;
  interface: string;
  filter?: string;
  /** Where closed files are recorded. */
  store: Pick<Baseline, 'commitCapture'>;
  /** shb_userappl, e.g. `zonescope 0.4.0`. */
  application: string;
}

/** What a live unit's row records: the file its packets went to, and up to where they are committed. */
export interface EvidenceBoundary {
  /** `live-evidence:KEY`, or null when no file was being written. */
  headHash: string | null;
  endOffset: number;
}

interface OpenFile {
  writer: PcapngWriter;
  mark: EvidenceMark;
  /** set when a write failed: the file is abandoned */
  failed: boolean;
}

export class LiveEvidence {
  readonly #opts: LiveEvidenceOptions;
  readonly #linktype: number;
  readonly #run: string;
  readonly #ident = processIdentity();
  #file: OpenFile | null = null;
  #fileNo = 0;
  #rotateAt = 0;
  /** Files no longer written to, still open until the unit that ended them is committed (settle). */
  #ending: OpenFile[] = [];
  #pending: Diagnostic[] = [];
  /** Files this run wrote, and those recorded in the store. */
  #written = 0;
  #recorded = 0;
  #failures = 0;
  #deleted = 0;

  private constructor(opts: LiveEvidenceOptions, linktype: number, run: string) {
    this.#opts = opts;
    this.#linktype = linktype;
    this.#run = run;
  }

  /** Open the first file (a failure here is thrown: the capture does not start without its evidence). */
  static open(opts: LiveEvidenceOptions, linktype: number, run: string, now = Date.now()): LiveEvidence {
    const ev = new LiveEvidence(opts, linktype, run);
    ev.#file = ev.#create(now);
    ev.#rotateAt = nextMultiple(now, opts.rotateMs);
    return ev;
  }

  /** When the file under way is due to be rotated (epoch ms): a unit ends there. */
  get rotateAt(): number {
    return this.#rotateAt;
  }

  /** The head hash of the unit starting now (the file its packets go to), or null. */
  get headHash(): string | null {
    return this.#file && !this.#file.failed ? evidenceHead(this.#file.mark.key) : null;
  }

  /** Counters for the summary. */
  stats(): { written: number; recorded: number; failures: number; deleted: number; current: string | null } {
    return { written: this.#written, recorded: this.#recorded, failures: this.#failures, deleted: this.#deleted, current: this.#file?.writer.path ?? null };
  }

  /** The evidence file the packets go to now (null without one, or after a write failure). */
  get currentPath(): string | null {
    return this.#file && !this.#file.failed ? this.#file.writer.path : null;
  }

  /**
   * Append one packet (from the capture callback) and number it as it stands in the file: `rec.frame`
   * and the offsets become the file's (Wireshark's frame number there), so the diagnostics and
   * engineering events of the live run point at a frame the engineer can open. A failure abandons the
   * file and is reported at the unit's end (the unit's later packets keep the run's numbering).
   */
  write(rec: CaptureRecord): void {
    const f = this.#file;
    if (!f || f.failed) return;
    try {
      const at = f.writer.size;
      f.writer.write(rec);
      rec.frame = f.writer.packets;
      rec.fileOffset = at;
      rec.dataFileOffset = at + 28;
    } catch (e) {
      this.#fail(f, e);
    }
  }

  /** Hand what is buffered to the operating system (every tick of a unit: a kill -9 loses at most that). */
  flush(): void {
    const f = this.#file;
    if (!f || f.failed) return;
    try {
      f.writer.flush();
    } catch (e) {
      this.#fail(f, e);
    }
  }

  /**
   * At a unit's end, before its deltas are committed: flush the file (so the committed offset is on
   * disk), then rotate when due (unless the capture is stopping). Returns what the unit's row records, and the unit's diagnostics.
   */
  boundary(now = Date.now(), mayRotate = true): EvidenceBoundary & { diagnostics: Diagnostic[] } {
    const f = this.#file;
    let b: EvidenceBoundary = { headHash: null, endOffset: 0 };
    if (f) {
      b = { headHash: evidenceHead(f.mark.key), endOffset: f.writer.size };
      if (!f.failed) {
        try {
          f.writer.flush();
        } catch (e) {
          this.#fail(f, e);
        }
      }
      if (f.failed) this.#detach(f);
    }
    if (mayRotate && now >= this.#rotateAt) {
      if (this.#file) this.#detach(this.#file);
      this.#rotateAt = nextMultiple(now, this.#opts.rotateMs);
      try {
        this.#file = this.#create(now);
      } catch (e) {
        this.#failures++;
        this.#pending.push(failure(e, `no evidence is written until the next rotation (${new Date(this.#rotateAt).toISOString()})`));
      }
    }
    const diagnostics = this.#pending;
    this.#pending = [];
    return { ...b, diagnostics };
  }

  /** The capture ended (no more packets): the file under way is flushed and ends. Returns what the last unit records. */
  end(): EvidenceBoundary & { diagnostics: Diagnostic[] } {
    const f = this.#file;
    const b: EvidenceBoundary = f ? { headHash: evidenceHead(f.mark.key), endOffset: f.writer.size } : { headHash: null, endOffset: 0 };
    if (f) this.#detach(f);
    const diagnostics = this.#pending;
    this.#pending = [];
    return { ...b, diagnostics };
  }

  /** The run failed: close every file without recording it (its live units say how far they committed). */
  abandon(): void {
    if (this.#file) this.#detach(this.#file);
    for (const f of this.#ending.splice(0)) {
      try {
        f.writer.close();
      } catch {
        // the run is failing already; the file keeps what reached it
      }
    }
  }

  /**
   * After the unit that ended them was committed: close each ended file (it stays open until then, so
   * that an ingest meanwhile sees it as being written, not as left open by a dead capture), record it in
   * the store (empty deltas, its fingerprint, a LIVE_EVIDENCE note), then delete the oldest of its own
   * files beyond --keep. Returns the problems met (a file that cannot be closed, read or deleted).
   */
  async settle(): Promise<Diagnostic[]> {
    const out: Diagnostic[] = [];
    const ending = this.#ending.splice(0);
    for (const f of ending) {
      try {
        f.writer.close();
      } catch (e) {
        this.#failures++;
        out.push(failure(e, 'the file keeps what was written before; the capture into the baseline goes on'));
      }
      const c = { path: f.writer.path, mark: f.mark, packets: f.writer.packets };
      let fp;
      try {
        fp = await fingerprintFile(c.path);
      } catch (e) {
        out.push({ code: 'LIVE_WRITE_FAILED', severity: 'warning', file: c.path, message: `cannot read the closed evidence file to record it (${(e as Error).message}); a later ingest still skips what this capture counted, by the file's mark` });
        continue;
      }
      const note: Diagnostic = {
        code: 'LIVE_EVIDENCE',
        severity: 'note',
        file: c.path,
        message: `live-capture evidence: written by zonescope capture on ${c.mark.interface} (run ${c.mark.run}, file ${c.mark.file}); its ${c.packets} packets are counted in the live units of that run, not here`,
      };
      this.#opts.store.commitCapture(
        {
          fingerprint: fp.id, headHash: fp.head, path: c.path, size: fp.size, format: 'pcapng', compression: 'none', linktypes: [this.#linktype],
          endOffset: fp.size, frames: 0, truncated: false, errors: 0, warnings: 0, resumedFrom: null,
        },
        emptyBatch(),
        [note],
        new Map([['LIVE_EVIDENCE', { severity: 'note', count: 1 }]]),
      );
      this.#recorded++;
    }
    if (ending.length > 0 && this.#opts.keep !== undefined) out.push(...(await this.#prune(this.#opts.keep)));
    return out;
  }

  #create(now: number): OpenFile {
    const o = this.#opts;
    this.#fileNo++;
    const mark: EvidenceMark = { key: randomUUID(), interface: o.interface, run: this.#run, file: this.#fileNo, ...this.#ident };
    const comment =
      `Written by zonescope capture on ${o.interface} (run ${this.#run}, file ${this.#fileNo}): its packets are counted in that run's baseline, ` +
      `and zonescope ingest skips what the run stored.\n${formatEvidenceMark(mark)}`;
    const base = `zonescope-${safeName(o.interface)}-${stamp(now)}`;
    for (let n = 1; ; n++) {
      const path = join(o.dir, `${base}${n === 1 ? '' : `-${n}`}.pcapng`);
      try {
        const writer = PcapngWriter.create(path, {
          linktype: this.#linktype, interfaceName: o.interface, tsResolution: 'us', filter: o.filter, snaplen: 65535, application: o.application, comment,
        });
        this.#written++;
        return { writer, mark, failed: false };
      } catch (e) {
        if (!(e instanceof PcapngWriteError && e.errno === 'EEXIST') || n >= 100) throw e;
      }
    }
  }

  #fail(f: OpenFile, e: unknown): void {
    f.failed = true;
    this.#failures++;
    this.#pending.push(failure(e, `the file keeps what was written before; the capture into the baseline goes on, and a new file is tried at the next rotation (${new Date(this.#rotateAt).toISOString()})`));
  }

  /** No more packets go to `f`: flushed now, closed and recorded by settle(). */
  #detach(f: OpenFile): void {
    if (!f.failed) {
      try {
        f.writer.flush();
      } catch (e) {
        this.#fail(f, e);
      }
    }
    this.#ending.push(f);
    if (this.#file === f) this.#file = null;
  }

  /** Delete the oldest of its own files beyond `keep`: named as it names them, for this interface, marked, and not open. */
  async #prune(keep: number): Promise<Diagnostic[]> {
    const o = this.#opts;
    const re = new RegExp(`^zonescope-${safeName(o.interface).replace(/[.]/g, '\\.')}-(\\d{8}T\\d{6}Z)(?:-(\\d+))?\\.pcapng$`);
    let names: string[];
    try {
      names = await readdir(o.dir);
    } catch (e) {
      return [{ code: 'LIVE_WRITE_FAILED', severity: 'warning', file: o.dir, message: `cannot list ${o.dir} to apply --keep (${(e as Error).message})` }];
    }
    const current = this.#file?.writer.path ?? null;
    const own: Array<{ path: string; order: string }> = [];
    for (const name of names) {
      const m = re.exec(name);
      if (!m) continue;
      const path = join(o.dir, name);
      const mark = await readEvidenceMark(path);
      if (!mark || mark.interface !== o.interface) continue;
      // Another capture's open file is not ours to delete.
      if (path !== current && mark.pid !== process.pid && writerRunning(mark) === true) continue;
      own.push({ path, order: `${m[1]}-${(m[2] ?? '1').padStart(4, '0')}` });
    }
    own.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    const out: Diagnostic[] = [];
    const excess = own.filter((f) => f.path !== current).slice(0, Math.max(0, own.length - keep));
    for (const f of excess) {
      try {
        await unlink(f.path);
        this.#deleted++;
      } catch (e) {
        out.push({ code: 'LIVE_WRITE_FAILED', severity: 'warning', file: f.path, message: `cannot delete it for --keep ${keep} (${(e as Error).message}): delete it by hand or fix the folder's permissions` });
      }
    }
    return out;
  }
}

function failure(e: unknown, consequence: string): Diagnostic {
  const msg = e instanceof PcapngWriteError ? e.message : (e as Error).message;
  const what =
    e instanceof PcapngWriteError && (e.errno === 'ENOSPC' || e.errno === 'EDQUOT')
      ? 'free space in the folder (or lower --keep)'
      : 'check that the folder exists and this user can write it';
  return { code: 'LIVE_WRITE_FAILED', severity: 'warning', file: e instanceof PcapngWriteError ? e.path : undefined, message: `evidence file: ${msg}: ${what}; ${consequence}` };
}

function nextMultiple(now: number, every: number): number {
  return (Math.floor(now / every) + 1) * every;
}

/** 20261202T012500Z */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

function safeName(iface: string): string {
  return iface.replace(/[^\w.-]/g, '_');
}

function emptyBatch(): FlowBatch {
  return {
    flows: [], identities: [], macs: [], arp: [], l2: [], scans: [], protocols: [], events: [], capturePoints: [], liveConnections: 0,
    counters: { frames: 0, ipPackets: 0, arpPackets: 0, otherL2: 0, stp: 0, truncated: 0, malformed: 0, unsupportedLinktype: 0, bytes: 0, firstTs: 0, lastTs: 0 },
  };
}
