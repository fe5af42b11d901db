import { isProbe, ProbeDetector, hashString } from '../../src/flows/probeDetector.js';
import { ConnFixture } from './connFixture.js';

/** A failed TCP attempt from `src` to `dst:port`: one SYN, no answer, initiator decided. */
function attempt(fx: ConnFixture, src: string, dst: string, port: number) {
  const c = fx.conn(src, 40000 + (port % 20000), dst, port);
  c.count(c.firstFromA, 60, 1_767_600_000);
  c.initiatorIsA = c.firstFromA ? 1 : 0;
  return c;
}

describe('ProbeDetector', () => {
  test('isProbe(conn) is true without payload and answer, false once the responder answered or a payload passed', () => {
    const fx = new ConnFixture();
    const c = attempt(fx, '10.0.0.9', '10.0.0.1', 22);
    expect(isProbe(c)).toBe(true);
    if (c.initiatorIsA === 1) c.answeredB = true;
    else c.answeredA = true;
    expect(isProbe(c)).toBe(false);
    c.closeFlags = 4; // answered, then reset at once: a half-open scan
    expect(isProbe(c)).toBe(true);
    c.payloadSeen = true;
    expect(isProbe(c)).toBe(false);
  });

  test('absorb(attempts of one host) keeps the first `threshold` as flows, then summarises a scan with its targets and ports', () => {
    const fx = new ConnFixture();
    const p = new ProbeDetector(fx.hosts, 3);
    const results: boolean[] = [];
    for (let i = 0; i < 8; i++) results.push(p.absorb(attempt(fx, '10.0.0.9', `10.0.1.${i}`, 1000 + i), 'tcp'));
    expect(results).toEqual([false, false, false, true, true, true, true, true]);
    expect(p.take()).toEqual([{ kind: 'scan', host: '10.0.0.9', transport: 'tcp', attempts: 5, packets: 5, bytes: 300, peers: 5, ports: 5, firstTs: 1_767_600_000, lastTs: 1_767_600_000 }]);
    expect(p.take()).toEqual([]);
  });

  test('absorb(attempts from many sources to one host) summarises a flood on the target', () => {
    const fx = new ConnFixture();
    const p = new ProbeDetector(fx.hosts, 2);
    for (let i = 0; i < 6; i++) p.absorb(attempt(fx, `172.16.0.${i}`, '10.0.0.1', 80), 'tcp');
    const [s] = p.take();
    expect([s!.kind, s!.host, s!.attempts, s!.ports]).toEqual(['flood', '10.0.0.1', 4, 1]); // the 3rd to 6th attempt
  });

  test('hashString(s) is a stable unsigned 32-bit FNV-1a', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
