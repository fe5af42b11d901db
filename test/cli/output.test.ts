import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliInputError, type CliContext } from '../../src/cli/commands/command.js';
import { prepareOutDir, writeOutput } from '../../src/cli/output.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-out-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let printed = '';
const ctx: CliContext = { out: (s) => void (printed += s), err: () => undefined, stdoutIsTTY: false, stderrIsTTY: false, columns: 80 };

describe('output', () => {
  test('prepareOutDir(missing nested folder) creates it; (a file) and (/proc/x) are one-line CliInputErrors', () => {
    const d = join(tmp, 'a', 'b', 'c');
    expect(prepareOutDir(d)).toBe(d);
    expect(existsSync(d)).toBe(true);
    const f = join(tmp, 'file');
    writeFileSync(f, 'x');
    expect(() => prepareOutDir(f)).toThrow(new CliInputError(`--out ${f}: is a file, not a folder`));
    expect(() => prepareOutDir(join(f, 'sub'))).toThrow(`${f} is a file, not a folder`);
    expect(() => prepareOutDir('/proc/zonescope-x')).toThrow(/cannot create folder \/proc\/zonescope-x: no such file or directory \(ENOENT\)/);
  });

  test("writeOutput(file | '-') writes the file or standard output; a missing folder or a folder as file is a CliInputError", () => {
    const f = join(tmp, 'x.json');
    writeOutput(f, 'hello', ctx);
    expect(readFileSync(f, 'utf8')).toBe('hello');
    writeOutput('-', 'to stdout', ctx);
    expect(printed).toBe('to stdout');
    expect(() => writeOutput(join(tmp, 'nope', 'x.json'), 'x', ctx)).toThrow(`folder ${join(tmp, 'nope')} does not exist`);
    expect(() => writeOutput(tmp, 'x', ctx, '--csv')).toThrow(`--csv ${tmp}: is a folder; name a file inside it`);
  });
});
