import Database from 'better-sqlite3';
import { findTimeProblems, storedSpan, storedTime } from '../../src/baseline/storeTimes.js';
import { v1Schema } from '../../src/baseline/migrations/001-v1-schema.js';

describe('storeTimes', () => {
  test('storedTime(values a Date cannot hold) is null; times it holds pass', () => {
    for (const v of [8.64e12, -8.64e12, 1e17, Infinity, -Infinity, NaN, 'NaN', null, undefined]) expect(storedTime(v)).toBeNull();
    for (const v of [0, 1595660608.5, -86400, 8.64e12 - 1]) expect(storedTime(v)).toBe(v);
  });

  test('storedSpan(one bad end) reads it as the other end; both bad read as 0', () => {
    expect(storedSpan(100, 1e17)).toEqual([100, 100]);
    expect(storedSpan('NaN', 200)).toEqual([200, 200]);
    expect(storedSpan(Infinity, null)).toEqual([0, 0]);
    expect(storedSpan(100, 200)).toEqual([100, 200]);
  });

  test('findTimeProblems(a store with Infinity, text and huge times) names each capture and field; a sound store has none', () => {
    const db = new Database(':memory:');
    v1Schema.up(db);
    const cap = db.prepare(
      "INSERT INTO captures (fingerprint, head_hash, path, size, format, compression, linktypes, end_offset, frames, ip_packets, bytes, first_seen, last_seen, truncated, errors, warnings, ingested_at) VALUES (?, 'h', ?, 1, 'pcap', 'none', '1', 24, 1, 1, 60, ?, ?, 0, 0, 0, 'now')",
    );
    cap.run('a', 'good.pcap', 100, 200);
    expect(findTimeProblems(db)).toEqual([]);
    cap.run('b', 'bad.pcapng', Infinity, 200);
    db.prepare("INSERT INTO scans (kind, host, transport, attempts, packets, bytes, peers, ports, first_seen, last_seen) VALUES ('scan', '10.0.0.9', 'tcp', 1, 1, 60, 1, 1, 100, 'NaN')").run();
    expect(findTimeProblems(db).map((p) => [p.field, p.capture, p.rows])).toEqual([
      ['captures.first_seen', 'bad.pcapng', 1],
      ['scans.last_seen', null, 1],
    ]);
  });
});
