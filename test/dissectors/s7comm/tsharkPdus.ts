/**
 * Test helper: real S7 PDUs out of a capture, with tshark as the packet reader and oracle.
 *  - tsharkRows(file, fields): one row per frame (all occurrences joined with ',').
 *  - capturePdus(file): TCP payloads per stream and direction (retransmissions and keep-alives
 *    skipped), framed with the dissector's own pduLength (tpktPduLength).
 */
import { execFileSync } from 'node:child_process';
import { DIR_TO_CLIENT, DIR_TO_SERVER } from '../../../src/dissectors/types.js';
import { tpktPduLength } from '../../../src/dissectors/s7comm/index.js';

export const CAPTURES = '/work/shared/captures/s7comm';

export function tsharkRows(file: string, fields: string[], filter = 'tcp.len > 0', extra: string[] = []): string[][] {
  const args = ['-r', file, '-n', '-o', 'tcp.desegment_tcp_streams:TRUE', ...extra, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

export interface CapturedPdu {
  frame: number;
  stream: number;
  dir: number;
  pdu: Buffer;
}

/** TPKT PDUs of every TCP/102 stream, in capture order, framed with tpktPduLength. */
export function capturePdus(file: string): CapturedPdu[] {
  const rows = tsharkRows(file, [
    'frame.number',
    'tcp.stream',
    'tcp.srcport',
    'tcp.dstport',
    'tcp.payload',
    'tcp.analysis.retransmission',
    'tcp.analysis.keep_alive',
  ]);
  const pending = new Map<string, { buf: Buffer; frame: number }>();
  const out: CapturedPdu[] = [];
  for (const [frame, stream, sport, dport, payload, retrans, keepAlive] of rows) {
    if (retrans || keepAlive || !payload) continue;
    const dir = sport === '102' ? DIR_TO_CLIENT : dport === '102' ? DIR_TO_SERVER : -1;
    if (dir < 0) continue;
    const key = `${stream}/${dir}`;
    const prev = pending.get(key);
    let buf = Buffer.concat([prev?.buf ?? Buffer.alloc(0), Buffer.from(payload.replace(/:/g, ''), 'hex')]);
    for (;;) {
      const n = tpktPduLength(buf, 0, buf.length);
      if (n <= 0 || n > buf.length) {
        if (n < 0) throw new Error(`${file} frame ${frame}: not a TPKT`);
        break;
      }
      out.push({ frame: Number(frame), stream: Number(stream), dir, pdu: Buffer.from(buf.subarray(0, n)) });
      buf = buf.subarray(n);
    }
    pending.set(key, { buf, frame: Number(frame) });
  }
  return out;
}

const cache = new Map<string, CapturedPdu[]>();

/** The PDU that ends in the given frame of a capture under CAPTURES (cached per file). */
export function pduOfFrame(file: string, frame: number): CapturedPdu {
  let pdus = cache.get(file);
  if (!pdus) cache.set(file, (pdus = capturePdus(`${CAPTURES}/${file}`)));
  const p = pdus.find((x) => x.frame === frame);
  if (!p) throw new Error(`${file}: no PDU in frame ${frame}`);
  return p;
}
