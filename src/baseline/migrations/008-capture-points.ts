/**
 * Migration step 8 (assigned 006; 007 landed first, so it runs after it): the capture points of each capture file. A frame that arrived through a tunnel
 * (remote SPAN over ERSPAN/GRE, a VXLAN overlay, MPLS, PPPoE, IP-in-IP) is decoded as its inner frame;
 * the tunnel itself is recorded here, per capture: its encapsulation, outer endpoints (IP addresses, or
 * the outer MACs for MPLS and PPPoE), id (ERSPAN session, VNI, GRE key, MPLS label, PPPoE session;
 * -1 none), the frames that came through it and when.
 */
import type { Migration } from './index.js';

export const capturePoints: Migration = {
  version: 8,
  describe: 'capture points (tunnels) per capture (capture_points)',
  up(db) {
    db.exec(`
CREATE TABLE IF NOT EXISTS capture_points (
  capture_id INTEGER NOT NULL REFERENCES captures(id),
  encapsulation TEXT NOT NULL,        -- gre, erspan-i, erspan-ii, erspan-iii, vxlan, mpls, pppoe, ip-in-ip
  outer_src TEXT NOT NULL,            -- outer source IP (or MAC for mpls / pppoe), '' unknown
  outer_dst TEXT NOT NULL,
  tunnel_id INTEGER NOT NULL,         -- ERSPAN session id, VNI, GRE key, MPLS label, PPPoE session; -1 none
  frames INTEGER NOT NULL,
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL,
  PRIMARY KEY (capture_id, encapsulation, outer_src, outer_dst, tunnel_id)
) WITHOUT ROWID;
`);
  },
};
