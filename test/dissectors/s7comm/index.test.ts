/**
 * The s7comm dissector against tshark 4.0 on the real captures of ../shared/captures/s7comm:
 * per-stream, per-function counts (requests, responses, exceptions), Read/Write Var objects and SZL
 * identity; S7comm-plus (no tshark dissector) by TPKT/COTP framing and the 0x72 protocol byte.
 * Plus the shared dissector contract with samples from the same captures.
 */
import { runDissectorContract, type ContractSample } from '../contract.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { DIR_TO_SERVER } from '../../../src/dissectors/types.js';
import { s7comm, type S7State } from '../../../src/dissectors/s7comm/index.js';
import { CAPTURES, capturePdus, countFn, KIND_NAMES as KIND, sorted, tsharkCounts, tsharkRows, type CapturedPdu } from './tsharkPdus.js';

const FILES = ['cisagov_snap7.pcap', 'cisagov_s7ident.pcap', 'cisagov_s7comm_plus.pcap'];

interface Decoded {
  pdus: CapturedPdu[];
  sinks: RecordingSink[];
}

/** Decodes every PDU of a capture with one state per TCP stream; one sink per PDU. */
function decodeCapture(file: string): Decoded {
  const pdus = capturePdus(`${CAPTURES}/${file}`);
  const states = new Map<number, S7State>();
  const sinks: RecordingSink[] = [];
  for (const p of pdus) {
    let st = states.get(p.stream);
    if (!st) states.set(p.stream, (st = s7comm.createState()));
    const sink = new RecordingSink();
    s7comm.decode(st, p.pdu, 0, p.pdu.length, p.dir, sink);
    sinks.push(sink);
  }
  return { pdus, sinks };
}

/** Our counts: space 0/1 by (stream, space, code, kind); S7comm-plus by (stream, request or not). */
function ourCounts(d: Decoded): Map<string, number> {
  const m = new Map<string, number>();
  d.pdus.forEach((p, i) => {
    for (const f of d.sinks[i]!.fns) countFn(m, p.stream, f);
  });
  return m;
}

/**
 * The engineer's form of an S7ANY item from tshark's fields (area, DB, raw address, transport size,
 * length): letters per area and X/B/W/D per transport size as in the S7 manuals (BYTE and CHAR are
 * bytes, WORD and INT words, DWORD, DINT and REAL double words), `[n]` for n > 1 elements.
 */
function anyPointer(area: number, db: number, address: number, size: number, length: number): string {
  const areas: Record<number, string> = { 0x80: 'P', 0x81: 'I', 0x82: 'Q', 0x83: 'M', 0x84: 'DB', 0x85: 'DI', 0x86: 'L', 0x1c: 'C', 0x1d: 'T' };
  const letters: Record<number, string> = { 1: 'X', 2: 'B', 3: 'B', 4: 'W', 5: 'W', 6: 'D', 7: 'D', 8: 'D' };
  const n = length === 1 ? '' : `[${length}]`;
  const where = areas[area]!;
  if (area === 0x1c || area === 0x1d) return `${where}${address}${n}`;
  const letter = letters[size]!;
  const at = letter === 'X' ? `${address >> 3}.${address & 7}` : `${letter}${address >> 3}`;
  if (area === 0x84 || area === 0x85) return `${where}${db}.${where}${letter === 'X' ? 'X' : ''}${at}${n}`;
  return `${where}${at}${n}`;
}

describe('s7comm.decode() against tshark on the real captures', () => {
  for (const file of FILES) {
    test(`s7comm.decode(${file}) counts the same PDUs per stream, function and kind as tshark`, () => {
      const d = decodeCapture(file);
      expect(d.pdus.length).toBeGreaterThan(0);
      const violations = d.sinks.flatMap((s, i) => s.violations.map((v) => ({ frame: d.pdus[i]!.frame, ...v })));
      expect(violations).toEqual([]);
      const want = sorted(tsharkCounts(`${CAPTURES}/${file}`));
      expect(Object.keys(want).length).toBeGreaterThan(0);
      expect(sorted(ourCounts(d))).toEqual(want);
    });

    test(`s7comm.decode(${file}) reports the Read/Write Var items tshark shows, rendered as ANY pointers (MB0[16], MD16, T0[8])`, () => {
      const d = decodeCapture(file);
      const ours: string[] = [];
      d.pdus.forEach((p, i) => {
        for (const o of d.sinks[i]!.objects) if (o.space === 0) ours.push(`${p.stream}|${s7comm.describeObject!(0, o.key)}|${o.write}`);
      });
      const theirs: string[] = [];
      const rows = tsharkRows(`${CAPTURES}/${file}`, ['tcp.stream', 's7comm.param.func', 's7comm.param.item.area', 's7comm.param.item.db', 's7comm.param.item.address', 's7comm.param.item.transp_size', 's7comm.param.item.length'], 's7comm.header.rosctr == 1 && s7comm.param.item.area');
      for (const [stream, func, areas, dbs, addrs, sizes, lengths] of rows) {
        const a = areas!.split(','), b = dbs!.split(','), c = addrs!.split(','), z = sizes!.split(','), n = lengths!.split(',');
        a.forEach((area, k) => theirs.push(`${stream}|${anyPointer(Number(area), Number(b[k]), Number(c[k]), Number(z[k]), Number(n[k]))}|${Number(func) === 5}`));
      }
      expect(theirs.length).toBeGreaterThan(0);
      expect(ours.sort()).toEqual(theirs.sort());
    });
  }

  test('s7comm.decode(cisagov_s7comm_plus.pcap) counts GetMultiVariables, SetVariable, notifications by opcode', () => {
    const d = decodeCapture('cisagov_s7comm_plus.pcap');
    const plus = new Map<string, number>();
    d.pdus.forEach((p, i) => {
      for (const f of d.sinks[i]!.fns) {
        const key = `${p.dir === DIR_TO_SERVER ? 'c2s' : 's2c'} ${s7comm.describe(2, f.code).name} ${KIND[f.kind]}`;
        if (f.space === 2) plus.set(key, (plus.get(key) ?? 0) + 1);
      }
    });
    // Requests (opcode 0x31) only towards the PLC; responses (0x32) and notifications (0x33) only from it.
    for (const k of plus.keys()) expect(k).toMatch(/^(c2s .* req|s2c .* resp)$/);
    expect(plus.get('c2s GET_MULTI_VARIABLES req')).toBe(plus.get('s2c GET_MULTI_VARIABLES resp'));
    expect(plus.get('c2s GET_MULTI_VARIABLES req')).toBeGreaterThan(0);
    expect(plus.get('s2c NOTIFICATION resp')).toBeGreaterThan(0);
    expect(plus.get('c2s SET_VARIABLE req')).toBeGreaterThan(0);
  });

  for (const file of ['cisagov_snap7.pcap', 'cisagov_s7ident.pcap']) {
    test(`s7comm.decode(${file}) reports the SZL identity tshark decodes`, () => {
      const d = decodeCapture(file);
      const ours = new Set<string>();
      for (const s of d.sinks) for (const id of s.identities) ours.add(`${id.who} ${id.key}=${id.value}`);
      const theirs = new Set<string>();
      const rows = tsharkRows(`${CAPTURES}/${file}`, [
        's7comm.szl.xy11.0001.index',
        's7comm.szl.xy11.0001.anz',
        's7comm.szl.xy11.0001.ausbg',
        's7comm.szl.xy11.0001.ausbe',
        's7comm.szl.001c.0001.name',
        's7comm.szl.001c.0002.name',
        's7comm.szl.001c.0005.serialn',
        's7comm.szl.001c.0007.cputypname',
        's7comm.szl.001c.0008.snmcmmc',
        's7comm.szl.001c.0004.copyright',
      ], 's7comm.data.userdata.szl_id');
      for (const [idx, mlfb, ausbg, ausbe, sys, mod, serial, cpu, mmc, copyright] of rows) {
        if (idx) {
          const ix = idx.split(','), ml = mlfb!.split(','), bg = ausbg!.split(','), be = ausbe!.split(',');
          ix.forEach((x, k) => {
            if (Number(x) === 1) theirs.add(`0 order_number=${ml[k]!.trim()}`);
            if (Number(x) === 6) theirs.add(`0 hardware_order_number=${ml[k]!.trim()}`);
            if (Number(x) === 7) theirs.add(`0 firmware=V${Number(bg[k]) & 0xff}.${Number(be[k]) >> 8}.${Number(be[k]) & 0xff}`);
          });
        }
        if (sys) theirs.add(`0 system_name=${sys.trim()}`);
        if (mod) theirs.add(`0 module=${mod.trim()}`);
        if (serial) theirs.add(`0 serial=${serial.trim()}`);
        if (cpu) theirs.add(`0 product_name=${cpu.trim()}`);
        if (mmc) theirs.add(`0 memory_card_serial=${mmc.trim()}`);
        if (copyright) theirs.add(`0 copyright=${copyright.trim()}`);
      }
      expect(theirs.size).toBeGreaterThan(5);
      // Beyond tshark's fields we also report vendor (manufacturer id 0x002a) and, from COTP, rack_slot.
      const extra = [...ours].filter((x) => !theirs.has(x));
      expect(extra.every((x) => /^(0 vendor=Siemens|[01] rack_slot=\d+\/\d+)$/.test(x))).toBe(true);
      expect([...theirs].filter((x) => !ours.has(x))).toEqual([]);
    });
  }
});

// ---- the shared contract, with one sample per (space, code, kind) seen in the captures ----
const samples: ContractSample[] = [];
beforeAll(() => {
  const seen = new Set<string>();
  for (const file of FILES) {
    const d = decodeCapture(file);
    d.pdus.forEach((p, i) => {
      const f = d.sinks[i]!.fns[0];
      if (!f) return;
      const key = `${f.space}|${f.code}|${f.kind}|${f.variant}`;
      if (seen.has(key)) return;
      seen.add(key);
      samples.push({ name: `${file} frame ${p.frame} ${s7comm.describe(f.space, f.code, f.variant).name} ${KIND[f.kind]}`, pdu: p.pdu, dir: p.dir });
    });
  }
});

runDissectorContract(s7comm, samples);

test('contract samples cover requests, responses and exceptions of S7comm, userdata and S7comm-plus', () => {
  const names = samples.map((s) => s.name).join('\n');
  for (const want of ['READ_VAR req', 'WRITE_VAR resp', 'START_UPLOAD exc', 'READ_SZL req', 'GET_BLOCK_INFO exc', 'PI_SERVICE_P_PROGRAM req', 'COTP_CONNECTION_REQUEST req', 'GET_MULTI_VARIABLES resp', 'NOTIFICATION resp']) {
    expect(names).toContain(want);
  }
});
