/**
 * LiveCapture in a process of its own, so that the native `cap` module never loads into the jest
 * process (its handles must not be torn down there). Usage:
 *   node --import tsx test/util/liveProbe.ts list
 *   node --import tsx test/util/liveProbe.ts capture IFACE MS [FILTER]
 * `capture` prints "ready" once capturing, then after MS milliseconds one JSON line:
 * {linktype, frames: [hex...], stats} or {error: code, message}.
 */
import { LiveCapture, LiveCaptureError, listInterfaces } from '../../src/ingest/liveCapture.js';

const [mode, iface, ms, filter] = process.argv.slice(2);
const print = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v)}\n`);

if (mode === 'list') {
  print(listInterfaces());
} else {
  const frames: string[] = [];
  try {
    const cap = LiveCapture.open({ interface: iface!, filter }, (r) => frames.push(r.data.subarray(r.offset, r.offset + r.caplen).toString('hex')));
    process.stdout.write('ready\n');
    setTimeout(() => {
      const stats = cap.stats();
      cap.close();
      print({ linktype: cap.linktype, frames, stats });
    }, Number(ms));
  } catch (e) {
    if (e instanceof LiveCaptureError) print({ error: e.code, message: e.message });
    else throw e;
  }
}
