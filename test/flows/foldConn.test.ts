import { createRegistry } from '../../src/dissectors/registry.js';
import { s7comm } from '../../src/dissectors/s7comm/index.js';
import { s7BlockKey, s7ObjectKey } from '../../src/dissectors/s7comm/s7ObjectKey.js';
import { AppSession } from '../../src/dissectors/session.js';
import type { Conn } from '../../src/flows/conn.js';
import { InitiatorDecider } from '../../src/flows/decideInitiator.js';
import { FlowFolder, describeFunction, objectSpaceName, renderObjectKey } from '../../src/flows/foldConn.js';
import { L2Tracker } from '../../src/flows/l2Tracker.js';
import { ProbeDetector } from '../../src/flows/probeDetector.js';
import { ConnFixture } from './connFixture.js';
import { dayEntries } from '../../src/flows/flowDelta.js';

const registry = createRegistry([s7comm]);
const DAY = 20454; // 2026-01-01
const T0 = DAY * 86400 + 86400 - 10; // 10 s before midnight UTC

function setup() {
  const fx = new ConnFixture();
  const decider = new InitiatorDecider(registry, fx.hosts);
  const folder = new FlowFolder(fx.hosts, decider, new ProbeDetector(fx.hosts, 256), new L2Tracker(fx.hosts));
  const c = fx.conn('10.20.3.10', 50000, '10.20.1.13', 102, 6, T0);
  c.syn = c.firstFromA ? 1 : 0;
  c.payloadSeen = true;
  c.answeredA = c.answeredB = true;
  c.session = new AppSession(registry, 'tcp', c.portA, c.portB, -1, -1);
  return { fx, folder, c };
}

/** One S7 request counted at `ts` the way the sink does it. */
function request(c: Conn, ts: number, space: number, code: number): void {
  c.count(c.firstFromA, 100, ts);
  const fns = (c.fns ??= new Map());
  const k = space * 2 ** 40 + code;
  const f = fns.get(k) ?? { space, code, variant: 0, requests: 0, responses: 0, exceptions: 0 };
  f.requests++;
  fns.set(k, f);
}

describe('FlowFolder', () => {
  test('fold(conn) twice adds only what happened between the folds (nothing counted twice)', () => {
    const { folder, c } = setup();
    request(c, T0, 0, 0x04);
    folder.fold(c);
    request(c, T0 + 1, 0, 0x04);
    folder.fold(c);
    folder.fold(c);
    const { flows, protocols } = folder.take();
    expect(flows).toHaveLength(1);
    const f = flows[0]!;
    expect([f.src, f.dst, f.port, f.protocol, f.connections, f.packetsToResponder]).toEqual(['10.20.3.10', '10.20.1.13', 102, 's7comm', 1, 2]);
    expect(f.functions.get(4)!.requests).toBe(2);
    expect(protocols.map((p) => [p.protocol, p.connections])).toEqual([['s7comm', 1]]);
  });

  test('fold(conn spanning midnight UTC) splits the function counts by day; the totals are their sum', () => {
    const { folder, c } = setup();
    request(c, T0, 0, 0x04);
    request(c, T0 + 5, 0, 0x04);
    request(c, T0 + 20, 0, 0x04); // the next day
    request(c, T0 + 30, 0, 0x05);
    folder.fold(c);
    const f = folder.take().flows[0]!;
    const read = f.functions.get(4)!;
    expect(read.requests).toBe(3);
    expect(dayEntries(read.days).map(([d, n]) => [d, n.requests])).toEqual([[DAY, 2], [DAY + 1, 1]]);
    expect(dayEntries(f.functions.get(5)!.days).map(([d]) => d)).toEqual([DAY + 1]);
    expect([read.spaceName, read.name, read.opClass]).toEqual(['function', 'READ_VAR', 'read']);
  });

  test('fold(conn with objects) names object spaces by the dissector and renders their keys', () => {
    const { folder, c } = setup();
    request(c, T0, 0, 0x04);
    c.objects = new Map<string | number, { space: number; key: number | string; reads: number; writes: number }>([
      [1, { space: 0, key: s7ObjectKey(0x84, 10, 4 << 3, 0x02, 1), reads: 3, writes: 0 }],
      [2, { space: 1, key: s7BlockKey(0x08, 1), reads: 0, writes: 1 }],
    ]);
    folder.fold(c);
    const f = folder.take().flows[0]!;
    expect([...f.objects.values()]).toEqual([
      { spaceName: 'variable', key: 'DB10.DBB4', reads: 3, writes: 0 },
      { spaceName: 'block', key: 'OB1', reads: 0, writes: 1 },
    ]);
  });

  test('describeFunction / objectSpaceName / renderObjectKey without a dissector keep the numbers, named as unknown', () => {
    const fn = describeFunction(null, { space: 2, code: 0x5a, variant: 0, requests: 1, responses: 0, exceptions: 0 }, DAY);
    expect([fn.spaceName, fn.name, fn.opClass, dayEntries(fn.days).find(([d]) => d === DAY)![1].requests]).toEqual(['2', 'Unknown (0x5a)', 'other', 1]);
    expect(objectSpaceName(null, 3)).toBe('object-3');
    expect(renderObjectKey(null, { space: 0, key: 42, reads: 1, writes: 0 })).toBe('42');
  });
});
