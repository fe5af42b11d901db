import { ConnFixture } from './connFixture.js';

describe('ConnHosts', () => {
  test('ConnHosts.addrKey(conn) names both sides without interning; hostId/ip intern once per side', () => {
    const fx = new ConnFixture();
    const c = fx.conn('10.20.1.10', 502, '10.30.1.50', 50123);
    const a = fx.hosts.addrKey(c, true);
    const b = fx.hosts.addrKey(c, false);
    expect(a).not.toBe(b);
    expect(typeof a).toBe('number');
    expect(fx.hosts.hosts.size).toBe(0);
    const ips = [fx.hosts.ip(c, true), fx.hosts.ip(c, false)].sort();
    expect(ips).toEqual(['10.20.1.10', '10.30.1.50']);
    expect(fx.hosts.hosts.size).toBe(2);
    expect(fx.hosts.hostId(c, true)).toBe(c.hostA);
    fx.hosts.ip(c, true);
    expect(fx.hosts.hosts.size).toBe(2);
  });

  test('ConnHosts.addrKey(two connections of the same host) is the same key', () => {
    const fx = new ConnFixture();
    const c1 = fx.conn('10.30.1.50', 50000, '10.20.1.10', 502);
    const c2 = fx.conn('10.30.1.50', 50001, '10.20.1.11', 502);
    const key = (c: typeof c1, ip: string): number | string => (fx.hosts.ip(c, true) === ip ? fx.hosts.addrKey(c, true) : fx.hosts.addrKey(c, false));
    expect(key(c1, '10.30.1.50')).toBe(key(c2, '10.30.1.50'));
  });
});
