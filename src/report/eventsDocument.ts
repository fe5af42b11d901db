/**
 * The `zonescope/events@1` document (docs/INTERFACES.md "Events JSON"): the engineering events read
 * through BaselineReader.events(), in time order. Keys in a fixed order: those of the contract first,
 * then where the event travelled (transport, port, code space) and, when there is one, the variant
 * of the code and the object or range the request named.
 */
import type { EventRecord } from '../baseline/reader.js';
import { isoTime } from './json.js';

export const EVENTS_SCHEMA = 'zonescope/events@1';

export function eventEntry(e: EventRecord): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    time: isoTime(e.time),
    src: e.src,
    dst: e.dst,
    protocol: e.protocol,
    kind: e.kind,
    code: e.code,
    name: e.name,
    first: e.first,
    count: e.count,
    capture: e.capture,
    frame: e.frame,
    transport: e.transport,
    port: e.port,
    space: e.space,
  };
  if (e.variant !== 0) entry.variant = e.variant;
  if (e.object !== '') entry.object = e.object;
  return entry;
}

export function eventsDocument(events: readonly EventRecord[]): { schema: string; events: Array<Record<string, unknown>> } {
  return { schema: EVENTS_SCHEMA, events: events.map(eventEntry) };
}
