/**
 * tshark's view of the engineering events of a capture (the oracle of the events tests), from the
 * spec's rules, not from our classification:
 *  - S7comm: every Job (ROSCTR 1) whose parameter function is a block download/upload (0x1A-0x1F),
 *    a PI service (0x28) or PLC stop (0x29) is an event of its own; the first Write Var (0x05) Job of
 *    each host pair is a first write.
 *  - Modbus/TCP: a PDU towards TCP/502 is a request (tshark's rule); FC 5, 6, 15, 16, 21, 22, 23 are
 *    writes (INTERFACES.md "Operation classes").
 *  - CIP: every service whose cip.rr is 0 is a request; Set_Attributes_All 0x02, Set_Attribute_List
 *    0x04, Set_Attribute_Single 0x10, Write Tag 0x4D and Write Tag Fragmented 0x53 are writes.
 * A first write is the earliest request of its (sender, receiver, protocol, code) by time, with the
 * count of all of them. Frames tshark marks as retransmissions are left out (we count each PDU once).
 */
import { tsharkFields } from '../../util/tshark.js';

export const S7_EACH = new Set([0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x28, 0x29]);
/** S7 functions the client (the connection's initiator) sends; the PLC sends Download Block / Ended. */
export const S7_FROM_CLIENT = new Set([0x1a, 0x1d, 0x1e, 0x1f, 0x28, 0x29]);
export const MODBUS_WRITES = new Set([5, 6, 15, 16, 21, 22, 23]);
export const CIP_WRITES = new Set([0x02, 0x04, 0x10, 0x4d, 0x53]);

export interface OracleEvent {
  protocol: 'modbus' | 'enip' | 's7comm';
  code: number;
  src: string;
  dst: string;
  frame: number;
  time: number;
  file: string;
}

export interface OracleFirst extends OracleEvent {
  count: number;
}

export interface Oracle {
  /** S7 program/control Jobs, one per PDU, in frame order */
  each: OracleEvent[];
  /** first writes by firstKey */
  firsts: Map<string, OracleFirst>;
}

export const firstKey = (protocol: string, src: string, dst: string, code: number): string => `${protocol} ${src} > ${dst} ${code}`;

const list = (s: string | undefined): string[] => (s ? s.split(',') : []);
const num = (s: string): number => (s.startsWith('0x') ? parseInt(s, 16) : Number(s));

const BASE = ['frame.number', 'frame.time_epoch', 'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst', 'tcp.dstport', 'tcp.analysis.retransmission'];

/** The oracle of several capture files (in any order): firsts are the earliest over all of them. */
export function eventsOracle(files: readonly string[]): Oracle {
  const each: OracleEvent[] = [];
  const firsts = new Map<string, OracleFirst>();
  const first = (e: OracleEvent): void => {
    const k = firstKey(e.protocol, e.src, e.dst, e.code);
    const cur = firsts.get(k);
    if (cur === undefined) firsts.set(k, { ...e, count: 1 });
    else {
      cur.count++;
      if (e.time < cur.time) Object.assign(cur, { ...e, count: cur.count });
    }
  };
  for (const file of files) {
    const rows = tsharkFields(file, [...BASE, 'modbus.func_code', 'cip.sc', 'cip.rr', 's7comm.header.rosctr', 's7comm.param.func'], {
      filter: 'modbus || cip || s7comm',
      extra: ['-n'],
    });
    for (const r of rows) {
      if (r[7]) continue; // retransmission
      const at = { frame: Number(r[0]), time: Number(r[1]), src: r[2] || r[3]!, dst: r[4] || r[5]!, file };
      const toModbusServer = Number(r[6]) === 502;
      const [fcs, scs, rrs, ros, funcs] = r.slice(BASE.length);
      if (toModbusServer) for (const fc of list(fcs).map(num)) if (MODBUS_WRITES.has(fc)) first({ ...at, protocol: 'modbus', code: fc });
      const rr = list(rrs);
      list(scs).forEach((s, i) => {
        const sc = num(s);
        if (num(rr[i] ?? '1') === 0 && CIP_WRITES.has(sc)) first({ ...at, protocol: 'enip', code: sc });
      });
      // One S7 PDU per TPKT; a frame may hold several: ROSCTR and function fields line up in order
      // (Userdata PDUs carry no s7comm.param.func).
      const fns = list(funcs).map(num);
      let fi = 0;
      for (const ro of list(ros).map(num)) {
        if (ro === 7) continue;
        const fn = fns[fi++];
        if (ro !== 1 || fn === undefined) continue;
        if (S7_EACH.has(fn)) each.push({ ...at, protocol: 's7comm', code: fn });
        else if (fn === 0x05) first({ ...at, protocol: 's7comm', code: fn });
      }
    }
  }
  each.sort((a, b) => a.time - b.time || a.frame - b.frame);
  return { each, firsts };
}

/** An entry of `zonescope events --json` (zonescope/events@1). */
export interface EventJson {
  time: string;
  src: string;
  dst: string;
  protocol: string;
  kind: string;
  code: number;
  name: string;
  first: boolean;
  count: number;
  capture: string;
  frame: number;
  space: string;
  object?: string;
}

/** Our events in the oracle's terms: S7 Jobs (space `function`) as s7comm, CIP services as enip. */
export function oursAsOracle(events: readonly EventJson[]): { each: EventJson[]; firsts: Map<string, EventJson> } {
  const proto = (e: EventJson): string | null =>
    e.protocol.startsWith('s7comm') && e.space === 'function' ? 's7comm' : e.protocol === 'modbus' && e.space === 'function' ? 'modbus' : e.protocol === 'enip' && e.space === 'cip' ? 'enip' : null;
  const each = events.filter((e) => (e.kind === 'program' || e.kind === 'control') && proto(e) === 's7comm');
  const firsts = new Map<string, EventJson>();
  for (const e of events) {
    const p = proto(e);
    if (e.kind === 'write' && p !== null) firsts.set(firstKey(p, e.src, e.dst, e.code), e);
  }
  return { each, firsts };
}

/** Differences between ours and the oracle, one line each (empty when they agree frame for frame). */
export function compareWithOracle(events: readonly EventJson[], oracle: Oracle): string[] {
  const ours = oursAsOracle(events);
  const diff: string[] = [];
  const eachOurs = ours.each.map((e) => `${e.capture} #${e.frame} 0x${e.code.toString(16)}`);
  const eachTheirs = oracle.each.map((e) => `${e.file} #${e.frame} 0x${e.code.toString(16)}`);
  if (eachOurs.join('\n') !== eachTheirs.join('\n')) diff.push(`S7 jobs: ours [${eachOurs.join('; ')}], tshark [${eachTheirs.join('; ')}]`);
  ours.each.forEach((e, i) => {
    const t = oracle.each[i];
    if (!t) return;
    // The connection's initiator sends these; Download Block / Ended come from the PLC (its responder).
    const pairOk = S7_FROM_CLIENT.has(e.code) ? e.src === t.src && e.dst === t.dst : e.src === t.dst && e.dst === t.src;
    if (!pairOk) diff.push(`S7 job at #${e.frame}: ours ${e.src} > ${e.dst}, tshark ${t.src} > ${t.dst}`);
  });
  for (const k of new Set([...ours.firsts.keys(), ...oracle.firsts.keys()])) {
    const a = ours.firsts.get(k);
    const b = oracle.firsts.get(k);
    const sa = a ? `${a.capture} #${a.frame} x${a.count}` : 'none';
    const sb = b ? `${b.file} #${b.frame} x${b.count}` : 'none';
    if (sa !== sb) diff.push(`first write ${k}: ours ${sa}, tshark ${sb}`);
  }
  return diff;
}


/** S7 file system block types of a block file name `_TTNNNNNF` (Wireshark s7comm blockcontrol). */
const BLOCK_TYPES: Record<string, string> = { '08': 'OB', '0A': 'DB', '0B': 'SDB', '0C': 'FC', '0D': 'SFC', '0E': 'FB', '0F': 'SFB' };

/** `#frame OB1` for every S7 Job of function `fn` that names a block, as tshark reads its file name. */
export function tsharkBlockNames(file: string, fn: number): string[] {
  return tsharkFields(file, ['frame.number', 's7comm.param.blockcontrol.filename'], { filter: `s7comm.header.rosctr == 1 && s7comm.param.func == ${fn}` })
    .map(([frame, name]) => `#${frame} ${BLOCK_TYPES[name!.slice(1, 3)] ?? name!.slice(1, 3)}${Number(name!.slice(3, 8))}`);
}

/** `#frame OB1 (+2 more)` for every S7 PI service Job that names blocks (_INSE, _DELE), as tshark reads them. */
export function tsharkPiBlocks(file: string): string[] {
  return tsharkFields(file, ['frame.number', 's7comm.data.blockcontrol.block_type', 's7comm.data.blockcontrol.block_number'], {
    filter: 's7comm.header.rosctr == 1 && s7comm.param.func == 0x28 && s7comm.data.plccontrol.block_cnt',
  }).map(([frame, types, numbers]) => {
    const t = types!.split(',');
    const first = `${BLOCK_TYPES[t[0]!] ?? t[0]}${Number(numbers!.split(',')[0])}`;
    return `#${frame} ${t.length > 1 ? `${first} (+${t.length - 1} more)` : first}`;
  });
}
