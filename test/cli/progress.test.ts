import { Writable } from 'node:stream';
import { createProgress, progressBarSize, progressTextWidth } from '../../src/cli/progress.js';

class FakeTty extends Writable {
  text = '';
  isTTY = true;
  constructor(readonly columns: number) {
    super();
  }
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += c.toString();
    cb();
  }
  cursorTo(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
}

describe('progress', () => {
  test('progressBarSize(columns) leaves room for the whole text line', () => {
    for (const cols of [80, 120]) {
      const size = progressBarSize(cols, 999, 99_999);
      expect(size + progressTextWidth(999, 99_999)).toBeLessThanOrEqual(cols - 1);
    }
    expect(progressBarSize(200, 1, 1)).toBe(40);
  });

  test('createProgress(an 80-column TTY) draws lines of at most 80 columns that end with the ETA; stop() clears the line', () => {
    const tty = new FakeTty(80);
    const p = createProgress(tty as unknown as NodeJS.WriteStream, true);
    p.update({ file: 3, files: 672, path: 'x', bytesDone: 5e9, bytesTotal: 99e9, packets: 9_999_999, elapsedMs: 1000 });
    p.stop();
    const frames = tty.text.split('\x1b[1G').map((s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '')).filter((s) => s.includes('files'));
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) {
      expect([...f].length).toBeLessThanOrEqual(80);
      expect(f).toMatch(/672 files .* ETA \S+$/);
    }
    expect(tty.text.endsWith('\x1b[2K') || tty.text.includes('\x1b[2K')).toBe(true);
  });

  test('createProgress(not a TTY or disabled) writes nothing', () => {
    const tty = new FakeTty(80);
    tty.isTTY = false;
    const p = createProgress(tty as unknown as NodeJS.WriteStream, true);
    p.update({ file: 1, files: 1, path: 'x', bytesDone: 1, bytesTotal: 2, packets: 1, elapsedMs: 1 });
    p.stop();
    expect(tty.text).toBe('');
  });
});
