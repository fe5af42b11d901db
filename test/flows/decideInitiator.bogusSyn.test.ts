/**
 * The bogus-SYN rule (InitiatorDecider.synCanOpen): a segment that cannot be an opening does not decide
 * the initiator. Checked on a crafted capture against tshark's requests per flow.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePacket } from '../../src/decode/decodePacket.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { FlowAggregator } from '../../src/flows/flowAggregator.js';
import { InitiatorDecider } from '../../src/flows/decideInitiator.js';
import { ConnHosts } from '../../src/flows/connHosts.js';
import { ConnTable } from '../../src/flows/connTable.js';
import { modbusAdu, record, tcpFrame } from '../util/frameBuilder.js';
import { buildPcap } from '../util/pcap.js';
import { tshark } from '../util/tshark.js';

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;
const URG = 0x20;
const ECE = 0x40;
const CWR = 0x80;
const registry = createRegistry([modbusTcp]);

describe('InitiatorDecider.synCanOpen', () => {
  const d = new InitiatorDecider(registry, new ConnHosts(new ConnTable(16)));
  test('synCanOpen(SYN with FIN or RST) is false; a plain SYN or SYN-ACK is true', () => {
    expect(d.synCanOpen(SYN | FIN, 0, 50123, 502)).toBe(false);
    expect(d.synCanOpen(SYN | RST, 0, 50123, 502)).toBe(false);
    expect(d.synCanOpen(SYN, 0, 50123, 502)).toBe(true);
    expect(d.synCanOpen(SYN | ACK, 0, 502, 50123)).toBe(true);
  });
  test('synCanOpen(SYN with data from the server port 502 to an ephemeral port) is false; from the client it is true (Fast Open)', () => {
    expect(d.synCanOpen(SYN | PSH, 12, 502, 50123)).toBe(false);
    expect(d.synCanOpen(SYN, 12, 50123, 502)).toBe(true);
    expect(d.synCanOpen(SYN, 0, 502, 50123)).toBe(true);
  });
});

describe('FlowAggregator with a bogus SYN', () => {
  test('onPacket(a first segment from port 502 with SYN FIN URG ECE CWR and a payload, then a Modbus session mid-stream) keeps the client as initiator; requests per flow equal tshark\'s', () => {
    const client = '10.30.1.50';
    const server = '10.20.1.10';
    let cs = 1000;
    let ss = 7000;
    const frames: Buffer[] = [];
    const resp = (tid: number): Buffer => modbusAdu(tid, 1, [3, 4, 0, 1, 0, 2]);
    frames.push(tcpFrame({ src: server, dst: client, sport: 502, dport: 50123, seq: ss, flags: SYN | FIN | URG | ECE | CWR, payload: resp(99) }));
    ss += 1 + resp(99).length;
    for (let i = 1; i <= 4; i++) {
      const q = modbusAdu(i, 1, [3, 0, 0, 0, 2]);
      frames.push(tcpFrame({ src: client, dst: server, sport: 50123, dport: 502, seq: cs, ack: ss, flags: PSH | ACK, payload: q }));
      cs += q.length;
      frames.push(tcpFrame({ src: server, dst: client, sport: 502, dport: 50123, seq: ss, ack: cs, flags: PSH | ACK, payload: resp(i) }));
      ss += resp(i).length;
    }
    const dir = mkdtempSync(join(tmpdir(), 'zonescope-bogussyn-'));
    try {
      const file = join(dir, 'bogus.pcap');
      writeFileSync(file, buildPcap(1, frames));
      // tshark: Modbus requests per (client, server) flow = PDUs sent to port 502.
      const want: Record<string, number> = {};
      for (const line of tshark(['-r', file, '-Y', 'mbtcp && tcp.dstport == 502', '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'modbus.func_code']).split('\n')) {
        if (!line) continue;
        const [src, dst, fc] = line.split('\t') as [string, string, string];
        const k = `${src}>${dst}:502 fc ${fc}`;
        want[k] = (want[k] ?? 0) + 1;
      }
      expect(want).toEqual({ [`${client}>${server}:502 fc 3`]: 4 });
      const agg = new FlowAggregator({ registry });
      const pkt = new DecodedPacket();
      frames.forEach((f, i) => {
        const rec = record(f, 1_767_600_000 + i, i + 1);
        agg.onPacket(rec, pkt, decodePacket(rec, pkt));
      });
      const flows = agg.takeBatch(true).flows;
      const got: Record<string, number> = {};
      for (const fl of flows) for (const fn of fl.functions.values()) if (fn.requests > 0) got[`${fl.src}>${fl.dst}:${fl.port} fc ${fn.code}`] = fn.requests;
      expect(got).toEqual(want);
      expect(flows.map((fl) => Object.keys(fl.evidence))).toEqual([['protocol']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
