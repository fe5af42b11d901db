/**
 * What a TcpReassembler hands its PDUs to: the framing of one protocol (tcpReassembler.ts).
 */
export interface PduFramer {
  /**
   * Length of the PDU starting at buf[off] given `avail` bytes: > 0 the total PDU length (may exceed
   * avail), 0 when more bytes are needed to tell, -1 when these bytes cannot start a PDU.
   */
  pduLength(buf: Buffer, off: number, avail: number): number;
  /** One complete PDU, buf[off, off + len). Valid only during the call. */
  onPdu(buf: Buffer, off: number, len: number): void;
  /**
   * Optional: does a PDU plausibly start at buf[off] (the start of a segment, `avail` bytes of it)?
   * Used after a gap or a framing error, and for a mid-stream start. Default: pduLength > 0 and, when
   * the PDU ends inside the segment, the bytes after it do not fail pduLength.
   */
  resync?(buf: Buffer, off: number, avail: number): boolean;
  /**
   * Optional: pduLength returned -1 on a synchronized stream (the framing is lost). The bytes are
   * buf[off, off + avail) (valid only during the call); the stream now resyncs.
   */
  onFramingError?(buf: Buffer, off: number, avail: number): void;
}
