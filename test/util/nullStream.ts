import { Writable } from 'node:stream';

/** A writable that keeps what is written (for CLI tests); not a TTY, so no progress bar. */
export class NullStream extends Writable {
  text = '';
  isTTY = false;
  columns = 100;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}
