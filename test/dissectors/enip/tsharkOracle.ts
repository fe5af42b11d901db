/**
 * Test helper: tshark as the oracle for EtherNet/IP + CIP counts.
 *  - extractPdus(): the PDUs of a capture, per stream, in capture order. TCP payloads are put back
 *    in sequence order per direction (retransmitted bytes are dropped: we count each PDU once) and
 *    framed with the dissector's own pduLength(); UDP datagrams are PDUs as they are.
 *  - tsharkCounts(): per stream, tshark's count of every CIP service (`cip.service` of every CIP
 *    message in its tree, embedded ones included) and encapsulation command, by kind.
 */
import { tshark } from '../../util/tshark.js';
import type { Dissector } from '../../../src/dissectors/types.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../../../src/dissectors/types.js';
import { RecordingSink } from '../../util/recordingSink.js';

export interface StreamPdu {
  frame: number;
  /** 'tcp:0', 'udp:3' ... (tshark's stream index). */
  stream: string;
  toServer: boolean;
  pdu: Buffer;
}


/** PDUs of `file` on `port` (server side), framed with `d.pduLength` for TCP. */
export function extractPdus(file: string, d: Dissector, port: number): StreamPdu[] {
  const out = tshark([
    '-r', file, '-Y', `tcp.port==${port} || udp.port==${port}`, '-T', 'fields', '-E', 'separator=\t',
    '-o', 'tcp.desegment_tcp_streams:FALSE',
    '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'udp.stream', '-e', 'tcp.dstport', '-e', 'udp.dstport',
    '-e', 'tcp.seq_raw', '-e', 'tcp.payload', '-e', 'udp.payload',
  ]);
  const pdus: StreamPdu[] = [];
  // Per TCP stream and direction: next expected sequence number and the bytes not framed yet.
  const dirs = new Map<string, { next: number; pending: Buffer }>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [frameS, tcpStream, udpStream, tcpDst, udpDst, seqS, tcpPayload, udpPayload] = line.split('\t');
    const frame = Number(frameS);
    if (udpStream) {
      if (!udpPayload) continue;
      pdus.push({ frame, stream: `udp:${udpStream}`, toServer: Number(udpDst) === port, pdu: Buffer.from(udpPayload, 'hex') });
      continue;
    }
    if (!tcpPayload) continue;
    const toServer = Number(tcpDst) === port;
    const key = `${tcpStream}:${toServer}`;
    let payload = Buffer.from(tcpPayload, 'hex');
    let seq = Number(seqS);
    let st = dirs.get(key);
    if (!st) {
      st = { next: seq, pending: Buffer.alloc(0) };
      dirs.set(key, st);
    }
    if (seq < st.next) {
      // Retransmission (entirely or partly old data): keep only the new tail.
      const skip = st.next - seq;
      if (skip >= payload.length) continue;
      payload = payload.subarray(skip);
      seq = st.next;
    }
    if (seq !== st.next) throw new Error(`${file}: frame ${frame}: sequence gap in tcp stream ${tcpStream}`);
    st.next = seq + payload.length;
    st.pending = Buffer.concat([st.pending, payload]);
    for (;;) {
      const n = d.pduLength!(st.pending, 0, st.pending.length);
      if (n <= 0 || n > st.pending.length) {
        if (n < 0) throw new Error(`${file}: frame ${frame}: pduLength -1`);
        break;
      }
      pdus.push({ frame, stream: `tcp:${tcpStream}`, toServer, pdu: Buffer.from(st.pending.subarray(0, n)) });
      st.pending = st.pending.subarray(n);
    }
  }
  return pdus;
}

export type Counts = Record<string, Record<string, number>>;

function bump(counts: Counts, stream: string, key: string): void {
  const s = (counts[stream] ??= {});
  s[key] = (s[key] ?? 0) + 1;
}

export const KIND_NAMES = ['request', 'response', 'exception'];

/** Our counts: decode every PDU with one state per stream; key `space/0xcode/kind`. */
export function ourCounts(d: Dissector, pdus: StreamPdu[], useDirection = true): { counts: Counts; violations: string[] } {
  const states = new Map<string, unknown>();
  const counts: Counts = {};
  const violations: string[] = [];
  for (const p of pdus) {
    let st = states.get(p.stream);
    if (st === undefined) {
      st = d.createState();
      states.set(p.stream, st);
    }
    const sink = new RecordingSink();
    const dir = useDirection ? (p.toServer ? DIR_TO_SERVER : DIR_TO_CLIENT) : 2;
    d.decode(st, p.pdu, 0, p.pdu.length, dir, sink);
    for (const f of sink.fns) bump(counts, p.stream, `${f.space}/0x${f.code.toString(16)}/${KIND_NAMES[f.kind]}`);
    for (const v of sink.violations) violations.push(`frame ${p.frame}: ${v.code} ${v.message}`);
  }
  return { counts, violations };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function walk(o: Json, visit: (obj: { [k: string]: Json }) => void): void {
  if (Array.isArray(o)) {
    for (const v of o) walk(v, visit);
  } else if (o !== null && typeof o === 'object') {
    visit(o);
    for (const v of Object.values(o)) walk(v, visit);
  }
}

function first(o: Json, field: string): string | undefined {
  let found: string | undefined;
  walk(o, (obj) => {
    const v = obj[field];
    if (found === undefined && typeof v === 'string') found = v;
  });
  return found;
}

/**
 * tshark's counts for the same capture. CIP (space 0): every CIP message tshark dissects (each
 * object holding `cip.service`, embedded ones included), request when bit 0x80 is clear, else
 * exception when the general status in its Status subtree is neither 0 nor 0x06 (partial
 * transfer, see decodeCip), else response. Encapsulation (space 1): every `Encapsulation Header`;
 * exception when enip.status != 0, else request when sent to `port`. Class-1 I/O (space 0, code 0,
 * when `io` is set): one per `cipio` layer, request when sent by the stream's first sender.
 */
export function tsharkCounts(file: string, port: number, io = false): Counts {
  const packets = JSON.parse(tshark(['-r', file, '-T', 'json', '--no-duplicate-keys', '-Y', `tcp.port==${port} || udp.port==${port}`])) as Json[];
  const counts: Counts = {};
  const firstSender = new Map<string, string>();
  for (const pkt of packets) {
    const layers = (pkt as { _source: { layers: { [k: string]: Json } } })._source.layers;
    const tcp = layers['tcp'];
    const udp = layers['udp'];
    const stream = tcp ? `tcp:${first(tcp, 'tcp.stream')}` : `udp:${first(udp!, 'udp.stream')}`;
    const dst = Number(tcp ? first(tcp, 'tcp.dstport') : first(udp!, 'udp.dstport'));
    const src = `${first(layers['ip'] ?? null, 'ip.src')}:${tcp ? first(tcp, 'tcp.srcport') : first(udp!, 'udp.srcport')}`;
    if (io) {
      if (layers['cipio'] !== undefined) {
        if (!firstSender.has(stream)) firstSender.set(stream, src);
        bump(counts, stream, `0/0x0/${firstSender.get(stream) === src ? 'request' : 'response'}`);
      }
      continue;
    }
    walk(layers['enip'] ?? null, (obj) => {
      const h = obj['Encapsulation Header'];
      if (h === undefined) return;
      const command = Number(first(h, 'enip.command'));
      const status = Number(first(h, 'enip.status'));
      const kind = status !== 0 ? KIND_EXCEPTION : dst === port ? KIND_REQUEST : KIND_RESPONSE;
      bump(counts, stream, `1/0x${command.toString(16)}/${KIND_NAMES[kind]}`);
    });
    for (const layer of Object.values(layers)) {
      walk(layer, (obj) => {
        const s = obj['cip.service'];
        if (typeof s !== 'string') return;
        const service = Number(s);
        let kind = KIND_REQUEST;
        if (service & 0x80) {
          let gs = 0;
          for (const [k, v] of Object.entries(obj)) if (k.startsWith('Status')) gs = Number(first(v, 'cip.genstat') ?? 0);
          kind = gs !== 0 && gs !== 0x06 ? KIND_EXCEPTION : KIND_RESPONSE;
        }
        bump(counts, stream, `0/0x${(service & 0x7f).toString(16)}/${KIND_NAMES[kind]}`);
      });
    }
  }
  return counts;
}
