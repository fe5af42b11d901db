import { DECODE } from '../../src/decode/packet.js';
import type { CaptureRecord } from '../../src/ingest/record.js';
import { FRAME_RULES } from '../../src/flows/flowDelta.js';
import { FrameTally, countFrame } from '../../src/flows/frameTally.js';

const rec = (origlen: number): CaptureRecord => ({ origlen } as unknown as CaptureRecord);

test('FrameTally starts empty with every FrameCounters key, in FRAME_RULES order', () => {
  const t = new FrameTally();
  expect(Object.keys({ ...t }).sort()).toEqual(Object.keys(FRAME_RULES).sort());
  expect(t.frames).toBe(0);
  expect(t.firstTs).toBe(Infinity);
  expect(t.lastTs).toBe(-Infinity);
});

test('countFrame counts frames, bytes, the time span and each kind of frame once', () => {
  const t = new FrameTally();
  countFrame(t, rec(60), 100, DECODE.IP, true);
  countFrame(t, rec(70), 50, DECODE.IP, true);
  countFrame(t, rec(42), 200, DECODE.ARP, false);
  countFrame(t, rec(64), 150, DECODE.OTHER_L2, false);
  countFrame(t, rec(64), 150, DECODE.IP, false); // an IP result without an address: another L2 frame
  countFrame(t, rec(10), 150, DECODE.TRUNCATED, false);
  countFrame(t, rec(10), 150, DECODE.MALFORMED, false);
  countFrame(t, rec(10), 150, DECODE.UNSUPPORTED_LINKTYPE, false);
  expect({ ...t }).toEqual({
    frames: 8, ipPackets: 2, arpPackets: 1, otherL2: 2, stp: 0, truncated: 1, malformed: 1, unsupportedLinktype: 1,
    bytes: 60 + 70 + 42 + 64 + 64 + 30, firstTs: 50, lastTs: 200,
  });
});
