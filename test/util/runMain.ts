/** The CLI in this process (main() from source) with captured stdout and stderr. */
import { main } from '../../src/cli/main.js';
import { NullStream } from './nullStream.js';

export async function runMain(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new NullStream();
  const err = new NullStream();
  const code = await main(args, { stdout: out as unknown as NodeJS.WriteStream, stderr: err as unknown as NodeJS.WriteStream });
  return { code, out: out.text, err: err.text };
}
