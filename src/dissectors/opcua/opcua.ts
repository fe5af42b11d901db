/**
 * OPC UA Binary over TCP (opc.tcp), after OPC 10000-6 (UA Part 6: Mappings):
 *  - 7.1 OPC UA Connection Protocol: HEL / ACK / ERR / RHE messages;
 *  - 6.7 OPC UA Secure Conversation: OPN / MSG / CLO chunks with their security and sequence headers;
 *  - 5.2 OPC UA Binary encoding of the service bodies (OPC 10000-4 service definitions).
 *
 * Code spaces: 0 'service' = the numeric NodeId of the body's binary encoding (ReadRequest 631 ...),
 * variant = its namespace index when not 0; 1 'message' = the message type (see messageTypes.ts).
 *
 * What is counted, per PDU (= one MessageChunk, framed by pduLength):
 *  - every chunk with a valid header is counted once in space 1: the message type on the first chunk
 *    of a message, MSG_CONTINUATION on later chunks, MSG_ABORT on abort chunks;
 *  - the first chunk of a readable OPN / MSG / CLO is also counted in space 0 by its service type;
 *    the chunk is then a `carrier` (its class is the service's: each PDU in one operation class).
 * Encrypted channels (SignAndEncrypt) are counted in space 1 only: the sequence header and body are
 * ciphertext, so no service is invented and no violation is reported for them. Such a first chunk,
 * or one whose service type cannot be read, is counted with variant MESSAGE_UNREADABLE and classed by
 * what is known of it (OPN, CLO: session; MSG: other, any service may be inside).
 *
 * Strings are only built for rare PDUs (HEL, RHE, ERR, OPN, CreateSession, GetEndpoints responses)
 * and violations; ordinary MSG chunks allocate nothing. `buf` is never kept past decode().
 */
import type { Dissector, FunctionInfo, PduSink } from '../types.js';
import {
  DIR_TO_CLIENT,
  DIR_TO_SERVER,
  KIND_EXCEPTION,
  KIND_REQUEST,
  KIND_RESPONSE,
  WHO_RECEIVER,
  WHO_SENDER,
  unknownName,
} from '../types.js';
import { BinaryCursor } from './BinaryCursor.js';
import {
  CHUNK_ABORT,
  CHUNK_FINAL,
  CHUNK_INTERMEDIATE,
  MT_ACK,
  MT_CLO,
  MT_ERR,
  MT_HEL,
  MT_MSG,
  MT_OPN,
  MT_RHE,
  abortCode,
  MESSAGE_UNREADABLE,
  continuationCode,
  describeMessageType,
  isChunkedType,
  isMessageType,
  minMessageSize,
} from './messageTypes.js';
import {
  CREATE_SESSION_REQUEST,
  CREATE_SESSION_RESPONSE,
  GET_ENDPOINTS_RESPONSE,
  OPEN_SECURE_CHANNEL_REQUEST,
  OPEN_SECURE_CHANNEL_RESPONSE,
  SERVICE_FAULT,
  serviceType,
} from './serviceTypes.js';

export const SPACE_SERVICE = 0;
export const SPACE_MESSAGE = 1;

/** Upper bound on MessageSize accepted for framing (a MessageChunk is bounded by the negotiated buffer sizes). */
export const MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

/** SecurityPolicy of the channel, learnt from the OPN asymmetric security header (6.7.2.3). */
const POLICY_UNKNOWN = 0;
const POLICY_NONE = 1;
const POLICY_OTHER = 2;

/** MessageSecurityMode (OPC 10000-4, 7.20); 0 here also stands for "not known yet". */
const MODE_UNKNOWN = 0;
const MODE_NONE = 1;
const MODE_SIGN = 2;
const MODE_SIGN_AND_ENCRYPT = 3;
const MODE_NAMES = ['Invalid', 'None', 'Sign', 'SignAndEncrypt'] as const;

const SECURITY_POLICY_NONE = 'http://opcfoundation.org/UA/SecurityPolicy#None';

/** Open multi-chunk messages tracked per connection (by request id and direction). */
const OPEN_SLOTS = 16;

/** ApplicationType enumeration (OPC 10000-4, 7.2). */
const APPLICATION_TYPES = ['Server', 'Client', 'ClientAndServer', 'DiscoveryServer'] as const;

export interface OpcuaState {
  /** Reused reader (no allocation per PDU). */
  cur: BinaryCursor;
  policy: number;
  /** Last SecurityPolicyUri reported as an attribute ('' = none yet). */
  policyUri: string;
  mode: number;
  /** Last security mode reported as an attribute (-1 = none yet). */
  modeReported: number;
  /** For DIR_UNKNOWN messages whose body does not tell: the next one is guessed to be a request. */
  guessRequest: boolean;
  /** Request ids of readable messages whose first chunk was 'C' and whose final chunk is pending. */
  openIds: Uint32Array;
  /** Per slot: 0 free, else 1 + direction * 4 + kind (kind of the message in space 1). */
  openMeta: Uint8Array;
  /** Unreadable channels, per direction (0, 1, 2): 1 + kind while inside a multi-chunk message, else 0. */
  encOpen: Uint8Array;
}

function createState(): OpcuaState {
  return {
    cur: new BinaryCursor(),
    policy: POLICY_UNKNOWN,
    policyUri: '',
    mode: MODE_UNKNOWN,
    modeReported: -1,
    guessRequest: true,
    openIds: new Uint32Array(OPEN_SLOTS),
    openMeta: new Uint8Array(OPEN_SLOTS),
    encOpen: new Uint8Array(3),
  };
}

/** A state of an ended connection as createState() makes it (Dissector.resetState): nothing allocated. */
function resetState(st: OpcuaState): void {
  st.cur.release();
  st.cur.bad = false;
  st.cur.badAt = 0;
  st.cur.lastNamespace = 0;
  st.policy = POLICY_UNKNOWN;
  st.policyUri = '';
  st.mode = MODE_UNKNOWN;
  st.modeReported = -1;
  st.guessRequest = true;
  // Loops, not fill(): on arrays this small the builtin call costs more than the stores.
  for (let i = 0; i < OPEN_SLOTS; i++) {
    st.openIds[i] = 0;
    st.openMeta[i] = 0;
  }
  for (let i = 0; i < 3; i++) st.encOpen[i] = 0;
}

/** Kind of a message whose content does not tell: by transport direction, else alternating. */
function kindByDir(st: OpcuaState, dir: number): number {
  if (dir === DIR_TO_SERVER) return KIND_REQUEST;
  if (dir === DIR_TO_CLIENT) return KIND_RESPONSE;
  const k = st.guessRequest ? KIND_REQUEST : KIND_RESPONSE;
  st.guessRequest = !st.guessRequest;
  return k;
}

function reportMode(st: OpcuaState, mode: number, sink: PduSink): void {
  st.mode = mode;
  if (st.modeReported === mode) return;
  st.modeReported = mode;
  sink.attribute('security_mode', mode >= 0 && mode < MODE_NAMES.length ? MODE_NAMES[mode]! : unknownName(mode));
}

function readMessageType(buf: Buffer, off: number): number {
  return (buf[off]! << 16) | (buf[off + 1]! << 8) | buf[off + 2]!;
}

function validChunk(mt: number, chunk: number): boolean {
  return chunk === CHUNK_FINAL || (isChunkedType(mt) && (chunk === CHUNK_INTERMEDIATE || chunk === CHUNK_ABORT));
}

const ALL_TYPES: readonly number[] = [MT_HEL, MT_ACK, MT_ERR, MT_RHE, MT_OPN, MT_MSG, MT_CLO];

/** True if the first `n` (< 4) bytes can start a known message header. */
function plausiblePrefix(buf: Buffer, off: number, n: number): boolean {
  for (const mt of ALL_TYPES) {
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = buf[off + i] === ((mt >> (16 - 8 * i)) & 0xff);
    if (ok) return true;
  }
  return false;
}

/** 7.1.2.2 / 6.7.2.2: MessageSize covers the whole chunk, header included. */
function pduLength(buf: Buffer, off: number, avail: number): number {
  if (avail <= 0) return 0;
  if (avail < 4) return plausiblePrefix(buf, off, avail) ? 0 : -1;
  const mt = readMessageType(buf, off);
  if (!isMessageType(mt) || !validChunk(mt, buf[off + 3]!)) return -1;
  if (avail < 8) return 0;
  const size = buf.readUInt32LE(off + 4);
  if (size < 8 || size > MAX_MESSAGE_SIZE) return -1;
  return size;
}

/** A plausible OPC UA message header: known type, valid IsFinal, a size within the bounds of its type. */
function heuristic(buf: Buffer, off: number, len: number): boolean {
  if (len < 8 || off < 0 || off + 8 > buf.length) return false;
  const mt = readMessageType(buf, off);
  if (!isMessageType(mt) || !validChunk(mt, buf[off + 3]!)) return false;
  const size = buf.readUInt32LE(off + 4);
  return size >= minMessageSize(mt) && size <= MAX_MESSAGE_SIZE;
}

function decode(st: OpcuaState, buf: Buffer, off: number, len: number, dir: number, sink: PduSink): void {
  if (len < 8) {
    sink.violation('OPCUA_TRUNCATED', `${len} bytes < 8-byte message header`, 0);
    return;
  }
  const mt = readMessageType(buf, off);
  if (!isMessageType(mt)) {
    sink.violation('OPCUA_UNKNOWN_MESSAGE_TYPE', `unknown message type 0x${mt.toString(16)}`, 0);
    return;
  }
  const chunk = buf[off + 3]!;
  if (!validChunk(mt, chunk)) {
    sink.violation('OPCUA_BAD_CHUNK_TYPE', `IsFinal 0x${chunk.toString(16)} not valid for this message type`, 3);
    return;
  }
  const size = buf.readUInt32LE(off + 4);
  if (size !== len) {
    sink.violation('OPCUA_LENGTH_MISMATCH', `MessageSize ${size} != ${len} bytes of PDU`, 4);
    return;
  }
  const cur = st.cur.reset(buf, off + 8, off + len);
  switch (mt) {
    case MT_HEL:
      decodeHello(cur, sink);
      break;
    case MT_ACK:
      sink.fn(SPACE_MESSAGE, MT_ACK, KIND_RESPONSE);
      cur.skip(20); // ProtocolVersion, ReceiveBufferSize, SendBufferSize, MaxMessageSize, MaxChunkCount (7.1.2.4)
      break;
    case MT_ERR:
      decodeError(cur, sink);
      break;
    case MT_RHE:
      decodeReverseHello(cur, sink);
      break;
    case MT_OPN:
      decodeOpen(st, cur, off, dir, sink);
      break;
    default:
      decodeSecured(st, cur, mt, chunk, off, dir, sink);
  }
  if (cur.bad) {
    sink.violation('OPCUA_BAD_FIELD', 'field runs past the end of the message or is malformed', cur.badAt - off);
  }
  cur.release();
}

/** 7.1.2.3 Hello: five UInt32 then EndpointUrl. */
function decodeHello(cur: BinaryCursor, sink: PduSink): void {
  sink.fn(SPACE_MESSAGE, MT_HEL, KIND_REQUEST);
  cur.skip(20);
  const url = cur.string();
  if (!cur.bad && url.length > 0) sink.identity(WHO_RECEIVER, 'endpoint_url', url);
}

/** 7.1.2.5 Error: Error (StatusCode) and Reason. A transport-level error: counted as an exception. */
function decodeError(cur: BinaryCursor, sink: PduSink): void {
  sink.fn(SPACE_MESSAGE, MT_ERR, KIND_EXCEPTION);
  const code = cur.u32();
  cur.skipString();
  if (!cur.bad) sink.attribute('transport_error', `0x${code.toString(16).padStart(8, '0')}`);
}

/** 7.1.2.6 ReverseHello: sent by the Server over a connection it opened; ServerUri and EndpointUrl. */
function decodeReverseHello(cur: BinaryCursor, sink: PduSink): void {
  sink.fn(SPACE_MESSAGE, MT_RHE, KIND_REQUEST);
  const serverUri = cur.string();
  const url = cur.string();
  if (cur.bad) return;
  if (serverUri.length > 0) sink.identity(WHO_SENDER, 'application_uri', serverUri);
  if (url.length > 0) sink.identity(WHO_SENDER, 'endpoint_url', url);
}

/**
 * 6.7.2 OPN: SecureChannelId, asymmetric security header (6.7.2.3: SecurityPolicyUri,
 * SenderCertificate, ReceiverCertificateThumbprint), sequence header, body. With a policy other
 * than None the sequence header and body are encrypted (6.7.2.1: OPN is signed and encrypted
 * whenever the SecurityMode is not None, even for Sign).
 */
function decodeOpen(st: OpcuaState, cur: BinaryCursor, off: number, dir: number, sink: PduSink): void {
  cur.skip(4); // SecureChannelId
  const uri = cur.string();
  cur.skipString(); // SenderCertificate
  cur.skipString(); // ReceiverCertificateThumbprint
  if (cur.bad) {
    sink.fn(SPACE_MESSAGE, MT_OPN, kindByDir(st, dir), MESSAGE_UNREADABLE);
    return;
  }
  if (uri.length > 0 && uri !== st.policyUri) {
    st.policyUri = uri;
    sink.attribute('security_policy', uri);
  }
  if (uri !== SECURITY_POLICY_NONE) {
    st.policy = POLICY_OTHER;
    sink.fn(SPACE_MESSAGE, MT_OPN, kindByDir(st, dir), MESSAGE_UNREADABLE);
    return;
  }
  st.policy = POLICY_NONE;
  cur.skip(8); // SequenceNumber, RequestId (6.7.2.4)
  const id = cur.nodeId(true);
  const ns = cur.lastNamespace;
  if (cur.bad || id < 0) {
    sink.fn(SPACE_MESSAGE, MT_OPN, kindByDir(st, dir), MESSAGE_UNREADABLE);
    if (!cur.bad) sink.violation('OPCUA_BAD_SERVICE_TYPE', 'non-numeric service type', cur.pos - off);
    return;
  }
  if (ns === 0 && id === OPEN_SECURE_CHANNEL_REQUEST) {
    sink.fn(SPACE_MESSAGE, MT_OPN, KIND_REQUEST);
    sink.fn(SPACE_SERVICE, id, KIND_REQUEST);
    // OpenSecureChannelRequest (OPC 10000-4, 5.5.2.2)
    cur.skipRequestHeader();
    cur.skip(4); // ClientProtocolVersion
    cur.skip(4); // RequestType (0 Issue, 1 Renew)
    const mode = cur.i32(); // SecurityMode
    if (!cur.bad) reportMode(st, mode, sink);
    return;
  }
  if (ns === 0 && (id === OPEN_SECURE_CHANNEL_RESPONSE || id === SERVICE_FAULT)) {
    sink.fn(SPACE_MESSAGE, MT_OPN, KIND_RESPONSE);
    const status = cur.responseHeader();
    const bad = id === SERVICE_FAULT || (!cur.bad && (status & 0x80000000) !== 0);
    sink.fn(SPACE_SERVICE, id, bad ? KIND_EXCEPTION : KIND_RESPONSE);
    return;
  }
  // Any other service in an OPN chunk is a protocol violation (6.7.2.1: OPN carries OpenSecureChannel).
  const k = kindByDir(st, dir);
  sink.fn(SPACE_MESSAGE, MT_OPN, k);
  sink.fn(SPACE_SERVICE, id, k, ns);
  sink.violation('OPCUA_UNEXPECTED_SERVICE', `service type ${id} in an OPN message`, cur.pos - off);
}

function findOpen(st: OpcuaState, requestId: number, dir: number): number {
  for (let i = 0; i < OPEN_SLOTS; i++) {
    const m = st.openMeta[i]!;
    if (m !== 0 && st.openIds[i] === requestId && ((m - 1) >> 2) === dir) return i;
  }
  return -1;
}

function addOpen(st: OpcuaState, requestId: number, dir: number, kind: number): void {
  let slot = 0;
  for (let i = 0; i < OPEN_SLOTS; i++) {
    if (st.openMeta[i] === 0) {
      slot = i;
      break;
    }
  }
  // When all slots are taken the first is reused: its message will count its later chunks as new.
  st.openIds[slot] = requestId;
  st.openMeta[slot] = 1 + dir * 4 + kind;
}

/**
 * 6.7.2 MSG and CLO chunks: SecureChannelId, symmetric security header (TokenId, 6.7.2.3), sequence
 * header (SequenceNumber, RequestId, 6.7.2.4), then the body, whose first chunk starts with the
 * service type as an ExpandedNodeId (6.7.2.5 / 5.2.2.15).
 */
function decodeSecured(
  st: OpcuaState,
  cur: BinaryCursor,
  mt: number,
  chunk: number,
  off: number,
  dir: number,
  sink: PduSink,
): void {
  cur.skip(8); // SecureChannelId, TokenId
  if (st.mode === MODE_SIGN_AND_ENCRYPT) {
    countUnreadable(st, mt, chunk, dir, sink);
    return;
  }
  cur.skip(4); // SequenceNumber
  const requestId = cur.u32();
  if (cur.bad) {
    sink.fn(SPACE_MESSAGE, mt, mt === MT_CLO ? KIND_REQUEST : kindByDir(st, dir), MESSAGE_UNREADABLE);
    return;
  }
  const d = dir === DIR_TO_SERVER || dir === DIR_TO_CLIENT ? dir : 2;
  const slot = findOpen(st, requestId, d);
  if (chunk === CHUNK_ABORT) {
    // Abort chunk (6.7.3): Error and Reason follow; the message is discarded.
    const k = slot >= 0 ? (st.openMeta[slot]! - 1) & 3 : kindByDir(st, dir);
    if (slot >= 0) st.openMeta[slot] = 0;
    sink.fn(SPACE_MESSAGE, abortCode(mt), k);
    if (st.policy !== POLICY_NONE && st.mode !== MODE_SIGN) return; // may be ciphertext
    cur.skip(4);
    cur.skipString();
    return;
  }
  if (slot >= 0) {
    const k = (st.openMeta[slot]! - 1) & 3;
    if (chunk === CHUNK_FINAL) st.openMeta[slot] = 0;
    sink.fn(SPACE_MESSAGE, continuationCode(mt), k);
    return;
  }

  // First (or only) chunk of a message: the service type.
  const typeAt = cur.pos;
  const id = cur.nodeId(true);
  const ns = cur.lastNamespace;
  const svc = !cur.bad && ns === 0 && id >= 0 ? serviceType(id) : undefined;
  const readable = st.policy === POLICY_NONE || st.mode === MODE_SIGN || svc !== undefined;
  if (!readable) {
    // No OPN seen, or a secured policy: a body that does not start with a known service type is
    // ciphertext. With a known non-None policy that settles the mode as SignAndEncrypt.
    if (st.policy === POLICY_OTHER) reportMode(st, MODE_SIGN_AND_ENCRYPT, sink);
    cur.bad = false;
    countUnreadable(st, mt, chunk, dir, sink);
    return;
  }
  if (st.policy === POLICY_OTHER && st.mode === MODE_UNKNOWN) reportMode(st, MODE_SIGN, sink);
  if (cur.bad || id < 0) {
    sink.fn(SPACE_MESSAGE, mt, mt === MT_CLO ? KIND_REQUEST : kindByDir(st, dir), MESSAGE_UNREADABLE);
    if (!cur.bad) sink.violation('OPCUA_BAD_SERVICE_TYPE', 'non-numeric service type', typeAt - off);
    return;
  }
  let k0 = svc ? svc.kind : kindByDir(st, dir);
  // Later chunks may hold the rest of the body: read past the end of this one only when final.
  const final = chunk === CHUNK_FINAL;
  if (svc && svc.kind === KIND_RESPONSE) {
    const status = cur.responseHeader();
    if (!cur.bad && (status & 0x80000000) !== 0) k0 = KIND_EXCEPTION;
  }
  const k1 = k0 === KIND_REQUEST ? KIND_REQUEST : KIND_RESPONSE;
  if (chunk === CHUNK_INTERMEDIATE) addOpen(st, requestId, d, k1);
  sink.fn(SPACE_MESSAGE, mt, k1);
  sink.fn(SPACE_SERVICE, id, k0, ns);
  if (!cur.bad && svc) {
    if (id === CREATE_SESSION_REQUEST) {
      // CreateSessionRequest (OPC 10000-4, 5.6.2.2): requestHeader, then clientDescription.
      cur.skipRequestHeader();
      applicationDescription(cur, sink);
    } else if (id === CREATE_SESSION_RESPONSE) {
      // CreateSessionResponse (5.6.2.2): sessionId, authenticationToken, revisedSessionTimeout,
      // serverNonce, serverCertificate, serverEndpoints[] ...
      cur.nodeId(false);
      cur.nodeId(false);
      cur.skip(8);
      cur.skipString();
      cur.skipString();
      firstEndpoint(cur, sink);
    } else if (id === GET_ENDPOINTS_RESPONSE) {
      // GetEndpointsResponse (5.4.4.2): endpoints[]
      firstEndpoint(cur, sink);
    }
  }
  if (!final) cur.bad = false;
}

/** EndpointDescription (OPC 10000-4, 7.14) array: the server ApplicationDescription of the first one. */
function firstEndpoint(cur: BinaryCursor, sink: PduSink): void {
  const n = cur.arrayLength();
  if (n === 0 || cur.bad) return;
  cur.skipString(); // EndpointUrl
  applicationDescription(cur, sink);
}

/** ApplicationDescription (OPC 10000-4, 7.2) of the sender -> identity evidence. */
function applicationDescription(cur: BinaryCursor, sink: PduSink): void {
  const uri = cur.string();
  const product = cur.string();
  const name = cur.localizedText();
  const type = cur.i32();
  if (cur.bad) return;
  if (uri.length > 0) sink.identity(WHO_SENDER, 'application_uri', uri);
  if (product.length > 0) sink.identity(WHO_SENDER, 'product_uri', product);
  if (name.length > 0) sink.identity(WHO_SENDER, 'application_name', name);
  if (type >= 0 && type < APPLICATION_TYPES.length) sink.identity(WHO_SENDER, 'application_type', APPLICATION_TYPES[type]!);
}

/** A chunk of an encrypted (or not yet understood) channel: counted in space 1 only. */
function countUnreadable(st: OpcuaState, mt: number, chunk: number, dir: number, sink: PduSink): void {
  const d = dir === DIR_TO_SERVER || dir === DIR_TO_CLIENT ? dir : 2;
  const open = st.encOpen[d]!;
  if (chunk === CHUNK_ABORT) {
    st.encOpen[d] = 0;
    sink.fn(SPACE_MESSAGE, abortCode(mt), open ? open - 1 : kindByDir(st, dir));
    return;
  }
  if (open) {
    // 6.7.3: chunks of one message are sent sequentially, so a chunk after a 'C' continues it.
    if (chunk === CHUNK_FINAL) st.encOpen[d] = 0;
    sink.fn(SPACE_MESSAGE, continuationCode(mt), open - 1);
    return;
  }
  const k = mt === MT_CLO ? KIND_REQUEST : kindByDir(st, dir);
  if (chunk === CHUNK_INTERMEDIATE) st.encOpen[d] = 1 + k;
  sink.fn(SPACE_MESSAGE, mt, k, MESSAGE_UNREADABLE);
}

function describe(space: number, code: number, variant = 0): FunctionInfo {
  if (space === SPACE_MESSAGE) return describeMessageType(code, variant);
  if (space === SPACE_SERVICE && variant === 0) {
    const svc = serviceType(code);
    if (svc) return svc;
  }
  return { name: unknownName(code), opClass: 'other' };
}

/** The OPC UA Binary (opc.tcp) dissector. */
export const opcua: Dissector<OpcuaState> = {
  id: 'opcua',
  name: 'OPC UA Binary',
  transports: ['tcp'],
  // IANA: 4840 opcua-tcp. 4843 (opcua-tls) carries the same messages inside TLS, which is not readable
  // here; other ports are found by heuristic().
  ports: [4840],
  spaces: ['service', 'message'],
  // No object() calls yet (node ids of Read/Write are a later step).
  objectSpaces: [],
  heuristic,
  pduLength,
  createState,
  resetState,
  decode,
  describe,
  describeObject: (_space: number, key: number | string): string => String(key),
};
