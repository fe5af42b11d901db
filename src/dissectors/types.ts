/**
 * The dissector contract, after Wireshark's dissector tables: a dissector declares what it is
 * (id, transports, well-known ports, a cheap heuristic, a PDU-length function for TCP framing, a
 * decoder) and reports what it sees into a PduSink. It never allocates per packet on the hot path
 * (no strings built for ordinary PDUs), never throws on bad bytes (it reports a violation), and keeps
 * no reference to `buf` past the call (the buffer is reused).
 */

import type { DiagnosticCode } from '../diagnosticCatalogue.js';

/**
 * Operation classes (docs/INTERFACES.md "Operation classes"). `io`: CIP class-1 cyclic I/O and other
 * implicit exchanges (they carry outputs, so they are not reads).
 */
export type OpClass = 'read' | 'write' | 'program' | 'control' | 'diagnostic' | 'session' | 'io' | 'other';
export const OP_CLASSES: readonly OpClass[] = ['read', 'write', 'program', 'control', 'diagnostic', 'session', 'io', 'other'];

/**
 * The class of a counted code: an operation class, or `carrier` for a transport or encapsulation
 * message that carries a service counted on its own (ENIP SendRRData / SendUnitData, CIP Unconnected
 * Send and Multiple Service Packet, OPC UA MSG / OPN / CLO chunks, COTP data TPDUs). A carrier is
 * listed with its counts but is no operation: each PDU counts in one operation class only.
 */
export type FunctionClass = OpClass | 'carrier';
export const CARRIER = 'carrier';

/** PDU kinds for PduSink.fn(). */
export const KIND_REQUEST = 0;
export const KIND_RESPONSE = 1;
/** An error/exception response (Modbus exception, CIP general status != 0, S7 error class, OPC UA ServiceFault). */
export const KIND_EXCEPTION = 2;

/** Direction hint passed to decode(): who sent this PDU, as far as the transport layer knows. */
export const DIR_TO_SERVER = 0;
export const DIR_TO_CLIENT = 1;
/** Neither a handshake nor a well-known port told (mid-stream on unusual ports): decide by content. */
export const DIR_UNKNOWN = 2;

/** Which endpoint an identity fact is about, relative to the PDU being decoded. */
export const WHO_SENDER = 0;
export const WHO_RECEIVER = 1;

export interface FunctionInfo {
  /** Upper-snake name as the protocol spec names it, e.g. READ_HOLDING_REGISTERS; `Unknown (0x5a)` if unknown. */
  name: string;
  opClass: FunctionClass;
}

/**
 * What a dissector reports into. Implemented by the flow stage (one sink per connection); the
 * location of the current packet (file, frame, offset) is known to the sink, not to the dissector.
 */
export interface PduSink {
  /**
   * Count one PDU: `code` in code space `space` (the dissector's own small integer namespaces, see
   * Dissector.spaces; e.g. ENIP: 0 = CIP service, 1 = encapsulation command), of kind
   * KIND_REQUEST / KIND_RESPONSE / KIND_EXCEPTION. The first request or response of a connection
   * also tells the flow stage which side is the client when no TCP handshake was seen.
   * `variant` (default 0) tells apart codes whose meaning depends on context, e.g. CIP object-specific
   * services: 0x52 is Unconnected Send on the Connection Manager (class 0x06) but Read Tag Fragmented
   * on a Logix tag; pass the class id as variant. Counts are kept per (space, code, variant).
   */
  fn(space: number, code: number, kind: number, variant?: number): void;
  /**
   * An address range touched by a request (Modbus: table 0 coils, 1 discrete inputs, 3 input
   * registers, 4 holding registers; start address, quantity); `write` true for writes.
   */
  range(table: number, start: number, count: number, write: boolean): void;
  /**
   * A named object touched (CIP symbolic tag or class/instance/attribute path, S7 area/DB, class-1 I/O
   * connection id, OPC UA node) in object space `space` (Dissector.objectSpaces). Call only for
   * requests and keep the key cheap (a number when possible): Dissector.describeObject renders it.
   */
  object(space: number, key: number | string, write: boolean): void;
  /** Asset identity evidence (vendor, product, product_code, revision, serial, order_number, firmware, application_uri, ...). */
  identity(who: number, key: string, value: string): void;
  /**
   * The PDU's sender (WHO_SENDER) or receiver (WHO_RECEIVER) originates implicit connections to the
   * other host (a CIP Forward Open request): the flow stage takes that side for the initiator of their
   * class-1 I/O, whose datagrams carry no such knowledge, and for its direction (originator outputs).
   */
  originator(who: number): void;
  /** A connection-level attribute (e.g. opcua security_mode=SignAndEncrypt, security_policy=...). */
  attribute(key: string, value: string): void;
  /**
   * A protocol violation: `code` like MODBUS_LENGTH_MISMATCH, `at` the byte offset within the PDU passed
   * to decode (the sink turns it into file + frame + byte offset). The PDU is counted as malformed.
   */
  violation(code: DiagnosticCode, message: string, at: number): void;
  /**
   * Called by the framework (AppSession), never by dissectors, before each decode(): where the PDU's
   * bytes are, so that a violation's `at` can be located in the capture file.
   */
  pduStart?(buf: Buffer, off: number): void;
  /**
   * Optional: the number of violation() calls this sink has received, kept by the sink itself. A sink
   * that keeps it (the flow stage's) is handed to the dissectors directly; any other is wrapped in a
   * counting forwarder (the session needs the count to tell malformed PDUs).
   */
  readonly violationCount?: number;
}

export interface Dissector<S = unknown> {
  /** Protocol id used in flows and designs: 'modbus', 'enip', 'cip-io', 's7comm', 'opcua', ... */
  readonly id: string;
  /** Display name: 'Modbus/TCP', 'EtherNet/IP', ... */
  readonly name: string;
  readonly transports: readonly ('tcp' | 'udp')[];
  /** Well-known server ports (the registry's port table). */
  readonly ports: readonly number[];
  /** Names of the code spaces used in fn(): index = space number. First is the main one. */
  readonly spaces: readonly string[];
  /**
   * True when this protocol's connections are set up by another connection (CIP class-1 I/O by a
   * Forward Open): the flow stage takes the side reported through PduSink.originator for their
   * initiator and tells the dissector the direction (DIR_TO_SERVER = from the originator).
   */
  readonly implicit?: boolean;
  /**
   * Names of the object spaces used in object(): index = space number (their own names, not the code
   * spaces': e.g. Modbus `unit`, S7 `variable`, `block`, `szl`). Absent or empty when no objects are
   * reported (an unnamed space is shown as `object-N`).
   */
  readonly objectSpaces?: readonly string[];
  /**
   * Cheap test on the first payload bytes seen on a connection (either direction); used for
   * connections on ports no dissector claims. Must not throw on any input.
   */
  heuristic?(buf: Buffer, off: number, len: number): boolean;
  /**
   * TCP framing: the length of the PDU that starts at buf[off], given `avail` bytes available.
   * Returns 0 when more bytes are needed to tell, -1 when these bytes cannot start a valid PDU (the
   * stream then stops being parsed until it resyncs).
   */
  pduLength?(buf: Buffer, off: number, avail: number): number;
  /** Fresh per-connection state (shared by both directions). */
  createState(): S;
  /**
   * Optional: make a state this dissector's createState() made, whose connection has ended, what
   * createState() returns, in place (a pooled session reuses it for its next connection of this
   * dissector: no typed arrays or buffers allocated per connection). Caches of pure functions of the
   * bytes (e.g. tag names by path bytes) may be kept.
   */
  resetState?(state: S): void;
  /**
   * Decode one PDU (TCP: exactly one framed PDU; UDP: one datagram). `dir` is DIR_TO_SERVER,
   * DIR_TO_CLIENT or DIR_UNKNOWN. Must not throw; must not keep `buf`.
   */
  decode(state: S, buf: Buffer, off: number, len: number, dir: number, sink: PduSink): void;
  /**
   * What the connection turned out to carry, when the dissector learns it from the content: the id of
   * another registered dissector that describes its codes (s7comm on TCP 102 seeing S7comm-plus or an
   * MMS session answers 's7comm-plus' / 'mms'). The session then reports that protocol. Optional.
   */
  carried?(state: S): string | undefined;
  /** Name and operation class of a code (never throws; unknown codes: `Unknown (0x5a)`, class 'other'). */
  describe(space: number, code: number, variant?: number): FunctionInfo;
  /**
   * The rendered key of an object reported with object(space, key): `class 0x01 / instance 1 /
   * attribute 7`, `DB10.DBX4.0`, `OB1`, `unit 1`; string keys (tag names) as they are. Never throws;
   * called when a connection is folded, not per PDU. Absent: keys are shown as they are.
   */
  describeObject?(space: number, key: number | string): string;
}

/** `Unknown (0x5a)`: unknown codes keep their number and are never dropped. */
export function unknownName(code: number): string {
  return `Unknown (0x${code.toString(16)})`;
}
