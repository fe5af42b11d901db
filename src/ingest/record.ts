/**
 * The one record type that flows out of every capture source (pcap, pcapng, gzip around either, live).
 *
 * A reader owns ONE CaptureRecord and rewrites its fields before each callback: no object is
 * allocated per packet. `data` is the reader's reusable chunk buffer, so `data.subarray(offset,
 * offset + caplen)` is valid only during the callback; copy whatever you keep past it.
 */
export interface CaptureRecord {
  /** Backing buffer; the packet bytes are data[offset, offset + caplen). Valid only during the callback. */
  data: Buffer;
  offset: number;
  /** Bytes captured (may be less than origlen with a snap length). */
  caplen: number;
  /** Length of the packet on the wire. */
  origlen: number;
  /** Timestamp, UTC: whole seconds since the epoch, and nanoseconds within that second. */
  tsSec: number;
  tsNsec: number;
  /** LINKTYPE_* value of the interface (1 Ethernet, 0 BSD null, 113 SLL, 276 SLL2, 101 raw, 228 IPv4, 229 IPv6, ...). */
  linktype: number;
  /** Interface index (pcapng IDB index within its section; 0 for classic pcap and live). */
  interfaceId: number;
  /** 1-based frame number within the file, as Wireshark numbers frames. */
  frame: number;
  /** Byte offset of this record's header (pcap record header or pcapng block) in the decompressed file. */
  fileOffset: number;
  /** Byte offset of the packet's first byte (data[offset]) in the decompressed file. */
  dataFileOffset: number;
}

export function newCaptureRecord(): CaptureRecord {
  return {
    data: Buffer.alloc(0),
    offset: 0,
    caplen: 0,
    origlen: 0,
    tsSec: 0,
    tsNsec: 0,
    linktype: 1,
    interfaceId: 0,
    frame: 0,
    fileOffset: 0,
    dataFileOffset: 0,
  };
}

/** Link types we decode (LINKTYPE_* from https://www.tcpdump.org/linktypes.html). */
export const LINKTYPE = {
  NULL: 0, // BSD loopback: 4-byte address family in the writer's byte order
  ETHERNET: 1,
  RAW: 101, // raw IPv4 or IPv6 (version nibble decides)
  LOOP: 108, // OpenBSD loopback: 4-byte AF in network byte order
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;
