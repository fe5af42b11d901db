/**
 * The ISO upper layers on TCP 102 down to MMS (IEC 61850-8-1 profile): ISO 8327 session SPDUs, ISO
 * 8823 presentation (fully-encoded user data), ACSE (ISO 8650) and MMS PDUs (ISO 9506-2), decoded from
 * the COTP TSDU the transport layer reassembled. BER is walked just far enough to find the MMS PDU tag,
 * the invoke id and the confirmed service tag; no object is built.
 *
 * Reports: fn(0 'function', service, kind) for confirmed requests (KIND_REQUEST), responses
 * (KIND_RESPONSE) and errors (KIND_EXCEPTION, service unknown: the pending request's when its invoke id
 * was seen, else code 0x7f); fn(1 'session', pduTag, kind) for initiate/conclude/cancel/reject and
 * unconfirmed PDUs; session CONNECT / ACCEPT count as INITIATE_REQUEST / INITIATE_RESPONSE.
 * Identify responses give identity(WHO_SENDER, 'vendor' | 'model' | 'revision').
 */
import type { PduSink } from '../types.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER } from '../types.js';
import {
  MMS_CANCEL_ERROR,
  MMS_CANCEL_REQUEST,
  MMS_CONCLUDE_REQUEST,
  MMS_INITIATE_REQUEST,
  MMS_INITIATE_RESPONSE,
  MMS_SPACE_SERVICE,
  MMS_SPACE_SESSION,
  MMS_UNCONFIRMED,
} from './mmsCodes.js';

/** SPDU types (ISO 8327-1 8.3): CONNECT, ACCEPT, GIVE TOKENS / DATA TRANSFER, FINISH, DISCONNECT, ABORT, REFUSE. */
const SPDU_CONNECT = 0x0d;
const SPDU_ACCEPT = 0x0e;
const SPDU_GIVE_TOKENS = 0x01;
const SPDU_FINISH = 0x09;
const SPDU_DISCONNECT = 0x0a;
const SPDU_ABORT = 0x19;
const SPDU_REFUSE = 0x0c;
/** Service code when an error's request was not seen. */
export const MMS_SERVICE_UNKNOWN = 0x7f;
const IDENTIFY = 2;

/** True when the TSDU starts like an ISO session SPDU carrying MMS (what s7comm sees instead of 0x32/0x72). */
export function looksLikeIsoSession(buf: Buffer, p: number, n: number): boolean {
  if (n < 2) return false;
  const t = buf[p]!;
  return t === SPDU_CONNECT || t === SPDU_ACCEPT || (t === SPDU_GIVE_TOKENS && buf[p + 1] === 0x00) || t === SPDU_FINISH || t === SPDU_DISCONNECT || t === SPDU_ABORT || t === SPDU_REFUSE;
}

/** BER header at p: sets hdr[0] = tag byte (first), hdr[1] = tag number, hdr[2] = content offset, hdr[3] = content length; false if malformed. */
function ber(buf: Buffer, p: number, end: number, hdr: Int32Array): boolean {
  if (p + 2 > end) return false;
  const t = buf[p]!;
  let q = p + 1;
  let num = t & 0x1f;
  if (num === 0x1f) {
    num = 0;
    for (let k = 0; k < 3; k++) {
      if (q >= end) return false;
      const b = buf[q++]!;
      num = (num << 7) | (b & 0x7f);
      if ((b & 0x80) === 0) break;
      if (k === 2) return false;
    }
  }
  if (q >= end) return false;
  let l = buf[q++]!;
  if (l & 0x80) {
    const nb = l & 0x7f;
    if (nb === 0 || nb > 3 || q + nb > end) return false;
    l = 0;
    for (let k = 0; k < nb; k++) l = (l << 8) | buf[q++]!;
  }
  if (q + l > end) return false;
  hdr[0] = t;
  hdr[1] = num;
  hdr[2] = q;
  hdr[3] = l;
  return true;
}

export class MmsState {
  /** Pending confirmed requests: invoke id -> service (small ring). */
  readonly ids = new Int32Array(16).fill(-1);
  readonly svcs = new Int32Array(16);
  next = 0;
  readonly hdr = new Int32Array(4);
  remember(id: number, svc: number): void {
    this.ids[this.next] = id;
    this.svcs[this.next] = svc;
    this.next = (this.next + 1) & 15;
  }
  lookup(id: number): number {
    for (let i = 0; i < 16; i++) if (this.ids[i] === id) return this.svcs[i]!;
    return MMS_SERVICE_UNKNOWN;
  }
}

function invokeId(buf: Buffer, p: number, end: number, h: Int32Array): number {
  if (!ber(buf, p, end, h) || (h[0] !== 0x02 && h[0] !== 0x80) || h[3]! < 1 || h[3]! > 4) return -1;
  let v = 0;
  for (let i = 0; i < h[3]!; i++) v = v * 256 + buf[h[2]! + i]!;
  return v;
}

function reportIdentify(buf: Buffer, p: number, end: number, h: Int32Array, sink: PduSink): void {
  const keys = ['vendor', 'model', 'revision'];
  while (p < end && ber(buf, p, end, h)) {
    const k = h[0]! & 0x1f;
    if ((h[0]! & 0xc0) === 0x80 && k < 3 && h[3]! > 0) sink.identity(WHO_SENDER, keys[k]!, buf.toString('latin1', h[2]!, h[2]! + h[3]!));
    p = h[2]! + h[3]!;
  }
}

/** The MMS PDU at buf[p, end). */
function decodeMmsPdu(st: MmsState, buf: Buffer, p: number, end: number, sink: PduSink, at: number): void {
  const h = st.hdr;
  if (!ber(buf, p, end, h) || (h[0]! & 0xc0) !== 0x80) {
    sink.violation('MMS_BAD_PDU', 'no MMS PDU (context-specific tag) in the presentation data', at);
    return;
  }
  const pduTag = h[1]!;
  const cs = h[2]!;
  const ce = cs + h[3]!;
  if (pduTag === 0 || pduTag === 1) {
    const id = invokeId(buf, cs, ce, h);
    if (id < 0) {
      sink.violation('MMS_BAD_PDU', 'confirmed PDU without an invoke id', at);
      return;
    }
    let sp = h[2]! + h[3]!;
    // Confirmed-RequestPDU: an optional listOfModifier (SEQUENCE OF) before the service
    if (pduTag === 0 && sp < ce && buf[sp] === 0x30 && ber(buf, sp, ce, h)) sp = h[2]! + h[3]!;
    if (sp >= ce) {
      // confirmed response with a NULL-less empty service is malformed; identify request is 0x82 0x00
      sink.violation('MMS_BAD_PDU', 'confirmed PDU without a service', at);
      return;
    }
    if (!ber(buf, sp, ce, h)) {
      sink.violation('MMS_BAD_PDU', 'confirmed service element is malformed', at);
      return;
    }
    const svc = h[1]!;
    if (pduTag === 0) {
      st.remember(id, svc);
      sink.fn(MMS_SPACE_SERVICE, svc, KIND_REQUEST);
    } else {
      sink.fn(MMS_SPACE_SERVICE, svc, KIND_RESPONSE);
      if (svc === IDENTIFY) reportIdentify(buf, h[2]!, h[2]! + h[3]!, h, sink);
    }
    return;
  }
  if (pduTag === 2) {
    const id = invokeId(buf, cs, ce, h);
    sink.fn(MMS_SPACE_SERVICE, id < 0 ? MMS_SERVICE_UNKNOWN : st.lookup(id), KIND_EXCEPTION);
    return;
  }
  if (pduTag >= MMS_UNCONFIRMED && pduTag <= 13) {
    const isReq = pduTag === MMS_INITIATE_REQUEST || pduTag === MMS_CONCLUDE_REQUEST || pduTag === MMS_CANCEL_REQUEST || pduTag === MMS_UNCONFIRMED;
    const isErr = pduTag === 4 || pduTag === MMS_CANCEL_ERROR || pduTag === 10 || pduTag === 13;
    sink.fn(MMS_SPACE_SESSION, pduTag, isErr ? KIND_EXCEPTION : isReq ? KIND_REQUEST : KIND_RESPONSE);
    return;
  }
  sink.violation('MMS_BAD_PDU', `MMS PDU tag [${pduTag}] is not defined`, at);
}

/**
 * One COTP TSDU starting with an SPDU. `at` is the TSDU's offset in the PDU for violations.
 */
export function decodeMmsTsdu(st: MmsState, buf: Buffer, p: number, n: number, sink: PduSink, at: number): void {
  const end = p + n;
  const t = buf[p]!;
  if (t === SPDU_CONNECT || t === SPDU_ACCEPT) {
    sink.fn(MMS_SPACE_SESSION, t === SPDU_CONNECT ? MMS_INITIATE_REQUEST : MMS_INITIATE_RESPONSE, t === SPDU_CONNECT ? KIND_REQUEST : KIND_RESPONSE);
    return;
  }
  if (t !== SPDU_GIVE_TOKENS) {
    // FINISH / DISCONNECT / ABORT / REFUSE carry at most a conclude PDU: the session end is counted as such.
    sink.fn(MMS_SPACE_SESSION, t === SPDU_DISCONNECT ? 12 : 11, t === SPDU_DISCONNECT ? KIND_RESPONSE : KIND_REQUEST);
    return;
  }
  // GIVE TOKENS (01 00) then DATA TRANSFER (01 00), then presentation user data.
  if (n < 4 || buf[p + 1] !== 0 || buf[p + 2] !== 0x01 || buf[p + 3] !== 0) {
    sink.violation('MMS_BAD_SPDU', 'session data transfer must start 01 00 01 00', at);
    return;
  }
  const h = st.hdr;
  // Presentation: [APPLICATION 1] fully-encoded-data (0x61) -> PDV-list SEQUENCE (0x30) -> context id INTEGER, [0] single-ASN1-type.
  const isTag = (want: number): boolean => h[0] === want;
  if (!ber(buf, p + 4, end, h) || !isTag(0x61) || !ber(buf, h[2]!, h[2]! + h[3]!, h) || !isTag(0x30)) {
    sink.violation('MMS_BAD_PRESENTATION', 'presentation user data is not fully-encoded-data', at + 4);
    return;
  }
  const le = h[2]! + h[3]!;
  let q = h[2]!;
  // optional transfer syntax name (06), then the context id (02), then the data
  if (ber(buf, q, le, h) && isTag(0x06)) q = h[2]! + h[3]!;
  if (!ber(buf, q, le, h) || !isTag(0x02)) {
    sink.violation('MMS_BAD_PRESENTATION', 'PDV without a presentation context id', at + 4);
    return;
  }
  q = h[2]! + h[3]!;
  if (!ber(buf, q, le, h) || !isTag(0xa0)) {
    sink.violation('MMS_BAD_PRESENTATION', 'PDV without single-ASN1-type data', at + 4);
    return;
  }
  decodeMmsPdu(st, buf, h[2]!, h[2]! + h[3]!, sink, at + (h[2]! - p));
}
