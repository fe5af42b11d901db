import { decodePacket } from '../../src/decode/decodePacket.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { CapturePointTally } from '../../src/flows/capturePointTally.js';
import { newCaptureRecord } from '../../src/ingest/record.js';
import * as t from '../decode/tunnelFrames.js';

/** Every frame through decodePacket, then note() for the tunnelled ones, as the flow stage does. */
function tally(frames: Buffer[], tl = new CapturePointTally()): CapturePointTally {
  const pkt = new DecodedPacket();
  frames.forEach((f, i) => {
    const rec = newCaptureRecord();
    rec.data = f;
    rec.caplen = rec.origlen = f.length;
    rec.linktype = 1;
    decodePacket(rec, pkt);
    if (pkt.tunnelKind !== 0) tl.note(rec, pkt, 100 + i);
  });
  return tl;
}

describe('CapturePointTally', () => {
  const inner = t.modbusConversation('10.30.1.50', '10.20.1.10', 50001, 2);

  test('CapturePointTally.note(interleaved ERSPAN, VXLAN and plain frames) counts each tunnel apart with its first and last time', () => {
    const frames = inner.flatMap((f, i) => [t.erspan2(f, i), t.vxlan(f, i), f]);
    const points = tally(frames).take();
    expect(points).toEqual([
      { encapsulation: 'erspan-ii', outerSrc: '192.0.2.1', outerDst: '192.0.2.2', tunnelId: 7, frames: inner.length, firstTs: 100, lastTs: 100 + 3 * (inner.length - 1) },
      { encapsulation: 'vxlan', outerSrc: '192.0.2.1', outerDst: '192.0.2.2', tunnelId: 5001, frames: inner.length, firstTs: 101, lastTs: 101 + 3 * (inner.length - 1) },
    ]);
  });

  test('CapturePointTally.note(MPLS and PPPoE frames) names the outer MACs, and take() starts over', () => {
    const tl = tally([...inner.map((f) => t.mpls(f)), t.pppoe(inner[0]!)]);
    expect(tl.take().map((p) => `${p.encapsulation} ${p.outerSrc} ${p.outerDst} ${p.tunnelId} ${p.frames}`)).toEqual([
      `mpls 00:50:56:00:00:20 00:50:56:00:00:10 1001 ${inner.length}`,
      'pppoe 00:50:56:00:00:20 00:50:56:00:00:10 17 1',
    ]);
    expect(tl.take()).toEqual([]);
  });
});
