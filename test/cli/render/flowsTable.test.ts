import type { FlowRecord } from '../../../src/baseline/reader.js';
import { codesText, daysSeen, flowCells, modbusRangeText, operationsText, sortFlows, totalsLine } from '../../../src/cli/render/flowsTable.js';

function flow(p: Partial<FlowRecord>): FlowRecord {
  return {
    id: 1, src: '10.0.0.1', dst: '10.0.0.9', transport: 'tcp', port: 502, protocol: 'modbus',
    packetsToResponder: 1, packetsToInitiator: 1, bytesToResponder: 60, bytesToInitiator: 60, connections: 1,
    firstSeen: Date.UTC(2026, 1, 1) / 1000, lastSeen: Date.UTC(2026, 1, 3, 12) / 1000,
    evidence: {}, hours: [], functions: [], ranges: [], objects: [], attributes: [], ...p,
  };
}

const fn = (space: string, code: number, name: string, opClass: string, requests: number) => ({ space, code, variant: 0, name, opClass, requests, responses: requests, exceptions: 0 });

describe('flowsTable', () => {
  test('codesText(modbus) writes FC3; codesText(enip) writes CIP services in hex and leaves out encapsulation', () => {
    expect(codesText(flow({ functions: [fn('function', 16, 'WRITE_MULTIPLE_REGISTERS', 'write', 2), fn('function', 3, 'READ_HOLDING_REGISTERS', 'read', 9)] }))).toBe('FC3 FC16');
    const enip = flow({ protocol: 'enip', port: 44818, functions: [fn('cip', 0x4c, 'READ_TAG', 'read', 4), fn('cip', 0x4d, 'WRITE_TAG', 'write', 1), fn('encapsulation', 0x6f, 'SEND_RR_DATA', 'session', 5)] });
    expect(codesText(enip)).toBe('0x4C 0x4D');
    expect(operationsText(enip)).toBe('read:4 session:5 write:1');
  });

  test('daysSeen(flow) counts distinct UTC days of activity', () => {
    const h = (d: number, hr: number) => ({ hour: Math.floor(Date.UTC(2026, 1, d, hr) / 3600000), packets: 1, bytes: 1 });
    expect(daysSeen(flow({ hours: [h(1, 0), h(1, 23), h(3, 5)] }))).toBe(2);
  });

  test('sortFlows(flows, packets) puts the busiest first; ties keep numeric address order', () => {
    const a = flow({ src: '10.0.0.10', packetsToResponder: 5 });
    const b = flow({ src: '10.0.0.2', packetsToResponder: 5 });
    const c = flow({ src: '10.0.0.3', packetsToResponder: 50 });
    expect(sortFlows([a, b, c], 'packets').map((f) => f.src)).toEqual(['10.0.0.3', '10.0.0.2', '10.0.0.10']);
    expect(sortFlows([a, b, c], 'src').map((f) => f.src)).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.10']);
  });

  test('modbusRangeText(range) names the table and says the start is 0-based', () => {
    expect(modbusRangeText({ table: 4, start: 0, count: 10, write: false, requests: 7 })).toBe('read holding registers 0..9 (10, 0-based) x7');
    expect(modbusRangeText({ table: 0, start: 100, count: 1, write: true, requests: 1 })).toBe('write coils 100..100 (1, 0-based) x1');
  });

  test('flowCells(flow, tty) and totalsLine(flows): raw numbers in pipes, grouped on a terminal', () => {
    const f = flow({ packetsToResponder: 1500, bytesToResponder: 123456 });
    expect(flowCells(f, false).slice(4, 10)).toEqual(['1501', '123516', '1', '2026-02-01 00:00:00Z', '2026-02-03 12:00:00Z', '0']);
    expect(flowCells(f, true)[4]).toBe('1,501');
    expect(totalsLine([f, flow({ src: '10.0.0.2' })])).toBe('total: 2 flows between 3 hosts, 1,503 packets, 124 KB, 2 connections, 2026-02-01 00:00:00Z .. 2026-02-03 12:00:00Z');
  });
});
