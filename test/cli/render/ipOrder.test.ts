import { compareIp, hostMatcher } from '../../../src/cli/render/ipOrder.js';

describe('ipOrder', () => {
  test('compareIp sorts IPv4 numerically (10.0.0.2 before 10.0.0.10), IPv4 before IPv6, then the rest', () => {
    const ips = ['10.0.0.10', 'fe80::1', '10.0.0.2', '9.255.255.255', 'not-an-ip', '::1'];
    expect([...ips].sort(compareIp)).toEqual(['9.255.255.255', '10.0.0.2', '10.0.0.10', '::1', 'fe80::1', 'not-an-ip']);
  });

  test('hostMatcher(IP | CIDR) matches that host or network; null for anything else', () => {
    const net = hostMatcher('10.20.1.0/24')!;
    expect(net('10.20.1.77')).toBe(true);
    expect(net('10.20.2.1')).toBe(false);
    expect(net('fe80::1')).toBe(false);
    expect(hostMatcher('10.20.1.5')!('10.20.1.5')).toBe(true);
    expect(hostMatcher('10.20.1.5')!('10.20.1.50')).toBe(false);
    expect(hostMatcher('PLC-01')).toBeNull();
  });
});
