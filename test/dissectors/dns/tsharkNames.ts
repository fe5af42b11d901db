/**
 * The oracle for the name decoders: crafted UDP datagrams are written as a pcap, tshark dissects it
 * (-T json --no-duplicate-keys), and the decoders run on the same payloads; tests compare the facts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { udpFrame } from '../../util/frameBuilder.js';
import { buildPcap } from '../../util/pcap.js';
import { tshark } from '../../util/tshark.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER } from '../../../src/dissectors/types.js';
import type { Dissector } from '../../../src/dissectors/types.js';

export interface Datagram {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload: Buffer;
}

type Json = string | Json[] | { [k: string]: Json };

/** tshark's layers of each frame of a capture made of `datagrams`. */
export function tsharkLayers(datagrams: Datagram[]): Array<Record<string, Json>> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-names-'));
  try {
    const path = join(dir, 'names.pcap');
    writeFileSync(path, buildPcap(1, datagrams.map((d) => udpFrame(d))));
    const out = JSON.parse(tshark(['-r', path, '-T', 'json', '--no-duplicate-keys'])) as Array<{ _source: { layers: Record<string, Json> } }>;
    return out.map((p) => p._source.layers);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const list = (v: Json | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? (v as Json[]).flatMap((x) => list(x)) : typeof v === 'string' ? [v] : []);

/** Every object in a JSON tree (depth first). */
export function objects(v: Json, out: Array<Record<string, Json>> = []): Array<Record<string, Json>> {
  if (Array.isArray(v)) for (const x of v) objects(x, out);
  else if (typeof v === 'object' && v !== null) {
    out.push(v);
    for (const x of Object.values(v)) objects(x, out);
  }
  return out;
}

/** tshark's (key, `<subject> <name>`) facts of DNS-format answers in one layer (dns, mdns, llmnr). */
export function tsharkDnsFacts(layer: Json | undefined): string[] {
  if (layer === undefined) return [];
  const out: string[] = [];
  for (const o of objects(layer)) {
    const name = list(o['dns.resp.name'])[0];
    if (name === undefined) continue;
    for (const x of list(o['dns.a'])) out.push(`answer_a ${x} ${name}`);
    for (const x of list(o['dns.aaaa'])) out.push(`answer_aaaa ${x} ${name}`);
    for (const x of list(o['dns.ptr.domain_name'])) {
      const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/i.exec(name);
      if (m) out.push(`answer_ptr ${m[4]}.${m[3]}.${m[2]}.${m[1]} ${x}`);
    }
  }
  return out.sort();
}

/** The decoder's facts for each datagram (the side on the dissector's port is the server). */
export function ourFacts(d: Dissector, datagrams: Datagram[]): Array<{ facts: string[]; sink: RecordingSink }> {
  return datagrams.map((g) => {
    const sink = new RecordingSink();
    const dir = d.ports.includes(g.sport) && !d.ports.includes(g.dport) ? DIR_TO_CLIENT : DIR_TO_SERVER;
    d.decode(d.createState(), g.payload, 0, g.payload.length, dir, sink);
    return { facts: sink.identities.map((i) => `${i.key} ${i.value}`).sort(), sink };
  });
}
