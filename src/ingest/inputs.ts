/**
 * Expands command-line inputs (files, directories, glob patterns) into an ordered, de-duplicated list
 * of capture files. node:fs has no glob in Node 20 (fs.promises.glob arrived in Node 22), so the
 * patterns are matched here: `*` and `?` within one path segment, `**` across any number of
 * directories (zero included). Hidden entries (names starting with '.') are not matched by wildcards
 * nor visited when walking directories, as in a shell; a walk (and `**`) does not descend into
 * symlinked directories, as `find` without -L.
 *
 * A file named explicitly is always taken (the reader diagnoses it if it is not a capture). Files found
 * by walking a directory or matching a pattern are taken when their extension is a capture one
 * (.pcap .pcapng .cap, each optionally + .gz) or, failing that, when their first bytes are a pcap,
 * pcapng or gzip-wrapped pcap/pcapng magic number.
 */
import { constants as fsConstants } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import type { Diagnostic } from '../diagnostics.js';

export interface ExpandedInputs {
  files: string[];
  diagnostics: Diagnostic[];
}

const CAPTURE_EXTENSIONS = ['.pcap', '.pcapng', '.cap', '.pcap.gz', '.pcapng.gz', '.cap.gz'];

/** True when the name ends with a capture extension (case-insensitive). */
export function hasCaptureExtension(name: string): boolean {
  const n = name.toLowerCase();
  return CAPTURE_EXTENSIONS.some((e) => n.endsWith(e));
}

function isCaptureMagic(b: Buffer): boolean {
  if (b.length < 4) return false;
  const be = b.readUInt32BE(0);
  const le = b.readUInt32LE(0);
  for (const m of [0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34]) if (be === m || le === m) return true;
  return be === 0x0a0d0d0a;
}

/** True when the file starts with a pcap/pcapng magic number, directly or inside gzip. */
export async function sniffCapture(path: string): Promise<boolean> {
  let head: Buffer;
  try {
    const fh = await open(path, fsConstants.O_RDONLY);
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    try {
      // A partial gzip member: Z_SYNC_FLUSH returns what inflated so far instead of failing.
      head = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch {
      return false;
    }
  }
  return isCaptureMagic(head);
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/** Compiles one path segment of a pattern (`*`, `?`; everything else literal) to a RegExp. */
function segmentRegExp(seg: string): RegExp {
  let re = '^';
  for (const ch of seg) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

async function statOrNull(p: string): Promise<Awaited<ReturnType<typeof stat>> | null> {
  try {
    return await stat(p);
  } catch {
    return null;
  }
}

async function lstatOrNull(p: string): Promise<Awaited<ReturnType<typeof lstat>> | null> {
  try {
    return await lstat(p);
  } catch {
    return null;
  }
}

async function sortedEntries(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function expandInputs(inputs: string[]): Promise<ExpandedInputs> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();

  const add = async (p: string): Promise<void> => {
    let key: string;
    try {
      key = await realpath(p);
    } catch {
      key = resolve(p);
    }
    if (seen.has(key)) return;
    seen.add(key);
    files.push(p);
  };

  /** Adds a file found by walking or matching, if it looks like a capture. */
  const addFound = async (p: string, name: string): Promise<boolean> => {
    if (hasCaptureExtension(name) || (await sniffCapture(p))) {
      await add(p);
      return true;
    }
    return false;
  };

  /** Walks a directory recursively in name order; returns the number of captures found. */
  const walk = async (dir: string, visited: Set<string>): Promise<number> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      real = resolve(dir);
    }
    if (visited.has(real)) return 0; // symlink loop
    visited.add(real);
    let names: string[];
    try {
      names = await sortedEntries(dir);
    } catch (e) {
      diagnostics.push({ code: 'INPUT_UNREADABLE', severity: 'error', message: `cannot list directory: ${(e as Error).message}`, file: dir });
      return 0;
    }
    let found = 0;
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      const lst = await lstatOrNull(p);
      if (!lst) continue;
      // Like `find`, a walk does not descend into symlinked directories (symlinked files count).
      if (lst.isDirectory()) found += await walk(p, visited);
      else if (lst.isFile() || (lst.isSymbolicLink() && (await statOrNull(p))?.isFile())) {
        if (await addFound(p, name)) found++;
      }
    }
    return found;
  };

  /** Matches pattern segments from index i under dir; returns the number of captures found. */
  const match = async (dir: string, segs: string[], i: number, visited: Set<string>): Promise<number> => {
    if (i === segs.length) {
      const st = await statOrNull(dir);
      if (!st) return 0;
      if (st.isDirectory()) return walk(dir, new Set());
      if (st.isFile()) return (await addFound(dir, dir.slice(dir.lastIndexOf(sep) + 1))) ? 1 : 0;
      return 0;
    }
    const seg = segs[i];
    if (seg === '**') {
      let real: string;
      try {
        real = await realpath(dir);
      } catch {
        return 0;
      }
      if (visited.has(real)) return 0;
      const inner = new Set(visited).add(real);
      // Zero directories, then one more level of any directory.
      let found = await match(dir, segs, i + 1, inner);
      let names: string[];
      try {
        names = await sortedEntries(dir);
      } catch {
        return found;
      }
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const p = join(dir, name);
        const st = await lstatOrNull(p);
        if (st?.isDirectory()) found += await match(p, segs, i, inner);
      }
      return found;
    }
    if (!hasWildcard(seg)) {
      const p = join(dir, seg);
      return (await statOrNull(p)) ? match(p, segs, i + 1, visited) : 0;
    }
    const re = segmentRegExp(seg);
    let names: string[];
    try {
      names = await sortedEntries(dir);
    } catch {
      return 0;
    }
    let found = 0;
    for (const name of names) {
      if (name.startsWith('.') && !seg.startsWith('.')) continue;
      if (!re.test(name)) continue;
      const p = join(dir, name);
      if (i + 1 === segs.length) {
        const st = await statOrNull(p);
        if (st?.isDirectory()) found += await walk(p, new Set());
        else if (st?.isFile() && (await addFound(p, name))) found++;
      } else {
        const st = await statOrNull(p);
        if (st?.isDirectory()) found += await match(p, segs, i + 1, visited);
      }
    }
    return found;
  };

  for (const input of inputs) {
    if (hasWildcard(input)) {
      const absolute = input.startsWith(sep);
      const segs = input.split(sep).filter((s, k) => s !== '' && !(s === '.' && k > 0));
      // Static prefix: the leading segments without wildcards.
      let k = 0;
      while (k < segs.length && !hasWildcard(segs[k])) k++;
      let base = segs.slice(0, k).join(sep);
      if (absolute) base = sep + base;
      if (base === '') base = '.';
      const found = await match(base, segs, k, new Set());
      if (found === 0) {
        diagnostics.push({ code: 'INPUT_NOT_FOUND', severity: 'error', message: 'no capture file matches this pattern', file: input });
      }
      continue;
    }
    const st = await statOrNull(input);
    if (!st) {
      diagnostics.push({ code: 'INPUT_NOT_FOUND', severity: 'error', message: 'no such file or directory', file: input });
      continue;
    }
    if (st.isDirectory()) {
      const found = await walk(input, new Set());
      if (found === 0) {
        diagnostics.push({ code: 'INPUT_NO_CAPTURES', severity: 'warning', message: 'directory holds no capture file', file: input });
      }
    } else {
      await add(input);
    }
  }
  return { files, diagnostics };
}
