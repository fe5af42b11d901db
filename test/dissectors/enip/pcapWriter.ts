/**
 * Test helper: writes a classic pcap (Ethernet, IPv4, TCP or UDP) of hand-built payloads between a
 * client 10.0.0.1 and a server 10.0.0.2, so that tshark can be the oracle for synthetic PDUs.
 * TCP conversations start with a handshake and keep correct sequence numbers.
 */
import { writeFileSync } from 'node:fs';
import { pcapHeader, pcapRecord } from '../../util/pcap.js';

export interface PcapPayload {
  fromClient: boolean;
  payload: Buffer;
}

export interface PcapOptions {
  udp?: boolean;
  clientPort?: number;
  serverPort?: number;
}

function ipChecksum(h: Buffer): number {
  let s = 0;
  for (let i = 0; i < h.length; i += 2) s += h.readUInt16BE(i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

export function writePcap(file: string, payloads: PcapPayload[], opts: PcapOptions = {}): void {
  const udp = opts.udp ?? false;
  const cport = opts.clientPort ?? 50000;
  const sport = opts.serverPort ?? 44818;
  const parts: Buffer[] = [];
  parts.push(pcapHeader({ snaplen: 65535, linktype: 1 }));
  let seqC = 1000;
  let seqS = 5000;
  let t = 0;
  const frame = (fromClient: boolean, flags: number, payload: Buffer): void => {
    const l4 = Buffer.alloc(udp ? 8 : 20);
    const sp = fromClient ? cport : sport;
    const dp = fromClient ? sport : cport;
    l4.writeUInt16BE(sp, 0);
    l4.writeUInt16BE(dp, 2);
    if (udp) {
      l4.writeUInt16BE(8 + payload.length, 4);
    } else {
      l4.writeUInt32BE(fromClient ? seqC : seqS, 4);
      if (flags & 0x10) l4.writeUInt32BE(fromClient ? seqS : seqC, 8);
      l4[12] = 0x50;
      l4[13] = flags;
      l4.writeUInt16BE(65535, 14);
    }
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + l4.length + payload.length, 2);
    ip[8] = 64;
    ip[9] = udp ? 17 : 6;
    Buffer.from(fromClient ? [10, 0, 0, 1] : [10, 0, 0, 2]).copy(ip, 12);
    Buffer.from(fromClient ? [10, 0, 0, 2] : [10, 0, 0, 1]).copy(ip, 16);
    ip.writeUInt16BE(ipChecksum(ip), 10);
    const eth = Buffer.from(fromClient ? '0000000000020000000000010800' : '0000000000010000000000020800', 'hex');
    const pkt = Buffer.concat([eth, ip, l4, payload]);
    parts.push(pcapRecord(1_700_000_000 + t, 0, pkt));
    t++;
    const adv = payload.length + (flags & 0x02 ? 1 : 0);
    if (fromClient) seqC += adv;
    else seqS += adv;
  };
  if (!udp) {
    frame(true, 0x02, Buffer.alloc(0));
    frame(false, 0x12, Buffer.alloc(0));
    frame(true, 0x10, Buffer.alloc(0));
  }
  for (const p of payloads) frame(p.fromClient, 0x18, p.payload);
  writeFileSync(file, Buffer.concat(parts));
}
