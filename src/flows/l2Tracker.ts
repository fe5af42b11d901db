/**
 * Layer-2 facts for the asset stage: ARP sender (IP, MAC) pairs, non-IP frames by source MAC and
 * EtherType (PROFINET RT, GOOSE, LLDP ... : MAC-only assets), and the source MAC of each IP host's
 * packets (taken per connection on the hot path as a number, turned into text when folded).
 */
import type { DecodedPacket } from '../decode/packet.js';
import { macToString } from '../decode/format.js';
import type { CaptureRecord } from '../ingest/record.js';
import type { Conn } from './conn.js';
import type { ConnHosts } from './connHosts.js';
import { MAC_RULES, mergeCounters, type L2Delta, type MacDelta } from './flowDelta.js';

/** Distinct source MACs kept per EtherType (a MAC flood must not grow the map without end). */
const MAX_MACS_PER_ETHERTYPE = 65536;
/** MAC texts remembered (spoofed source MACs must not grow the cache without end). */
const MAX_MAC_TEXTS = 65536;

/** A 48-bit MAC number as text: 00:1d:9c:c1:00:0a. */
export function macNumberToString(mac: number): string {
  return mac.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
}

export class L2Tracker {
  /** (IP, MAC) pairs of connections folded, in first-seen order, and indexed by host id and MAC number. */
  private macs: MacDelta[] = [];
  private macIndex = new Map<number, HostMacs>();
  /** MAC numbers as text (a plant has a few thousand: each is rendered once). */
  private readonly macText = new Map<number, string>();
  private arp = new Map<string, MacDelta>();
  private l2 = new Map<number, Map<number, L2Delta>>();
  private readonly hosts: ConnHosts;

  constructor(hosts: ConnHosts) {
    this.hosts = hosts;
  }

  /** An ARP packet: its sender's (IP, MAC). */
  noteArp(rec: CaptureRecord, pkt: DecodedPacket, ts: number): void {
    const ipw = pkt.arpSenderIp >>> 0;
    const ip = `${ipw >>> 24}.${(ipw >>> 16) & 255}.${(ipw >>> 8) & 255}.${ipw & 255}`;
    const mac = macToString(rec.data, pkt.arpSenderMacOff);
    addMac(this.arp, { ip, mac, packets: 1, firstTs: ts, lastTs: ts });
  }

  /** A non-IP, non-ARP frame. */
  noteL2(rec: CaptureRecord, pkt: DecodedPacket, ts: number): void {
    if (pkt.srcMacOff < 0) return;
    const mac = rec.data.readUIntBE(pkt.srcMacOff, 6);
    let byType = this.l2.get(pkt.etherType);
    if (!byType) {
      byType = new Map();
      this.l2.set(pkt.etherType, byType);
    }
    const e = byType.get(mac);
    if (e) {
      e.packets++;
      e.bytes += rec.origlen;
      if (ts > e.lastTs) e.lastTs = ts;
    } else if (byType.size < MAX_MACS_PER_ETHERTYPE) {
      byType.set(mac, { mac: macToString(rec.data, pkt.srcMacOff), etherType: pkt.etherType, packets: 1, bytes: rec.origlen, firstTs: ts, lastTs: ts });
    }
  }

  /** Remember the source MAC of a connection's packets (the hot path: numbers only). */
  static notePacketMac(conn: Conn, rec: CaptureRecord, pkt: DecodedPacket, fromA: boolean): void {
    if (pkt.srcMacOff < 0) return;
    if (fromA) {
      if (conn.macA < 0) conn.macA = rec.data.readUIntBE(pkt.srcMacOff, 6);
    } else if (conn.macB < 0) conn.macB = rec.data.readUIntBE(pkt.srcMacOff, 6);
  }

  /** A connection folded into a flow: its sides' (IP, MAC) with the packets since the last fold. */
  foldMacs(conn: Conn): void {
    const ts = conn.lastTs;
    if (conn.macA >= 0 && conn.pktsA > 0) this.noteMac(this.hosts.hostId(conn, true), conn.macA, conn.pktsA, conn.deltaFirstTs, ts);
    if (conn.macB >= 0 && conn.pktsB > 0) this.noteMac(this.hosts.hostId(conn, false), conn.macB, conn.pktsB, conn.deltaFirstTs, ts);
  }

  private noteMac(host: number, mac: number, packets: number, first: number, last: number): void {
    const h = this.macIndex.get(host);
    // A host's first MAC is kept inline (nearly every host has one): one lookup by host id per side.
    const e = h === undefined ? undefined : h.mac === mac ? h.delta : h.more?.get(mac);
    if (e !== undefined) {
      e.packets += packets;
      if (first < e.firstTs) e.firstTs = first;
      if (last > e.lastTs) e.lastTs = last;
      return;
    }
    let text = this.macText.get(mac);
    if (text === undefined) {
      if (this.macText.size >= MAX_MAC_TEXTS) this.macText.clear();
      this.macText.set(mac, (text = macNumberToString(mac)));
    }
    const d: MacDelta = { ip: this.hosts.hosts.ips[host]!, mac: text, packets, firstTs: first, lastTs: last };
    if (h === undefined) this.macIndex.set(host, { mac, delta: d, more: null });
    else (h.more ??= new Map()).set(mac, d);
    this.macs.push(d);
  }

  /** Everything since the previous call. */
  take(): { macs: MacDelta[]; arp: MacDelta[]; l2: L2Delta[] } {
    const l2: L2Delta[] = [];
    for (const m of this.l2.values()) for (const e of m.values()) l2.push(e);
    const out = { macs: this.macs, arp: [...this.arp.values()], l2 };
    this.macs = [];
    this.macIndex = new Map();
    this.arp = new Map();
    this.l2 = new Map();
    return out;
  }
}

/** The MAC deltas of one host since the last take: its first MAC inline, any others by MAC number. */
interface HostMacs {
  mac: number;
  delta: MacDelta;
  more: Map<number, MacDelta> | null;
}

function addMac(m: Map<string, MacDelta>, d: MacDelta): void {
  const k = `${d.ip}|${d.mac}`;
  const e = m.get(k);
  if (e) mergeCounters(MAC_RULES, e, d);
  else m.set(k, d);
}
