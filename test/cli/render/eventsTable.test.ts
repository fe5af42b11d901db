import type { EventRecord } from '../../../src/baseline/reader.js';
import { EVENT_COLUMNS, eventCells, eventCodeLabel, eventsTotalsLine } from '../../../src/cli/render/eventsTable.js';
import { alignedTable } from '../../../src/cli/render/table.js';

const base: EventRecord = {
  time: 1_770_286_867.123456, kind: 'program', src: '10.20.3.10', dst: '10.20.1.13', transport: 'tcp', port: 102, protocol: 's7comm',
  space: 'function', code: 0x1a, variant: 0, name: 'REQUEST_DOWNLOAD', object: 'OB1', first: true, count: 1,
  capture: '/caps/unit3-span_00011_20260205000000.pcap.gz', frame: 48213,
};

describe('eventsTable', () => {
  test('eventCodeLabel(Modbus, CIP, S7, other) writes codes as engineers do: FC16, 0x4D, 0x1A, 99', () => {
    expect(eventCodeLabel({ protocol: 'modbus', space: 'function', code: 16 })).toBe('FC16');
    expect(eventCodeLabel({ protocol: 'enip', space: 'cip', code: 0x4d })).toBe('0x4D');
    expect(eventCodeLabel({ protocol: 's7comm', space: 'function', code: 0x1a })).toBe('0x1A');
    expect(eventCodeLabel({ protocol: 'enip', space: 'encapsulation', code: 99 })).toBe('99');
  });

  test('eventCells(tty) shows the capture file name and grouped counts; in a pipe the full path and plain numbers', () => {
    const e = { ...base, count: 1234 };
    expect(eventCells(e, true)).toEqual(['2026-02-05T10:21:07.123456Z', 'program', '10.20.3.10', '10.20.1.13', 'tcp/s7comm', '0x1A', 'REQUEST_DOWNLOAD', 'OB1', 'yes', '1,234', 'unit3-span_00011_20260205000000.pcap.gz', '48213']);
    expect(eventCells(e, false).slice(9)).toEqual(['1234', '/caps/unit3-span_00011_20260205000000.pcap.gz', '48213']);
    expect(alignedTable(EVENT_COLUMNS, [eventCells(e, true)]).split('\n')[0]).toMatch(/^TIME\s+KIND\s+SRC/);
  });

  test('eventsTotalsLine(events) counts them by kind in a fixed order', () => {
    expect(eventsTotalsLine([base, { ...base, kind: 'write' }, { ...base, kind: 'program' }])).toBe('3 events: 2 program, 1 write');
    expect(eventsTotalsLine([])).toBe('0 events');
  });
});
