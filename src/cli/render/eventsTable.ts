/** The engineering events as table rows (`zonescope events`): codes as engineers write them. */
import type { EventRecord } from '../../baseline/reader.js';
import { isoTime } from '../../report/json.js';
import { num } from '../format.js';
import type { Column } from './table.js';

export const EVENT_COLUMNS: readonly Column[] = [
  { header: 'TIME' }, { header: 'KIND' }, { header: 'SRC' }, { header: 'DST' }, { header: 'PROTO' }, { header: 'CODE' },
  { header: 'NAME' }, { header: 'OBJECT' }, { header: 'FIRST' }, { header: 'COUNT', right: true }, { header: 'CAPTURE' },
  { header: 'FRAME', right: true },
];

/** `FC16` (Modbus), `0x4D` (CIP service, S7 function), the number otherwise. */
export function eventCodeLabel(e: Pick<EventRecord, 'protocol' | 'space' | 'code'>): string {
  if (e.protocol === 'modbus' && e.space === 'function') return `FC${e.code}`;
  if (e.space === 'cip' || e.protocol.startsWith('s7comm')) return `0x${e.code.toString(16).toUpperCase().padStart(2, '0')}`;
  return String(e.code);
}

/** One row; on a terminal the capture is its file name and counts are grouped (`1,024`). */
export function eventCells(e: EventRecord, tty: boolean): string[] {
  const capture = e.capture ?? '';
  return [
    isoTime(e.time),
    e.kind,
    e.src,
    e.dst,
    `${e.transport}/${e.protocol}`,
    eventCodeLabel(e),
    e.name,
    e.object,
    e.first ? 'yes' : 'no',
    tty ? num(e.count) : String(e.count),
    tty ? capture.replace(/^.*[\\/]/, '') : capture,
    String(e.frame),
  ];
}

/** `12 events: 3 program, 2 control, 7 write (first of their code per host pair)`. */
export function eventsTotalsLine(events: readonly EventRecord[]): string {
  const by = new Map<string, number>();
  for (const e of events) by.set(e.kind, (by.get(e.kind) ?? 0) + 1);
  const parts = ['program', 'control', 'write', 'diagnostic'].filter((k) => by.has(k)).map((k) => `${num(by.get(k)!)} ${k}`);
  return `${num(events.length)} event${events.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}
