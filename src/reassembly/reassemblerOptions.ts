/**
 * The limits a TcpReassembler works within, and a direction's position in its stream as plain data
 * (tcpReassembler.ts).
 */
/** A direction's position in its stream, as plain data (TcpReassembler.checkpoint). */
export interface ReassemblerCheckpoint {
  started: boolean;
  next: number;
  synced: boolean;
  skip: number;
  hasFin: boolean;
  finSeq: number;
}

export interface ReassemblerOptions {
  /** Out-of-order segments buffered at most (each copied). */
  maxOutOfOrderSegments: number;
  /** Out-of-order bytes buffered at most. */
  maxOutOfOrderBytes: number;
  /** A hole still open after this many further data segments is declared a gap. */
  gapAfterSegments: number;
  /** PDUs longer than this are not buffered: their bytes are skipped (counted as unparsed). */
  maxPduBytes: number;
}

export const DEFAULT_REASSEMBLER_OPTIONS: Readonly<ReassemblerOptions> = Object.freeze({
  maxOutOfOrderSegments: 32,
  maxOutOfOrderBytes: 256 * 1024,
  gapAfterSegments: 16,
  maxPduBytes: 1024 * 1024,
});
