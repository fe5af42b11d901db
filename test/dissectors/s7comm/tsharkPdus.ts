/**
 * Test helper: real S7 PDUs out of a capture, with tshark as the packet reader and oracle.
 *  - tsharkRows(file, fields): one row per frame (all occurrences joined with ',').
 *  - capturePdus(file): TCP payloads per stream and direction (retransmissions and keep-alives
 *    skipped), framed with the dissector's own pduLength (tpktPduLength).
 *  - tsharkCounts(file) / countFn(): per-stream per-function counts, tshark's and ours, in one format.
 */
import { tsharkFields } from '../../util/tshark.js';
import { join } from 'node:path';
import { CAPTURES_DIR } from '../../util/captures.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../../../src/dissectors/types.js';
import { createS7State, decodeS7comm, tpktPduLength, type S7State } from '../../../src/dissectors/s7comm/index.js';
import { RecordingSink } from '../../util/recordingSink.js';

export const CAPTURES = join(CAPTURES_DIR, 's7comm');

export function tsharkRows(file: string, fields: string[], filter = 'tcp.len > 0', extra: string[] = []): string[][] {
  return tsharkFields(file, fields, { extra: ['-n', '-o', 'tcp.desegment_tcp_streams:TRUE', ...extra], filter });
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

export const KIND_NAMES = ['req', 'resp', 'exc'];

function add(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

export function sorted(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

const fnKey = (stream: number | string, space: number, code: number, kind: number): string =>
  `${stream}|${space}|0x${code.toString(16)}|${KIND_NAMES[kind]}`;
/** S7comm-plus has no tshark dissector: only "request" (towards port 102) or not can be compared. */
const plusKey = (stream: number | string, request: boolean): string => `${stream}|plus|${request ? 'req' : 'resp'}`;

/** Adds one of our fn() calls: space 0/1 by (stream, space, code, kind), space 2 by (stream, request or not). */
export function countFn(m: Map<string, number>, stream: number, f: { space: number; code: number; kind: number }): void {
  if (f.space === 2) add(m, plusKey(stream, f.kind === KIND_REQUEST));
  else add(m, fnKey(stream, f.space, f.code, f.kind));
}

const ORACLE_FIELDS = [
  'frame.number',
  'tcp.stream',
  'tcp.srcport',
  'tpkt.length',
  'cotp.type',
  's7comm.header.rosctr',
  's7comm.header.pduref',
  's7comm.param.func',
  's7comm.param.userdata.type',
  's7comm.param.userdata.funcgroup',
  's7comm.param.userdata.subfunc',
  's7comm.header.errcls',
  's7comm.header.errcod',
  's7comm.param.errcod',
  'tcp.payload',
  'tcp.analysis.retransmission',
  'tcp.analysis.keep_alive',
];

/**
 * tshark's counts for a capture, with our conventions: COTP CR/CC/DR/DC/ER in space 3 ('cotp') by
 * TPDU code (CR/DR requests, ER exception, CC/DC responses); an Ack without function named by the
 * Job with the same PDU reference (0x200 if none); exception = header error class/code != 0 (Ack,
 * Ack_Data) or userdata parameter error code != 0; userdata push = response; S7comm-plus = a DT TPDU
 * whose payload starts with 0x72, a request when sent to port 102. Retransmissions and keep-alives
 * are left out (we count each PDU once).
 */
export function tsharkCounts(path: string): Map<string, number> {
  const m = new Map<string, number>();
  const jobs = new Map<string, number>();
  for (const r of tsharkRows(path, ORACLE_FIELDS)) {
    const [, stream, sport, tpkt, cotp, rosctr, pduref, func, udType, group, sub, errcls, errcod, perr, payload, retrans, keep] = r;
    if (retrans || keep || !tpkt) continue;
    if (tpkt.includes(',')) throw new Error('this oracle reads one TPKT per frame');
    const type = Number(cotp);
    if (type !== 0x0f) {
      const kind = type === 0x0e || type === 0x08 ? KIND_REQUEST : type === 0x07 ? KIND_EXCEPTION : KIND_RESPONSE;
      add(m, fnKey(stream!, 3, type << 4, kind));
    } else if (rosctr) {
      const ros = Number(rosctr);
      if (ros === 1) {
        add(m, fnKey(stream!, 0, Number(func), KIND_REQUEST));
        jobs.set(`${stream}|${pduref}`, Number(func));
      } else if (ros === 2 || ros === 3) {
        const f = func ? Number(func) : (jobs.get(`${stream}|${pduref}`) ?? 0x200);
        add(m, fnKey(stream!, 0, f, Number(errcls) || Number(errcod) ? KIND_EXCEPTION : KIND_RESPONSE));
      } else if (ros === 7) {
        const t = Number(udType);
        const kind = t === 4 ? KIND_REQUEST : t === 8 && Number(perr) ? KIND_EXCEPTION : KIND_RESPONSE;
        add(m, fnKey(stream!, 1, (Number(group) << 8) | Number(sub), kind));
      }
    } else if (payload!.slice(14, 16) === '72') {
      add(m, plusKey(stream!, sport !== '102'));
    }
  }
  return m;
}

/** Decode one S7 TPKT PDU into a fresh RecordingSink (a new connection state unless one is given). */
export function decode(pdu: Buffer, dir: number, state: S7State = createS7State()): RecordingSink {
  const sink = new RecordingSink();
  decodeS7comm(state, pdu, 0, pdu.length, dir, sink);
  return sink;
}
