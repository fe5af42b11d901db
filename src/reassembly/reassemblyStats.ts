/**
 * What a TcpReassembler counts per direction (tcpReassembler.ts).
 */
/** Per-direction counters. All byte counts are stream bytes, each counted once. */
export class ReassemblyStats {
  /** New in-sequence bytes accepted (parsed or not; retransmitted copies and gap bytes excluded). */
  bytes = 0;
  /** PDUs delivered to the framer. */
  pdus = 0;
  /** Bytes received again (retransmissions, overlaps, duplicates of buffered segments). */
  retransmittedBytes = 0;
  /** Segments that arrived ahead of a hole (buffered out of order). */
  outOfOrder = 0;
  /** Holes that never filled. */
  gaps = 0;
  /** Bytes lost in those holes (by sequence numbers). */
  gapBytes = 0;
  /** Bytes not framed: skipped while resyncing, oversize PDUs, partial PDUs dropped at a gap/close. */
  unparsedBytes = 0;
  /** Segments whose payload the snap length cut (see segment()'s `cut`). */
  snapCutSegments = 0;
  /** Bytes the snap length cut off, with the partial PDUs the cuts left (not in unparsedBytes). */
  snapLostBytes = 0;
}
