/**
 * tshark as the oracle: every Modbus capture is replayed, TCP segment by TCP segment (as tshark
 * extracts them), through AppSession + modbusTcp, and the per-stream per-function request / response /
 * exception counts must equal tshark's Modbus/TCP dissection. Frames tshark marks as retransmissions
 * are left out of tshark's side: we count each PDU once (see src/reassembly/tcpReassembler.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturePath } from '../../util/captures.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { replayTcp, tshark, tsharkTcpSegments } from '../tsharkTcp.js';
import { createRegistry } from '../../../src/dissectors/registry.js';
import { modbusTcp } from '../../../src/dissectors/modbus-tcp/modbusTcp.js';
import { KIND_EXCEPTION, KIND_REQUEST } from '../../../src/dissectors/types.js';
import type { AppSession } from '../../../src/dissectors/session.js';
import { writePcap } from '../enip/pcapWriter.js';

const CAPTURES = [
  'modbus/cisagov_modbus_example.pcap',
  'modbus/zeek_modbus-and-non-modbus-p502.pcap',
  'modbus/zeek_modbus-eit.pcap',
  'modbus/zeek_modbusSmall.pcap',
];

/** "stream fc kind" -> count, kind one of req / resp / exc. */
type Counts = Record<string, number>;

function add(c: Counts, key: string): void {
  c[key] = (c[key] ?? 0) + 1;
}

function tsharkCounts(path: string): Counts {
  const out = tshark([
    '-r', path, '-Y', 'modbus && !tcp.analysis.retransmission', '-T', 'fields',
    '-e', 'tcp.stream', '-e', 'tcp.srcport', '-e', 'modbus.func_code', '-e', 'modbus.exception_code',
  ]);
  const c: Counts = {};
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [stream, sport, fcs, excs] = line.split('\t') as [string, string, string, string];
    const fc = fcs.split(',');
    const exc = excs ? excs.split(',') : [];
    // Several PDUs in one frame: exception codes cannot be matched to them unless all or none are exceptions.
    if (exc.length !== 0 && exc.length !== fc.length) throw new Error(`${path}: mixed exceptions in one frame: ${line}`);
    for (const f of fc) add(c, `${stream} ${f} ${exc.length ? 'exc' : sport === '502' ? 'resp' : 'req'}`);
  }
  return c;
}

function ourCounts(path: string): { counts: Counts; sessions: Map<number, AppSession>; sinks: Map<number, RecordingSink> } {
  const registry = createRegistry([modbusTcp]);
  const sinks = new Map<number, RecordingSink>();
  const sinkFor = (stream: number): RecordingSink => {
    let s = sinks.get(stream);
    if (!s) sinks.set(stream, (s = new RecordingSink()));
    return s;
  };
  const sessions = replayTcp(tsharkTcpSegments(path), registry, sinkFor);
  const counts: Counts = {};
  for (const [stream, sink] of sinks) {
    for (const f of sink.fns) add(counts, `${stream} ${f.code} ${f.kind === KIND_EXCEPTION ? 'exc' : f.kind === KIND_REQUEST ? 'req' : 'resp'}`);
  }
  return { counts, sessions, sinks };
}

describe('AppSession + modbusTcp against tshark', () => {
  for (const rel of CAPTURES) {
    test(`AppSession(${rel}) per-stream per-function counts equal tshark's`, () => {
      const path = capturePath(rel);
      const want = tsharkCounts(path);
      const { counts, sessions } = ourCounts(path);
      expect(Object.keys(want).length).toBeGreaterThan(0);
      expect(counts).toEqual(want);
      let pdus = 0;
      for (const s of sessions.values()) {
        expect(s.protocol).toBe('modbus');
        expect(s.serverPort).toBe(502);
        pdus += s.stats.pdus;
      }
      expect(pdus).toBe(Object.values(want).reduce((a, b) => a + b, 0));
    });
  }

  test('AppSession(zeek_modbus-and-non-modbus-p502) reports non-Modbus streams as violations, never throws', () => {
    const { sessions, sinks } = ourCounts(capturePath('modbus/zeek_modbus-and-non-modbus-p502.pcap'));
    // Stream 0 is Modbus; 1 DCE/RPC bind, 2 ONC RPC, 3 TLS ClientHello, 4 HTTP GET after a RST,
    // 5 "MGLNDD_..." banner probe, 6 an RDP cookie (TPKT): all on TCP/502.
    expect(sessions.get(0)!.stats).toMatchObject({ pdus: 12, malformed: 0, bytesUnparsed: 0 });
    for (const stream of [1, 2, 3, 4, 5, 6]) {
      const st = sessions.get(stream)!.stats;
      const codes = sinks.get(stream)!.violations.map((v) => v.code);
      expect({ stream, fns: sinks.get(stream)!.fns.length }).toEqual({ stream, fns: 0 });
      expect(codes.length).toBeGreaterThan(0);
      for (const c of codes) expect(c).toMatch(/^MODBUS_|^FRAMING_INVALID$/);
      expect(st.malformed).toBe(codes.length);
      expect(st.bytesUnparsed).toBeGreaterThan(0);
    }
    // The honeypot's answers echo the first 7 bytes as an MBAP header: protocol id 0x0b03 for DCE/RPC.
    expect(sinks.get(1)!.violations.map((v) => v.code)).toEqual(['MODBUS_BAD_PROTOCOL_ID', 'MODBUS_BAD_PROTOCOL_ID']);
  });

  test('AppSession(cisagov_modbus_example stream 1, no handshake) takes the port-502 side as the server', () => {
    const { sinks, sessions } = ourCounts(capturePath('modbus/cisagov_modbus_example.pcap'));
    expect(sinks.get(1)!.fns).toEqual([
      { space: 0, code: 3, kind: KIND_REQUEST, variant: 0 },
      { space: 0, code: 3, kind: KIND_EXCEPTION, variant: 0 },
    ]);
    expect(sessions.get(1)!.stats.bytesUnparsed).toBe(0);
  });

  test('AppSession(modbusSmall with every payload frame duplicated) counts each PDU once; tshark agrees without retransmissions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zonescope-modbus-'));
    try {
      const src = capturePath('modbus/zeek_modbusSmall.pcap');
      const dup = join(dir, 'dup.pcap');
      const merged = join(dir, 'merged.pcap');
      tshark(['-r', src, '-Y', 'tcp.len > 0', '-w', dup]);
      execFileSync('mergecap', ['-w', merged, src, dup], { stdio: 'ignore' });
      const want = tsharkCounts(src);
      const { counts, sessions } = ourCounts(merged);
      expect(counts).toEqual(want);
      expect(tsharkCounts(merged)).toEqual(want);
      let retrans = 0;
      for (const s of sessions.values()) retrans += s.stats.retransmittedBytes;
      const payloadBytes = tsharkTcpSegments(src).reduce((a, s) => a + s.payload.length, 0);
      expect(retrans).toBe(payloadBytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('AppSession(Modicon UMAS FC 90 PDUs with MBAP length 255) counts tshark\'s requests per flow, each reported MODBUS_OVERSIZE_PDU', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zonescope-umas-'));
    try {
      const file = join(dir, 'umas.pcap');
      // MBAP: tid, protocol 0, length 255 (unit + FC 90 + 253 bytes of UMAS: 0x00 session, sub-function, data).
      const umas = (tid: number, sub: number): Buffer => {
        const b = Buffer.alloc(6 + 255);
        b.writeUInt16BE(tid, 0);
        b.writeUInt16BE(255, 4);
        b[6] = 0xff;
        b[7] = 90;
        b[9] = sub;
        for (let i = 10; i < b.length; i++) b[i] = i & 0xff;
        return b;
      };
      const small = Buffer.from('000900000006ff0300000002', 'hex');
      writePcap(file, [
        { fromClient: true, payload: umas(1, 0x24) },
        { fromClient: false, payload: umas(1, 0xfe) },
        { fromClient: true, payload: small },
        { fromClient: true, payload: umas(2, 0x20) },
        { fromClient: false, payload: umas(2, 0xfe) },
      ], { serverPort: 502 });
      const want = tsharkCounts(file);
      expect(want).toEqual({ '0 90 req': 2, '0 90 resp': 2, '0 3 req': 1 });
      const { counts, sinks } = ourCounts(file);
      expect(counts).toEqual(want);
      expect(sinks.get(0)!.violations.map((v) => v.code)).toEqual(Array(4).fill('MODBUS_OVERSIZE_PDU'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
