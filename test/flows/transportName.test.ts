import { transportName } from '../../src/flows/transportName.js';

describe('transportName', () => {
  test('transportName(6, 17, 1, 58) is tcp, udp, icmp, icmpv6; an unlisted number is ip-N', () => {
    expect([6, 17, 1, 58].map(transportName)).toEqual(['tcp', 'udp', 'icmp', 'icmpv6']);
    expect(transportName(253)).toBe('ip-253');
  });
});
