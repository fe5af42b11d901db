/**
 * What a run added to the store: flows, hosts (flow endpoints) and protocols that were not in it
 * before. A mark taken before the run is the largest flow id then (flows are only ever added, so a
 * flow with a larger id is new), or, for a run that rebuilds the store (ingest --reprocess), a copy
 * of the flow keys before (a temporary table of this connection), which also tells the flows gone.
 */
import type Database from 'better-sqlite3';

export type StoreMark = { kind: 'id'; maxFlowId: number } | { kind: 'snapshot'; table: string };

export interface StoreNews {
  /** Flows (initiator, responder, transport, port, protocol) that were not in the store. */
  flows: number;
  /** Flow endpoints that were no endpoint of any flow, in address order as text sorts them. */
  hosts: string[];
  /** Protocols that no flow had. */
  protocols: string[];
  /** Flows that were in the store and are no more (a rebuild only; 0 otherwise). */
  goneFlows: number;
}

let snapshots = 0;

export function markStore(db: Database.Database, rebuild: boolean): StoreMark {
  if (!rebuild) {
    const r = db.prepare('SELECT coalesce(max(id), 0) AS n FROM flows').get() as { n: number };
    return { kind: 'id', maxFlowId: r.n };
  }
  const table = `zs_flows_before_${++snapshots}`;
  db.exec(`CREATE TEMP TABLE ${table} AS SELECT src, dst, transport, port, protocol FROM main.flows`);
  return { kind: 'snapshot', table };
}

export function newsSince(db: Database.Database, mark: StoreMark): StoreNews {
  const before =
    mark.kind === 'id'
      ? { sql: 'SELECT src, dst, transport, port, protocol FROM flows WHERE id <= ?', params: [mark.maxFlowId] }
      : { sql: `SELECT src, dst, transport, port, protocol FROM temp.${mark.table}`, params: [] };
  const now = 'SELECT src, dst, transport, port, protocol FROM main.flows';
  const count = (sql: string, params: unknown[]): number => (db.prepare(`SELECT count(*) AS n FROM (${sql})`).get(...params) as { n: number }).n;
  const column = (sql: string, params: unknown[]): string[] => (db.prepare(sql).all(...params) as Array<{ v: string }>).map((r) => r.v);
  const hostsOf = (flows: string): string => `SELECT v FROM (SELECT src AS v FROM (${flows}) UNION SELECT dst AS v FROM (${flows}))`;
  const news: StoreNews = {
    flows: count(`${now} EXCEPT ${before.sql}`, before.params),
    hosts: column(`${hostsOf(now)} EXCEPT ${hostsOf(before.sql)} ORDER BY v`, [...before.params, ...before.params]),
    protocols: column(`SELECT protocol AS v FROM (${now}) EXCEPT SELECT protocol AS v FROM (${before.sql}) ORDER BY v`, before.params),
    goneFlows: mark.kind === 'snapshot' ? count(`${before.sql} EXCEPT ${now}`, before.params) : 0,
  };
  if (mark.kind === 'snapshot') db.exec(`DROP TABLE IF EXISTS temp.${mark.table}`);
  return news;
}
