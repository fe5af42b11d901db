import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { CliInputError } from '../../src/cli/commands/command.js';
import { spoolStdin } from '../../src/cli/stdinCapture.js';

describe('spoolStdin', () => {
  test('spoolStdin(a stream) copies it to a temporary file that remove() deletes', async () => {
    const s = await spoolStdin(Readable.from([Buffer.from('abc'), Buffer.from('def')]));
    expect(s.bytes).toBe(6);
    expect(readFileSync(s.path, 'utf8')).toBe('abcdef');
    s.remove();
    expect(existsSync(s.path)).toBe(false);
  });

  test('spoolStdin(an empty stream | a terminal) is a CliInputError that says how to pipe one in', async () => {
    await expect(spoolStdin(Readable.from([]))).rejects.toThrow(new CliInputError('standard input was empty: no capture to ingest (pipe one in: cat f.pcap | zonescope ingest -)'));
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    await expect(spoolStdin(tty)).rejects.toThrow(/standard input is a terminal/);
  });
});
