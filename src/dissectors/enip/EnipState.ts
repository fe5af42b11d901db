/**
 * Per-connection state of the EtherNet/IP dissector (shared by both directions): the outstanding
 * CIP requests, the tag-name cache and reused scratch structures. Created once per connection;
 * the request table and the tag cache only when CIP messages appear.
 */
import { EpathScratch } from './parseEpath.js';
import { PendingRequests } from './PendingRequests.js';
import { TagCache } from './TagCache.js';

export class EnipState {
  private pendingTable: PendingRequests | null = null;
  private tagCache: TagCache | null = null;
  readonly path = new EpathScratch();

  // Common Packet Format scratch (Vol. 2 2-6), filled by the CPF walk of the current PDU.
  /** Type id of the address item, -1 if none. */
  cpfAddrType = -1;
  /** Connection id of a connected (0xA1) or sequenced (0x8002) address item. */
  cpfConnId = 0;
  /** Type id of the data item (0xB1 connected, 0xB2 unconnected), -1 if none. */
  cpfDataType = -1;
  cpfDataOff = 0;
  cpfDataLen = 0;

  /**
   * As new, for another connection (Dissector.resetState): the request table is emptied and kept; the
   * tag cache (names by path bytes, the same on any connection) is kept as it is.
   */
  reset(): void {
    this.pendingTable?.reset();
    this.path.reset();
    this.cpfAddrType = -1;
    this.cpfConnId = 0;
    this.cpfDataType = -1;
    this.cpfDataOff = 0;
    this.cpfDataLen = 0;
  }

  get pending(): PendingRequests {
    return (this.pendingTable ??= new PendingRequests());
  }

  get tags(): TagCache {
    return (this.tagCache ??= new TagCache());
  }
}
