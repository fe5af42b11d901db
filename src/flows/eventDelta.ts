/**
 * Engineering events (docs/INTERFACES.md "Events JSON"): what an engineer asks the captures "when"
 * about. Every `program` request (block download/upload) and `control` request (PLC stop/start, PI
 * services, resets, operates) is an event of its own; a `write` or `diagnostic` request is an event
 * only as the FIRST of its (host pair, protocol, code) by time, the later ones counted on it. Each
 * event points at its frame (capture file, frame number as tshark numbers it).
 *
 * Events are rare, so they are plain objects; the per-PDU cost is one comparison in the sink
 * (connSink.ts), where each function counter knows its event class from its creation.
 */
import type { FunctionClass } from '../dissectors/types.js';

export type EventKind = 'program' | 'control' | 'write' | 'diagnostic';

/** What a function counter's requests are: no event, each one an event, or only the first per pair. */
export const EVENT_NONE = 0;
export const EVENT_EACH = 1;
export const EVENT_FIRST = 2;

/** The event class of an operation class (EVENT_NONE, EVENT_EACH, EVENT_FIRST). */
export function eventClassOf(opClass: FunctionClass): number {
  if (opClass === 'program' || opClass === 'control') return EVENT_EACH;
  if (opClass === 'write' || opClass === 'diagnostic') return EVENT_FIRST;
  return EVENT_NONE;
}

/** True for the kinds kept once per (pair, protocol, code): the first by time, the rest counted on it. */
export function isFirstKind(kind: string): boolean {
  return kind === 'write' || kind === 'diagnostic';
}

/**
 * Events past this many per connection and fold (one capture file) are counted on the last event of
 * their code instead of listed (a hostile or runaway peer must not grow memory without end).
 */
export const MAX_CONN_EVENTS = 1000;

/** An event while its connection is live (raw codes and object key; named when the connection is folded). */
export interface ConnEvent {
  space: number;
  code: number;
  variant: number;
  /** EVENT_EACH or EVENT_FIRST */
  cls: number;
  ts: number;
  file: string;
  frame: number;
  /** PDUs this event stands for (itself and, for first-kinds, the later ones of its code) */
  count: number;
  /** the first object the request named (a block, a variable, a tag), -1 / '' when none */
  objectSpace: number;
  objectKey: number | string;
  /** further objects the same request named (S7 Write Var items, blocks of a PI service) */
  moreObjects: number;
  /** the first address range the request named (conn.ts rangeKey), -1 when none */
  rangeKey: number;
}

/** What an event is about: who to whom, over what, which code and object (the store's events and the flow stage's alike). */
export interface EventSubject {
  /** initiator and responder of the connection that carried it (the flow's src and dst) */
  src: string;
  dst: string;
  transport: string;
  port: number;
  protocol: string;
  /** the dissector's name of the code space (Dissector.spaces: `function`, `cip`, `userdata`, ...) */
  space: string;
  code: number;
  variant: number;
  name: string;
  /** the rendered object the request named (`OB1`, `DB10.DBX4.0`, a tag; `OB1 (+2 more)` when it named several), '' when none */
  object: string;
}

/** One event as the flow stage hands it to the store (inside a FlowBatch). */
export interface EventDelta extends EventSubject {
  kind: EventKind;
  ts: number;
  /** capture file and frame number in it (1-based, as tshark numbers frames) */
  file: string;
  frame: number;
  count: number;
}

/** The key a first-kind event is kept once under: host pair, protocol, code space, code, variant. */
export function firstKey(e: Pick<EventDelta, 'src' | 'dst' | 'protocol' | 'space' | 'code' | 'variant'>): string {
  return `${e.src}\u0000${e.dst}\u0000${e.protocol}\u0000${e.space}\u0000${e.code}\u0000${e.variant}`;
}

/** Event order: time, then file and frame, then the rest of the key (stable, whatever the shard). */
export function compareEvents(a: EventDelta, b: EventDelta): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.frame !== b.frame) return a.frame - b.frame;
  const ka = `${firstKey(a)}\u0000${a.kind}\u0000${a.object}`;
  const kb = `${firstKey(b)}\u0000${b.kind}\u0000${b.object}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Add first-kind event `e` into `m`: the earlier one (by time, then frame) stays first, its place
 * (file, frame, object) with it; the counts add up. THE merge of first-kind events, used when a
 * connection is folded, when shards are merged and (in SQL) by the store's reader.
 */
export function addFirst(m: Map<string, EventDelta>, e: EventDelta): void {
  const k = firstKey(e);
  const cur = m.get(k);
  if (cur === undefined) {
    m.set(k, { ...e });
    return;
  }
  const count = cur.count + e.count;
  if (compareEvents(e, cur) < 0) Object.assign(cur, e);
  cur.count = count;
}

/**
 * Events of several lists (connections, shards) as one list in event order: each-kind events all
 * kept, first-kind events merged by addFirst.
 */
export function mergeEvents(lists: ReadonlyArray<readonly EventDelta[]>): EventDelta[] {
  const out: EventDelta[] = [];
  const firsts = new Map<string, EventDelta>();
  for (const list of lists) {
    for (const e of list) {
      if (isFirstKind(e.kind)) addFirst(firsts, e);
      else out.push({ ...e });
    }
  }
  out.push(...firsts.values());
  return out.sort(compareEvents);
}
