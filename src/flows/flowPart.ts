/**
 * A capture file's deltas handed over in parts while the file is read (FlowAggregator.takePart), so
 * that what the flow stage holds does not grow with the file's size and time span: each part is the
 * flow deltas folded since the previous part, and the store adds it into the file's open transaction
 * (the upserts are additive), so the file is still committed all or nothing and the store ends up as
 * if the file's deltas had come at once.
 *
 * Only the flows (with their hours, per-day function counts, ranges, objects, attributes) go in
 * parts: they are what grows with time. What a part takes from the folder besides (protocol coverage
 * counters and engineering events) is held back here and handed over with the file's batch
 * (takeBatch), so protocol rows and events are written once per file as before: events keep their
 * order and a first-kind event stays the first of its key.
 */
import { PROTOCOL_RULES, mergeCounters, newProtocolStats, type FlowBatch, type FlowDelta, type ProtocolStatsDelta } from './flowDelta.js';
import { mergeEvents, type EventDelta } from './eventDelta.js';

/** One part of a file's deltas: flow deltas to add to the store (FlowBatch.flows of the part). */
export interface FlowPart {
  flows: FlowDelta[];
}

/**
 * Connection folds between two parts (default): the pending flow deltas grow by at most a few hour
 * and function-day entries per fold, so this bounds them to a few MB whatever the file.
 */
export const DEFAULT_PART_FOLDS = 20_000;

/**
 * Flow, hour and function-day entries (FlowFolder.entries) the pending deltas must also hold before a
 * default part is due (about 10 MB: an hour entry is 3 numbers of a flow's flat list, a day entry 4):
 * without it, 1 M short connections over 19,000 flows gave a part every 20,000 folds, each rewriting
 * nearly every flow (1,348 MB and 35.6 s of CPU instead of 1,293 MB and 24.3 s without parts, measured
 * by the connstate branch). 100,000 while an entry was an object of its own; with flat lists 300,000
 * hold the same memory and write a third as many parts (plant-shaped 1 GB, 5 interleaved runs: 2
 * threads 3.64 -> 3.51 s median, 1 thread 5.22 -> 5.00 s; peak +4 MB; the 1 M short connections'
 * peak unchanged).
 */
export const DEFAULT_PART_ENTRIES = 300_000;

/** What the flow folder hands over (FlowFolder.take()). */
export type FolderTake = Pick<FlowBatch, 'flows' | 'protocols' | 'events'>;

/** The protocol counters and events of the parts taken so far in this file, until its batch. */
export class PartHoldback {
  private protocols = new Map<string, ProtocolStatsDelta>();
  private events: EventDelta[][] = [];

  /** A part of `t`: its flows; its protocols and events are held back. */
  part(t: FolderTake): FlowPart {
    this.hold(t.protocols);
    if (t.events.length > 0) this.events.push(t.events);
    return { flows: t.flows };
  }

  /** The file's last take `t` with what the parts held back merged in (protocols in first-seen order, events in event order). */
  finish(t: FolderTake): FolderTake {
    if (this.protocols.size === 0 && this.events.length === 0) return t;
    this.hold(t.protocols);
    const out = { flows: t.flows, protocols: [...this.protocols.values()], events: mergeEvents([...this.events, t.events]) };
    this.protocols = new Map();
    this.events = [];
    return out;
  }

  private hold(protocols: readonly ProtocolStatsDelta[]): void {
    for (const p of protocols) {
      let e = this.protocols.get(p.protocol);
      if (e === undefined) this.protocols.set(p.protocol, (e = newProtocolStats(p.protocol)));
      mergeCounters(PROTOCOL_RULES, e, p);
    }
  }
}
