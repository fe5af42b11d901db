/**
 * decodePacket() speed: N decodes of a 66-byte Ethernet/IPv4/TCP Modbus read-holding-registers
 * request (and of a few other frame shapes) in a loop, reusing one DecodedPacket.
 *
 * Run: npm run build && node dist/bench/decodeSpeed.js [N]        (N defaults to 10 000 000)
 * Prints wall-clock and CPU ns/packet and the heap growth over the run (about 0 when nothing is allocated per packet).
 */
import { decodePacket } from '../src/decode/decodePacket.js';
import { DecodedPacket } from '../src/decode/packet.js';
import { newCaptureRecord, type CaptureRecord } from '../src/ingest/record.js';

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

// Ethernet (14) + IPv4 (20) + TCP (20) + Modbus/TCP MBAP + PDU (12) = 66 bytes.
const MODBUS = hex(`
  02005e10000a 001d9cc803e7 0800
  4500 0034 1234 4000 4006 0000 0a140132 0a14010a
  c000 01f6 fffffff0 01020304 5018 2000 0000 0000
  0001 0000 0006 01 03 0000 000a`);
// 802.1Q + IPv4 + UDP (CIP class-1 I/O sized)
const VLAN_UDP = hex(`
  02005e10000a 001d9cc803e7 8100 000a 0800
  4500 0030 0001 0000 4011 0000 0a000001 0a000002
  08ae 08ae 001c 0000 ${'00'.repeat(20)}`);
// BSD NULL (little-endian AF 30) + IPv6 + TCP (OPC UA on loopback)
const NULL_V6 = hex(`
  1e000000
  6000 0000 0020 0640 ${'00'.repeat(15)}01 ${'00'.repeat(15)}01
  12e8 c350 00000001 00000002 5018 2000 0000 0000 ${'00'.repeat(12)}`);

function record(linktype: number, frame: Buffer): CaptureRecord {
  const rec = newCaptureRecord();
  rec.data = frame;
  rec.caplen = frame.length;
  rec.origlen = frame.length;
  rec.linktype = linktype;
  return rec;
}

function run(name: string, rec: CaptureRecord, n: number): void {
  const out = new DecodedPacket();
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += decodePacket(rec, out) + out.payloadLen; // warm-up (JIT)
  const heap0 = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += decodePacket(rec, out) + out.payloadLen;
  const t1 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  const heap1 = process.memoryUsage().heapUsed;
  const ns = Number(t1 - t0) / n;
  // CPU time (user + system) is less disturbed than wall time when other processes share the cores.
  const cpuNs = ((cpu.user + cpu.system) * 1000) / n;
  const line = `${name.padEnd(28)} ${rec.caplen} B  ${n} decodes  wall ${ns.toFixed(1)} ns/packet (${(1000 / ns).toFixed(1)} M/s)  cpu ${cpuNs.toFixed(1)} ns/packet  heap ${((heap1 - heap0) / 1024).toFixed(0)} KiB  (check ${sink})`;
  process.stdout.write(`${line}\n`);
}

const n = Number(process.argv[2] ?? 10_000_000);
process.stdout.write(`node ${process.version}\n`);
run('Ethernet/IPv4/TCP Modbus', record(1, MODBUS), n);
run('802.1Q/IPv4/UDP', record(1, VLAN_UDP), n);
run('NULL/IPv6/TCP', record(0, NULL_V6), n);
