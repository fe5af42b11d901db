/**
 * The mark that `zonescope capture --write` leaves in the Section Header Block comment of each pcapng
 * file it writes (PcapngWriter), so that a later `zonescope ingest` recognises the file by its
 * content (whatever its name, gzipped or not) as evidence of a live run whose packets are already in
 * that run's baseline:
 *
 *   zonescope-live-evidence: key=<uuid> interface=<IF> run=<live:IF@START> file=<n> pid=<pid> boot=<boot id> start=<ticks>
 *
 * `key` names the file in the store (the live units that counted its packets record it with the
 * offset up to which they did); `pid`, `boot` (Linux's boot id) and `start` (the process start time
 * in clock ticks, /proc/PID/stat field 22) tell whether the capture that writes it is still running,
 * without being fooled by a reused pid.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';

export interface EvidenceMark {
  key: string;
  interface: string;
  run: string;
  file: number;
  pid: number;
  boot: string;
  start: string;
}

const PREFIX = 'zonescope-live-evidence:';
const FIELDS = ['key', 'interface', 'run', 'file', 'pid', 'boot', 'start'] as const;

/** The comment line for `mark` (values are written without spaces). */
export function formatEvidenceMark(mark: EvidenceMark): string {
  return `${PREFIX} ${FIELDS.map((f) => `${f}=${String(mark[f]).replace(/\s/g, '_')}`).join(' ')}`;
}

/** The mark in a comment, or null. */
export function parseEvidenceMark(comment: string): EvidenceMark | null {
  const line = comment.split('\n').find((l) => l.startsWith(PREFIX));
  if (!line) return null;
  const kv = new Map<string, string>();
  for (const part of line.slice(PREFIX.length).trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) kv.set(part.slice(0, eq), part.slice(eq + 1));
  }
  if (FIELDS.some((f) => !kv.get(f))) return null;
  const file = Number(kv.get('file'));
  const pid = Number(kv.get('pid'));
  if (!Number.isInteger(file) || !Number.isInteger(pid)) return null;
  return { key: kv.get('key')!, interface: kv.get('interface')!, run: kv.get('run')!, file, pid, boot: kv.get('boot')!, start: kv.get('start')! };
}

/** The mark in the first section header of a pcapng file (plain or gzip), or null (not marked, not pcapng, unreadable). */
export async function readEvidenceMark(path: string): Promise<EvidenceMark | null> {
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(16 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) head = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return null;
  }
  for (const c of sectionComments(head)) {
    const m = parseEvidenceMark(c);
    if (m) return m;
  }
  return null;
}

/** opt_comment values of the Section Header Block at the start of `b` (draft-ietf-opsawg-pcapng §4.1, §3.5). */
function sectionComments(b: Buffer): string[] {
  if (b.length < 28 || b.readUInt32LE(0) !== 0x0a0d0d0a) return [];
  const le = b.readUInt32LE(8) === 0x1a2b3c4d;
  if (!le && b.readUInt32BE(8) !== 0x1a2b3c4d) return [];
  const u16 = (p: number): number => (le ? b.readUInt16LE(p) : b.readUInt16BE(p));
  const len = le ? b.readUInt32LE(4) : b.readUInt32BE(4);
  const end = Math.min(b.length, len - 4);
  const out: string[] = [];
  for (let p = 24; p + 4 <= end; ) {
    const code = u16(p);
    const n = u16(p + 2);
    if (code === 0 || p + 4 + n > end) break;
    if (code === 1) out.push(b.toString('utf8', p + 4, p + 4 + n));
    p += 4 + ((n + 3) & ~3);
  }
  return out;
}

/** This process's identity for the mark: pid, boot id and start time ('?' where Linux's /proc is absent). */
export function processIdentity(): { pid: number; boot: string; start: string } {
  return { pid: process.pid, boot: bootId() ?? '?', start: startTicks(process.pid) ?? '?' };
}

/**
 * Whether the capture that wrote `mark` is still running: true (same boot, that pid alive with the
 * same start time), false (rebooted since, or the process is gone or another one), or null when this
 * cannot be told (no /proc, or the mark has no identity).
 */
export function writerRunning(mark: EvidenceMark): boolean | null {
  const boot = bootId();
  if (boot === null || mark.boot === '?' || mark.start === '?') return null;
  if (boot !== mark.boot) return false;
  const start = startTicks(mark.pid);
  return start !== null && start === mark.start;
}

/**
 * Whether the capture that wrote `mark` still has the file at `path` open (it writes it, or the unit
 * that ended it is not committed yet): true, false (that capture is gone, or has closed the file), or
 * null when this cannot be told (no /proc, or its open files are not readable by this user).
 */
export function fileOpenByWriter(mark: EvidenceMark, path: string): boolean | null {
  const running = writerRunning(mark);
  if (running !== true) return running;
  let file: { dev: number; ino: number };
  let fds: string[];
  try {
    file = statSync(path);
    fds = readdirSync(`/proc/${mark.pid}/fd`);
  } catch {
    return null;
  }
  for (const fd of fds) {
    try {
      const st = statSync(`/proc/${mark.pid}/fd/${fd}`);
      if (st.dev === file.dev && st.ino === file.ino) return true;
    } catch {
      // closed meanwhile, or not a file
    }
  }
  // It ran on while we looked: a file it closed meanwhile is closed.
  return false;
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function startTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime 22.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null;
  } catch {
    return null;
  }
}
