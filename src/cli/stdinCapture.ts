/**
 * `-` as an input: the capture on standard input (pcap or pcapng, plain or gzip) is copied to a
 * temporary file, so it is fingerprinted, ordered and committed like any capture file (the same
 * capture piped twice is skipped the second time). The copy is removed when the command ends.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CliInputError } from './commands/command.js';

export interface SpooledInput {
  path: string;
  bytes: number;
  remove(): void;
}

export async function spoolStdin(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<SpooledInput> {
  if (stdin.isTTY) {
    throw new CliInputError("'-' reads a capture from standard input, but standard input is a terminal; pipe one in: cat f.pcap | zonescope ingest -");
  }
  const dir = mkdtempSync(join(tmpdir(), 'zonescope-stdin-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'standard-input');
  try {
    await pipeline(stdin, createWriteStream(path));
  } catch (e) {
    remove();
    throw new CliInputError(`cannot read standard input: ${(e as Error).message}`);
  }
  const bytes = statSync(path).size;
  if (bytes === 0) {
    remove();
    throw new CliInputError("standard input was empty: no capture to ingest (pipe one in: cat f.pcap | zonescope ingest -)");
  }
  return { path, bytes, remove };
}
