/**
 * The s7comm dissector against tshark 4.0 on the real captures of ../shared/captures/s7comm:
 * per-stream, per-function counts (requests, responses, exceptions), Read/Write Var objects and SZL
 * identity; S7comm-plus (no tshark dissector) by TPKT/COTP framing and the 0x72 protocol byte.
 * Plus the shared dissector contract with samples from the same captures.
 */
import { runDissectorContract, type ContractSample } from '../contract.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../../../src/dissectors/types.js';
import { s7comm, s7ObjectKey, type S7State } from '../../../src/dissectors/s7comm/index.js';
import { CAPTURES, capturePdus, tsharkRows, type CapturedPdu } from './tsharkPdus.js';

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

function add(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function sorted(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

const KIND = ['req', 'resp', 'exc'];
const fnKey = (stream: number | string, space: number, code: number, kind: number): string =>
  `${stream}|${space}|0x${code.toString(16)}|${KIND[kind]}`;
const plusKey = (stream: number | string, dir: number): string => `${stream}|plus|${dir === DIR_TO_SERVER ? 'to-server' : 'to-client'}`;

/** Our counts: space 0/1 by (stream, space, code, kind); space 2 by (stream, direction). */
function ourCounts(d: Decoded): Map<string, number> {
  const m = new Map<string, number>();
  d.pdus.forEach((p, i) => {
    for (const f of d.sinks[i]!.fns) {
      if (f.space === 2) add(m, plusKey(p.stream, p.dir));
      else add(m, fnKey(p.stream, f.space, f.code, f.kind));
    }
  });
  return m;
}

const ORACLE_FIELDS = [
  'frame.number',
  'tcp.stream',
  'tcp.srcport',
  'tpkt.length',
  'cotp.type',
  's7comm.header.rosctr',
  's7comm.header.pduref',
  's7comm.param.func',
  's7comm.param.userdata.type',
  's7comm.param.userdata.funcgroup',
  's7comm.param.userdata.subfunc',
  's7comm.header.errcls',
  's7comm.header.errcod',
  's7comm.param.errcod',
  'tcp.payload',
  'tcp.analysis.retransmission',
  'tcp.analysis.keep_alive',
];

/**
 * tshark's counts for the same frames, with the same conventions: COTP CR/CC/DR/DC/ER as pseudo-codes
 * 0x100 | TPDU code; an Ack without function named by the Job with the same PDU reference (0x200 if none);
 * exception = header error class/code != 0 (Ack, Ack_Data) or userdata parameter error code != 0.
 */
function tsharkCounts(file: string): Map<string, number> {
  const m = new Map<string, number>();
  const jobs = new Map<string, number>();
  for (const r of tsharkRows(`${CAPTURES}/${file}`, ORACLE_FIELDS)) {
    const [, stream, sport, tpkt, cotp, rosctr, pduref, func, udType, group, sub, errcls, errcod, perr, payload, retrans, keep] = r;
    if (retrans || keep || !tpkt) continue;
    if (tpkt.includes(',')) throw new Error('this oracle reads one TPKT per frame');
    const type = Number(cotp);
    if (type !== 0x0f) {
      const kind = type === 0x0e ? KIND_REQUEST : type === 0x07 ? KIND_EXCEPTION : type === 0x08 ? KIND_REQUEST : KIND_RESPONSE;
      add(m, fnKey(stream!, 0, 0x100 | (type << 4), kind));
      continue;
    }
    if (rosctr) {
      const ros = Number(rosctr);
      if (ros === 1) {
        add(m, fnKey(stream!, 0, Number(func), KIND_REQUEST));
        jobs.set(`${stream}|${pduref}`, Number(func));
      } else if (ros === 2 || ros === 3) {
        const f = func ? Number(func) : (jobs.get(`${stream}|${pduref}`) ?? 0x200);
        add(m, fnKey(stream!, 0, f, Number(errcls) || Number(errcod) ? KIND_EXCEPTION : KIND_RESPONSE));
      } else if (ros === 7) {
        const t = Number(udType);
        const kind = t === 4 ? KIND_REQUEST : t === 8 && Number(perr) ? KIND_EXCEPTION : KIND_RESPONSE;
        add(m, fnKey(stream!, 1, (Number(group) << 8) | Number(sub), kind));
      }
    } else if (payload!.slice(14, 16) === '72') {
      add(m, plusKey(stream!, sport === '102' ? DIR_TO_CLIENT : DIR_TO_SERVER));
    }
  }
  return m;
}

describe('s7comm.decode() against tshark on the real captures', () => {
  for (const file of FILES) {
    test(`s7comm.decode(${file}) counts the same PDUs per stream, function and kind as tshark`, () => {
      const d = decodeCapture(file);
      expect(d.pdus.length).toBeGreaterThan(0);
      const violations = d.sinks.flatMap((s, i) => s.violations.map((v) => ({ frame: d.pdus[i]!.frame, ...v })));
      expect(violations).toEqual([]);
      expect(sorted(ourCounts(d))).toEqual(sorted(tsharkCounts(file)));
    });

    test(`s7comm.decode(${file}) reports the Read/Write Var items tshark shows`, () => {
      const d = decodeCapture(file);
      const ours: string[] = [];
      d.pdus.forEach((p, i) => {
        for (const o of d.sinks[i]!.objects) if (o.space === 0) ours.push(`${p.stream}|${o.key}|${o.write}`);
      });
      const theirs: string[] = [];
      const rows = tsharkRows(`${CAPTURES}/${file}`, ['tcp.stream', 's7comm.param.func', 's7comm.param.item.area', 's7comm.param.item.db', 's7comm.param.item.address'], 's7comm.header.rosctr == 1 && s7comm.param.item.area');
      for (const [stream, func, areas, dbs, addrs] of rows) {
        const a = areas!.split(','), b = dbs!.split(','), c = addrs!.split(',');
        a.forEach((area, k) => theirs.push(`${stream}|${s7ObjectKey(Number(area), Number(b[k]), Number(c[k]))}|${Number(func) === 5}`));
      }
      expect(ours.sort()).toEqual(theirs.sort());
    });
  }

  test('s7comm.decode(cisagov_s7comm_plus.pcap) counts GetMultiVariables, SetVariable, notifications by opcode', () => {
    const d = decodeCapture('cisagov_s7comm_plus.pcap');
    const plus = new Map<string, number>();
    d.pdus.forEach((p, i) => {
      for (const f of d.sinks[i]!.fns) if (f.space === 2) add(plus, `${p.dir === DIR_TO_SERVER ? 'c2s' : 's2c'} ${s7comm.describe(2, f.code).name} ${KIND[f.kind]}`);
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
