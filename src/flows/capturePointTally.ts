/**
 * CapturePointTally: the capture points of the frames seen since the last take(): per tunnel (its
 * encapsulation, outer endpoints and id, see tunnels.ts) the frames that arrived through it and when.
 * A tunnel is the capture point (how the sensor is fed: remote SPAN over ERSPAN, a VXLAN overlay), not
 * a flow of the plant. Only tunnelled frames reach note(); consecutive frames of the same tunnel find
 * their counter without building its key.
 */
import type { DecodedPacket } from '../decode/packet.js';
import { ipToString, macToString } from '../decode/format.js';
import { TUNNEL_NAMES } from '../decode/tunnels.js';
import type { CaptureRecord } from '../ingest/record.js';
import { LINKTYPE } from '../ingest/record.js';
import { capturePointKey, type CapturePointDelta } from './flowDelta.js';

export class CapturePointTally {
  #points = new Map<string, CapturePointDelta>();
  /** The last tunnel seen: kind, id, and the 8 words of its outer ends (addresses, or MACs), and its counter. */
  readonly #last = new Float64Array(10).fill(-2);
  readonly #ends = new Float64Array(8);
  #lastPoint: CapturePointDelta | null = null;

  note(rec: CaptureRecord, pkt: DecodedPacket, ts: number): void {
    const l = this.#last;
    const e = this.#ends;
    if (pkt.tunnelIpVersion !== 0) {
      for (let i = 0; i < 4; i++) {
        e[i] = pkt.tunnelSrc[i]!;
        e[4 + i] = pkt.tunnelDst[i]!;
      }
    } else if (rec.linktype === LINKTYPE.ETHERNET && rec.data.length >= 12) {
      e.fill(0);
      e[0] = rec.data.readUInt32BE(6);
      e[1] = rec.data.readUInt16BE(10);
      e[4] = rec.data.readUInt32BE(0);
      e[5] = rec.data.readUInt16BE(4);
    } else e.fill(0);
    let c = this.#lastPoint;
    let same = c !== null && l[0] === pkt.tunnelKind && l[1] === pkt.tunnelId;
    for (let i = 0; same && i < 8; i++) same = l[2 + i] === e[i];
    if (!same || c === null) {
      c = this.#find(rec, pkt, ts);
      l[0] = pkt.tunnelKind;
      l[1] = pkt.tunnelId;
      l.set(e, 2);
      this.#lastPoint = c;
    }
    c.frames++;
    if (ts < c.firstTs) c.firstTs = ts;
    if (ts > c.lastTs) c.lastTs = ts;
  }

  #find(rec: CaptureRecord, pkt: DecodedPacket, ts: number): CapturePointDelta {
    let outerSrc = '';
    let outerDst = '';
    if (pkt.tunnelIpVersion !== 0) {
      outerSrc = ipToString(pkt.tunnelSrc, pkt.tunnelIpVersion);
      outerDst = ipToString(pkt.tunnelDst, pkt.tunnelIpVersion);
    } else if (rec.linktype === LINKTYPE.ETHERNET && rec.data.length >= 12) {
      // Link-layer encapsulations (MPLS, PPPoE) carry no outer IP: their endpoints are the frame's MACs.
      outerSrc = macToString(rec.data, 6);
      outerDst = macToString(rec.data, 0);
    }
    const point: CapturePointDelta = {
      encapsulation: TUNNEL_NAMES[pkt.tunnelKind] ?? `tunnel-${pkt.tunnelKind}`,
      outerSrc,
      outerDst,
      tunnelId: pkt.tunnelId,
      frames: 0,
      firstTs: ts,
      lastTs: ts,
    };
    const k = capturePointKey(point);
    const e = this.#points.get(k);
    if (e) return e;
    this.#points.set(k, point);
    return point;
  }

  /** The capture points since the previous take(), in a stable order (by key). */
  take(): CapturePointDelta[] {
    const out = [...this.#points.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
    this.#points = new Map();
    this.#lastPoint = null;
    this.#last.fill(-2);
    return out;
  }
}
