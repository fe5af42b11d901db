/**
 * Issue 3's acceptance test: for every capture in fixtures/captures, per flow and per function, the
 * request counts in `zonescope flows --json` equal tshark's.
 *
 * The flow of a tshark PDU is (the two hosts, the server port); our flows add the initiator, which
 * other tests check against the handshake. tshark's request rules, per protocol:
 *  - Modbus/TCP: a PDU towards TCP/502 is a query (tshark's own rule); every modbus.func_code counts.
 *  - EtherNet/IP: an encapsulation command towards 44818 is a request; every CIP service
 *    (cip.sc, embedded Multiple Service Packet and Unconnected Send services included) whose cip.rr is 0.
 *  - S7comm: ROSCTR 1 (job) with s7comm.param.func; userdata (ROSCTR 7) of type 4 (request) as
 *    (function group << 8 | subfunction).
 *  - OPC UA: every service type id (opcua.servicenodeid.numeric); request and response types have ids
 *    of their own, so per id ours is requests + responses + exceptions.
 * Frames tshark marks as retransmissions are left out: we count each PDU once, tshark may count a
 * retransmitted PDU again.
 *
 * Stated exceptions (where tshark is wrong or silent):
 *  - S7comm-plus (protocol id 0x72): tshark 4.0 has no dissector; space 's7comm-plus' is not compared
 *    here (test/dissectors/s7comm checks its framing against tshark's TPKT/COTP).
 *  - OPC UA on TCP/48010: tshark finds it only with `-d tcp.port==48010,opcua`; we find it by heuristic.
 *  - opcua/cisagov_opcua_with-gap_with-handshake.pcap: tshark marks frames 26 and 30 as spurious
 *    retransmissions and never completes the 13,990-byte CreateSessionResponse (id 464) they carry; we
 *    reassemble it, so ours has one more 464 on that flow.
 *  - CIP class-1 I/O (UDP 2222) has no request/response in tshark; its datagrams are compared per
 *    connection id in test/dissectors/enip.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { capturePath, listCaptures } from '../util/captures.js';
import { tshark } from '../util/tshark.js';
import { NullStream } from '../util/nullStream.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-flows-tshark-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Counts = Map<string, number>;
const key = (a: string, b: string, port: number, space: string, code: number): string =>
  `${[a, b].sort().join(' ~ ')} :${port} ${space} ${code}`;
const add = (m: Counts, k: string, n = 1): void => void m.set(k, (m.get(k) ?? 0) + n);

const BASE = ['frame.number', 'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport', 'tcp.analysis.retransmission'];

function rows(file: string, filter: string, fields: string[], extra: string[] = []): string[][] {
  const out = tshark(['-r', file, ...extra, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...[...BASE, ...fields].flatMap((f) => ['-e', f])]);
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

const list = (s: string | undefined): string[] => (s ? s.split(',') : []);
const num = (s: string): number => (s.startsWith('0x') ? parseInt(s, 16) : Number(s));

/** tshark's request counts per (hosts, server port, code space, code) for one capture. */
function tsharkCounts(file: string): Counts {
  const m: Counts = new Map();
  const extra = ['-d', 'tcp.port==48010,opcua'];
  const each = (filter: string, fields: string[], f: (base: { src: string; dst: string; sport: number; dport: number }, v: string[]) => void): void => {
    for (const r of rows(file, filter, fields, extra)) {
      if (r[9]) continue; // retransmission
      const src = r[1] || r[2]!;
      const dst = r[3] || r[4]!;
      const sport = Number(r[5] || r[7]);
      const dport = Number(r[6] || r[8]);
      f({ src, dst, sport, dport }, r.slice(BASE.length));
    }
  };
  each('modbus', ['modbus.func_code'], (b, [fcs]) => {
    if (b.dport !== 502) return;
    for (const fc of list(fcs)) add(m, key(b.src, b.dst, 502, 'function', num(fc)));
  });
  each('enip', ['enip.command', 'cip.sc', 'cip.rr'], (b, [cmds, scs, rrs]) => {
    if (b.dport === 44818) for (const c of list(cmds)) add(m, key(b.src, b.dst, 44818, 'encapsulation', num(c)));
    const port = b.dport === 44818 ? 44818 : b.sport === 44818 ? 44818 : -1;
    if (port < 0) return;
    const sc = list(scs);
    const rr = list(rrs);
    sc.forEach((s, i) => {
      if (num(rr[i] ?? '0') === 0) add(m, key(b.src, b.dst, port, 'cip', num(s)));
    });
  });
  each('s7comm', ['s7comm.header.rosctr', 's7comm.param.func', 's7comm.param.userdata.type', 's7comm.param.userdata.funcgroup', 's7comm.param.userdata.subfunc'], (b, [ros, funcs, types, groups, subs]) => {
    const rosctr = list(ros).map(num);
    const port = b.dport === 102 ? 102 : b.sport === 102 ? 102 : -1;
    if (port < 0) return;
    // One S7 PDU per TPKT; a frame may hold several: fields line up in order.
    let fi = 0;
    let ui = 0;
    for (const r of rosctr) {
      if (r === 1) add(m, key(b.src, b.dst, port, 'function', num(list(funcs)[fi++]!)));
      else if (r === 7) {
        const t = num(list(types)[ui]!);
        const g = num(list(groups)[ui]!);
        const s = num(list(subs)[ui]!);
        ui++;
        if (t === 4) add(m, key(b.src, b.dst, port, 'userdata', (g << 8) | s));
      } else if (r === 3 || r === 2) {
        if (list(funcs).length > fi) fi++;
      }
    }
  });
  each('opcua', ['opcua.servicenodeid.numeric'], (b, [ids]) => {
    const port = [4840, 48010].includes(b.dport) ? b.dport : [4840, 48010].includes(b.sport) ? b.sport : -1;
    for (const id of list(ids)) add(m, key(b.src, b.dst, port, 'service', num(id)));
  });
  return m;
}

interface FlowJson {
  src: string;
  dst: string;
  port: number;
  protocol: string;
  functions: Array<{ code: number; requests: number; responses: number; exceptions: number }>;
  [space: string]: unknown;
}

/** Our counts in the same shape, from `zonescope flows --json`. */
function ourCounts(flows: FlowJson[]): Counts {
  const m: Counts = new Map();
  const main: Record<string, string> = { modbus: 'function', enip: 'cip', s7comm: 'function', opcua: 'service' };
  for (const f of flows) {
    const mainSpace = main[f.protocol];
    if (!mainSpace) continue;
    const spaces: Array<[string, FlowJson['functions']]> = [[mainSpace, f.functions]];
    for (const s of ['encapsulation', 'userdata']) if (Array.isArray(f[s])) spaces.push([s, f[s] as FlowJson['functions']]);
    for (const [space, fns] of spaces) {
      for (const fn of fns) {
        if (f.protocol === 's7comm' && space === 'function' && fn.code >= 0x100) continue; // the unmatched-Ack pseudo-code (COTP is in space 'cotp')
        const n = f.protocol === 'opcua' ? fn.requests + fn.responses + fn.exceptions : fn.requests;
        if (n > 0) add(m, key(f.src, f.dst, f.port, space, fn.code), n);
      }
    }
  }
  return m;
}


async function runCli(args: string[]): Promise<number> {
  const sink = new NullStream();
  return main(args, { stdout: sink as unknown as NodeJS.WriteStream, stderr: sink as unknown as NodeJS.WriteStream });
}

describe('zonescope flows --json equals tshark per flow and per function', () => {
  test.each(listCaptures())('flows(%s)', async (rel) => {
    const file = capturePath(rel);
    const db = join(tmp, `${rel.replace(/\W/g, '_')}.db`);
    const out = join(tmp, `${rel.replace(/\W/g, '_')}.json`);
    expect(await runCli(['ingest', file, '--db', db, '--quiet'])).toBe(0);
    expect(await runCli(['flows', '--db', db, '--json', out])).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { schema: string; flows: FlowJson[] };
    expect(doc.schema).toBe('zonescope/flows@2');
    const ours = ourCounts(doc.flows);
    const theirs = tsharkCounts(file);
    if (rel === 'opcua/cisagov_opcua_with-gap_with-handshake.pcap') {
      // Stated exception (see the file comment): the CreateSessionResponse tshark never completes.
      const k = [...ours.keys()].find((x) => x.endsWith(' service 464'))!;
      expect(ours.get(k)! - (theirs.get(k) ?? 0)).toBe(1);
      theirs.set(k, ours.get(k)!);
    }
    const diff: string[] = [];
    for (const k of new Set([...ours.keys(), ...theirs.keys()])) {
      if ((ours.get(k) ?? 0) !== (theirs.get(k) ?? 0)) diff.push(`${k}: ours ${ours.get(k) ?? 0}, tshark ${theirs.get(k) ?? 0}`);
    }
    expect(diff).toEqual([]);
    // Nothing to compare would make the test hollow for an ICS capture.
    if (/^(modbus|enip|s7comm|opcua)\//.test(rel) && !rel.includes('encrypted')) expect(theirs.size).toBeGreaterThan(0);
  });
});
