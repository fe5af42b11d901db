import { capturePointText } from '../../src/report/capturePointText.js';

describe('capturePointText', () => {
  test('capturePointText(each encapsulation) names the id the way the encapsulation calls it; none and unknown ends are left out', () => {
    const p = (encapsulation: string, tunnelId: number | null, outerSrc = '192.0.2.1', outerDst = '192.0.2.2') => capturePointText({ encapsulation, outerSrc, outerDst, tunnelId });
    expect(p('erspan-ii', 7)).toBe('erspan-ii 192.0.2.1 -> 192.0.2.2 session 7');
    expect(p('erspan-iii', 9)).toBe('erspan-iii 192.0.2.1 -> 192.0.2.2 session 9');
    expect(p('vxlan', 5001)).toBe('vxlan 192.0.2.1 -> 192.0.2.2 vni 5001');
    expect(p('gre', 42)).toBe('gre 192.0.2.1 -> 192.0.2.2 key 42');
    expect(p('gre', -1)).toBe('gre 192.0.2.1 -> 192.0.2.2');
    expect(p('ip-in-ip', null)).toBe('ip-in-ip 192.0.2.1 -> 192.0.2.2');
    expect(p('mpls', 1001, '00:50:56:00:00:20', '00:50:56:00:00:10')).toBe('mpls 00:50:56:00:00:20 -> 00:50:56:00:00:10 label 1001');
    expect(p('pppoe', 17, '', '')).toBe('pppoe session 17');
  });
});
