/** Live connections in a ConnTable for unit tests of the flow modules (no packets needed). */
import { Conn } from '../../src/flows/conn.js';
import { ConnHosts } from '../../src/flows/connHosts.js';
import { ConnTable } from '../../src/flows/connTable.js';

export function v4(ip: string): Uint32Array {
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
  return new Uint32Array([0, 0, 0, ((a << 24) | (b << 16) | (c << 8) | d) >>> 0]);
}

export class ConnFixture {
  readonly table = new ConnTable(1024);
  readonly hosts = new ConnHosts(this.table);

  /** A connection first seen from `src:sport` to `dst:dport` (proto 6 TCP, 17 UDP) at `ts`. */
  conn(src: string, sport: number, dst: string, dport: number, proto = 6, ts = 1_767_600_000): Conn {
    const slot = this.table.insert(4, v4(src), sport, v4(dst), dport, proto);
    return this.table.fromA ? new Conn(slot, 4, sport, dport, proto, true, ts) : new Conn(slot, 4, dport, sport, proto, false, ts);
  }
}
