/**
 * Writing what a command produces: a file (`--json FILE`, `-` for standard output) or an output folder
 * (`--out DIR`). Every failure is one CliInputError naming the path and the reason (a missing parent
 * folder, a file where a folder is wanted, no permission, a pseudo file system such as /proc), never a
 * stack trace; folders are created one level at a time, so a path that cannot exist fails at once.
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliInputError, type CliContext } from './commands/command.js';

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    ENOENT: 'no such file or directory',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EISDIR: 'it is a folder',
    ENOSPC: 'no space left on the device',
    EEXIST: 'it exists and is not a folder',
  };
  return err.code && why[err.code] ? `${why[err.code]} (${err.code})` : err.message;
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p) ?? null;
  } catch {
    return null;
  }
}

/** Make sure `dir` is a writable folder, creating it (and missing parents) when needed. Returns the absolute path. */
export function prepareOutDir(dir: string, option = '--out'): string {
  const abs = resolve(dir);
  const missing: string[] = [];
  let p = abs;
  let st = statOrNull(p);
  while (st === null) {
    missing.unshift(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
    st = statOrNull(p);
  }
  if (st !== null && !st.isDirectory()) {
    throw new CliInputError(`${option} ${dir}: ${p === abs ? 'is a file, not a folder' : `${p} is a file, not a folder`}`);
  }
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      throw new CliInputError(`${option} ${dir}: cannot create folder ${m}: ${reason(e)}`);
    }
  }
  try {
    accessSync(abs, constants.W_OK);
  } catch (e) {
    throw new CliInputError(`${option} ${dir}: cannot write into this folder: ${reason(e)}`);
  }
  return abs;
}

/** Write `text` to `file`, or to standard output when `file` is `-`. */
export function writeOutput(file: string, text: string, ctx: CliContext, option = '--json'): void {
  if (file === '-') {
    ctx.out(text);
    return;
  }
  if (file === '') throw new CliInputError(`${option}: expected a file name (or - for standard output)`);
  const abs = resolve(file);
  const st = statOrNull(abs);
  if (st?.isDirectory()) throw new CliInputError(`${option} ${file}: is a folder; name a file inside it`);
  const parent = statOrNull(dirname(abs));
  if (parent === null) throw new CliInputError(`${option} ${file}: folder ${dirname(abs)} does not exist`);
  if (!parent.isDirectory()) throw new CliInputError(`${option} ${file}: ${dirname(abs)} is a file, not a folder`);
  try {
    writeFileSync(abs, text);
  } catch (e) {
    throw new CliInputError(`${option} ${file}: cannot write: ${reason(e)}`);
  }
}
