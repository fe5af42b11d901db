/**
 * Migration step 1: the v1 schema of the first release, frozen. Never edit it: a store written by that
 * release is this schema exactly (fixtures/stores/v1-refinery-unit3.db), and later steps start from it.
 * Times are UTC seconds since the epoch (REAL); IPs and MACs are text as tshark prints them; every count
 * is additive, so one capture file's deltas are added in one transaction.
 */
import type { Migration } from './index.js';

const V1_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- One row per ingested capture file (identified by content, whatever its name).
CREATE TABLE IF NOT EXISTS captures (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,   -- sha256(size, first MiB, last MiB)
  head_hash TEXT NOT NULL,            -- sha256(first 64 KiB): a file that grew keeps it
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  format TEXT NOT NULL,               -- pcap | pcapng
  compression TEXT NOT NULL,          -- none | gzip
  linktypes TEXT NOT NULL,            -- comma-separated LINKTYPE_ values
  end_offset INTEGER NOT NULL,        -- (decompressed) offset after the last complete record ingested
  frames INTEGER NOT NULL,
  ip_packets INTEGER NOT NULL,
  bytes INTEGER NOT NULL,             -- frame bytes on the wire
  first_seen REAL,
  last_seen REAL,
  truncated INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  warnings INTEGER NOT NULL,
  resumed_from INTEGER,               -- captures.id of the earlier, shorter version of this file
  ingested_at TEXT NOT NULL
);

-- The observed flows: (initiator, responder, transport, responder port, protocol).
CREATE TABLE IF NOT EXISTS flows (
  id INTEGER PRIMARY KEY,
  src TEXT NOT NULL,
  dst TEXT NOT NULL,
  transport TEXT NOT NULL,
  port INTEGER NOT NULL,
  protocol TEXT NOT NULL,
  packets_to_responder INTEGER NOT NULL DEFAULT 0,
  packets_to_initiator INTEGER NOT NULL DEFAULT 0,
  bytes_to_responder INTEGER NOT NULL DEFAULT 0,
  bytes_to_initiator INTEGER NOT NULL DEFAULT 0,
  connections INTEGER NOT NULL DEFAULT 0,
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL,
  UNIQUE (src, dst, transport, port, protocol)
);

-- How each connection's initiator was decided: syn, syn-ack, forward-open, protocol, port, first-sender.
CREATE TABLE IF NOT EXISTS flow_evidence (
  flow_id INTEGER NOT NULL REFERENCES flows(id),
  evidence TEXT NOT NULL,
  connections INTEGER NOT NULL,
  PRIMARY KEY (flow_id, evidence)
) WITHOUT ROWID;

-- Activity per hour (hour = floor(unix seconds / 3600)).
CREATE TABLE IF NOT EXISTS flow_hours (
  flow_id INTEGER NOT NULL REFERENCES flows(id),
  hour INTEGER NOT NULL,
  packets INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (flow_id, hour)
) WITHOUT ROWID;

-- Protocol functions per flow: code is the protocol's own (Modbus FC, CIP service, ENIP command,
-- S7 parameter function, OPC UA service type id); space names the code space (function, cip,
-- encapsulation, userdata, service, message ...); variant tells apart context-dependent codes.
CREATE TABLE IF NOT EXISTS flow_functions (
  flow_id INTEGER NOT NULL REFERENCES flows(id),
  space TEXT NOT NULL,
  code INTEGER NOT NULL,
  variant INTEGER NOT NULL,
  name TEXT NOT NULL,
  op_class TEXT NOT NULL,             -- read | write | program | control | diagnostic | session | other
  requests INTEGER NOT NULL,
  responses INTEGER NOT NULL,
  exceptions INTEGER NOT NULL,
  PRIMARY KEY (flow_id, space, code, variant)
) WITHOUT ROWID;

-- Address ranges touched by requests (Modbus: table 0 coils, 1 discrete inputs, 3 input, 4 holding registers).
CREATE TABLE IF NOT EXISTS flow_ranges (
  flow_id INTEGER NOT NULL REFERENCES flows(id),
  tbl INTEGER NOT NULL,
  start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  write INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  PRIMARY KEY (flow_id, tbl, start, count, write)
) WITHOUT ROWID;

-- Objects touched by requests (CIP tags and paths, S7 areas, class-1 I/O connection ids, ...).
CREATE TABLE IF NOT EXISTS flow_objects (
  flow_id INTEGER NOT NULL REFERENCES flows(id),
  space TEXT NOT NULL,
  key TEXT NOT NULL,
  reads INTEGER NOT NULL,
  writes INTEGER NOT NULL,
  PRIMARY KEY (flow_id, space, key)
) WITHOUT ROWID;

-- Connection attributes (e.g. opcua security_mode).
CREATE TABLE IF NOT EXISTS flow_attributes (
  flow_id INTEGER NOT NULL REFERENCES flows(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (flow_id, key, value)
) WITHOUT ROWID;

-- Asset identity evidence from the protocols (vendor, product, firmware, ...), with where it was first seen.
CREATE TABLE IF NOT EXISTS identities (
  ip TEXT NOT NULL,
  protocol TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL,
  capture_id INTEGER NOT NULL,
  frame INTEGER NOT NULL,
  PRIMARY KEY (ip, protocol, key, value)
) WITHOUT ROWID;

-- Source MAC of each IP's packets (a router's MAC shows up for every off-subnet IP).
CREATE TABLE IF NOT EXISTS host_macs (
  ip TEXT NOT NULL,
  mac TEXT NOT NULL,
  packets INTEGER NOT NULL,
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL,
  PRIMARY KEY (ip, mac)
) WITHOUT ROWID;

-- ARP sender (IP, MAC) pairs.
CREATE TABLE IF NOT EXISTS arp (
  ip TEXT NOT NULL,
  mac TEXT NOT NULL,
  packets INTEGER NOT NULL,
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL,
  PRIMARY KEY (ip, mac)
) WITHOUT ROWID;

-- Non-IP frames by source MAC and EtherType (PROFINET RT, GOOSE, LLDP, STP ...): MAC-only assets.
CREATE TABLE IF NOT EXISTS l2_frames (
  mac TEXT NOT NULL,
  ethertype INTEGER NOT NULL,
  packets INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL,
  PRIMARY KEY (mac, ethertype)
) WITHOUT ROWID;

-- Failed attempts (no payload, no answer) summarised instead of one flow each: those made by a host
-- past the threshold (kind 'scan': port scans, sweeps) and those received by a host past it (kind
-- 'flood': SYN floods from spoofed sources, a target probed by many hosts).
CREATE TABLE IF NOT EXISTS scans (
  kind TEXT NOT NULL,                -- scan | flood
  host TEXT NOT NULL,                -- the scanner (scan) or the target (flood)
  transport TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  packets INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  peers INTEGER NOT NULL,            -- distinct targets (scan) or sources (flood): the largest count of one ingest run
  ports INTEGER NOT NULL,            -- distinct responder ports (likewise)
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL,
  PRIMARY KEY (kind, host, transport)
) WITHOUT ROWID;

-- Dissection coverage per capture file and protocol.
CREATE TABLE IF NOT EXISTS protocol_stats (
  capture_id INTEGER NOT NULL REFERENCES captures(id),
  protocol TEXT NOT NULL,
  connections INTEGER NOT NULL,
  pdus INTEGER NOT NULL,
  malformed INTEGER NOT NULL,
  unparsed_bytes INTEGER NOT NULL,
  gap_bytes INTEGER NOT NULL,
  retransmitted_bytes INTEGER NOT NULL,
  PRIMARY KEY (capture_id, protocol)
) WITHOUT ROWID;

-- Problems found while ingesting (the first ones of each code per file in full; all counted).
CREATE TABLE IF NOT EXISTS diagnostics (
  capture_id INTEGER REFERENCES captures(id),
  path TEXT NOT NULL,
  severity TEXT NOT NULL,
  code TEXT NOT NULL,
  frame INTEGER,
  offset INTEGER,
  protocol TEXT,
  message TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS diagnostic_counts (
  capture_id INTEGER NOT NULL REFERENCES captures(id),
  code TEXT NOT NULL,
  severity TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (capture_id, code)
) WITHOUT ROWID;
`;

export const v1Schema: Migration = {
  version: 1,
  describe: 'the v1 schema (first release): captures, flows and their details, identities, MACs, ARP, L2 frames, scans, protocol stats, diagnostics',
  up(db) {
    db.exec(V1_SQL);
  },
};
