import { newFrameCounters, newProtocolStats } from '../../../src/flows/flowDelta.js';
import { notAnalysed, type NotAnalysedInput } from '../../../src/cli/render/notAnalysed.js';

function input(o: Partial<NotAnalysedInput> = {}): NotAnalysedInput {
  return { protocols: new Map(), frameKinds: newFrameCounters(), l2ByEtherType: new Map(), undecodedLinktypes: new Map(), ...o };
}

describe('notAnalysed', () => {
  test('notAnalysed(a run that analysed everything) has no line and is not lossy', () => {
    expect(notAnalysed(input({ protocols: new Map([['modbus', { ...newProtocolStats('modbus'), pdus: 48 }]]) }))).toEqual({ lines: [], lossy: false });
  });

  test('notAnalysed(snaplen cuts, gaps, unparsed bytes, an undecoded link type) lists each per protocol, sorted, and is lossy', () => {
    const protocols = new Map([
      ['s7comm', { ...newProtocolStats('s7comm'), gapBytes: 2048, unparsedBytes: 10 }],
      ['modbus', { ...newProtocolStats('modbus'), snapCutSegments: 1, snapLostBytes: 6, snapCaplen: 96 }],
    ]);
    const r = notAnalysed(input({ protocols, undecodedLinktypes: new Map([['105', 3]]) }));
    expect(r.lossy).toBe(true);
    expect(r.lines).toEqual([
      '  not analysed:',
      '    3 frames of link type 105: not decoded, counted only (DECODE_UNSUPPORTED_LINKTYPE); capture from an Ethernet SPAN port or TAP',
      "    modbus: 1 segment with PDUs not analysed (6 B): frames cut to 96 bytes by the capture's snaplen; capture with -s 0",
      '    s7comm: 2.0 KB missing in TCP gaps (segments the capture lacks): their PDUs not analysed',
      '    s7comm: 10 B not parsed (resyncing after a gap or a framing error, partial or oversize PDUs)',
    ]);
  });

  test('notAnalysed(frames with no IP) counts them by kind, other EtherTypes by number and the rest as other; not lossy', () => {
    const frameKinds = { ...newFrameCounters(), arpPackets: 4, otherL2: 30, stp: 10 };
    const l2ByEtherType = new Map([[0, 12], [0x88cc, 2], [0x8892, 5]]);
    const r = notAnalysed(input({ frameKinds, l2ByEtherType }));
    expect(r).toEqual({
      lines: ['  frames with no IP: 34 (4 ARP, 2 LLDP, 10 STP, 2 other IEEE 802.3 LLC, 5 EtherType 0x8892, 11 other): not flows; ARP gives host MACs, the others MAC-only assets'],
      lossy: false,
    });
  });
});
