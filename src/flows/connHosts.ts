/**
 * The addresses of a live connection's two sides, as host ids (interned in the HostTable only when a
 * connection becomes a flow, so a flood from millions of spoofed sources does not fill it) or as
 * cheap keys that intern nothing (scan and flood counting, Forward Open originators).
 */
import type { Conn } from './conn.js';
import type { ConnTable } from './connTable.js';
import { HostTable } from './hostTable.js';

export class ConnHosts {
  readonly hosts = new HostTable();
  private readonly table: ConnTable;
  private readonly addrTmp = new Uint32Array(4);

  constructor(table: ConnTable) {
    this.table = table;
  }

  /** The host id of a connection's side, interned on first use (the connection must be live). */
  hostId(conn: Conn, sideA: boolean): number {
    let id = sideA ? conn.hostA : conn.hostB;
    if (id < 0) {
      this.table.addrOf(conn.slot, sideA, this.addrTmp);
      id = this.hosts.intern(conn.version, this.addrTmp);
      if (sideA) conn.hostA = id;
      else conn.hostB = id;
    }
    return id;
  }

  /** The text IP of a connection's side (interning it). */
  ip(conn: Conn, sideA: boolean): string {
    return this.hosts.ips[this.hostId(conn, sideA)]!;
  }

  /** A number or string standing for a side's address, without interning it. */
  addrKey(conn: Conn, sideA: boolean): number | string {
    const w = this.addrTmp;
    this.table.addrOf(conn.slot, sideA, w);
    // IPv4 as a signed 32-bit number: a small integer in V8 (a uint32 above 2^31 would be boxed).
    return conn.version === 4 ? w[3]! | 0 : `${w[0]}:${w[1]}:${w[2]}:${w[3]}`;
  }
}
