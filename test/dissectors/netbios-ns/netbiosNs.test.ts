import { decodeNetbiosName, netbiosNs } from '../../../src/dissectors/netbios-ns/netbiosNs.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_REQUEST, KIND_RESPONSE } from '../../../src/dissectors/types.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { runDissectorContract } from '../contract.js';
import { dnsMessage, nbData, nbstatData, netbiosName } from '../dns/dnsBuilders.js';
import type { Datagram } from '../dns/tsharkNames.js';
import { objects, ourFacts, tsharkLayers } from '../dns/tsharkNames.js';

const registration = dnsMessage({
  flags: 0x2910,
  questions: [{ name: netbiosName('HMI-01', 0x00), type: 0x20 }],
  additional: [{ name: netbiosName('HMI-01', 0x00), type: 0x20, data: nbData([{ ip: '10.20.2.11' }]) }],
});
const groupRegistration = dnsMessage({
  flags: 0x2910,
  questions: [{ name: netbiosName('UNIT3', 0x00), type: 0x20 }],
  additional: [{ name: netbiosName('UNIT3', 0x00), type: 0x20, data: nbData([{ ip: '10.20.2.11', group: true }]) }],
});
const query = dnsMessage({ flags: 0x0110, questions: [{ name: netbiosName('EWS-01', 0x20), type: 0x20 }] });
const positiveAnswer = dnsMessage({
  flags: 0x8500,
  answers: [{ name: netbiosName('EWS-01', 0x20), type: 0x20, data: nbData([{ ip: '10.20.3.10' }, { ip: '10.20.9.10' }]) }],
});
const scoped = dnsMessage({
  flags: 0x8500,
  answers: [{ name: netbiosName('HIST-01', 0x00, 'unit3.local'), type: 0x20, data: nbData([{ ip: '10.30.1.50' }]) }],
});
const nodeStatus = dnsMessage({
  flags: 0x8400,
  answers: [{
    name: netbiosName('*', 0x00), type: 0x21,
    data: nbstatData([{ name: 'EWS-01', suffix: 0x00 }, { name: 'EWS-01', suffix: 0x20 }, { name: 'UNIT3', suffix: 0x00, group: true }], [0x10, 0x98, 0x36, 0x4e, 0x03, 0x0a]),
  }],
});

runDissectorContract(netbiosNs, [
  { name: 'name registration', pdu: registration, dir: DIR_TO_SERVER },
  { name: 'name query', pdu: query, dir: DIR_TO_SERVER },
  { name: 'positive query response', pdu: positiveAnswer, dir: DIR_TO_CLIENT },
  { name: 'node status response', pdu: nodeStatus, dir: DIR_TO_CLIENT },
]);

function decode(pdu: Buffer): RecordingSink {
  const s = new RecordingSink();
  netbiosNs.decode(null, pdu, 0, pdu.length, DIR_TO_SERVER, s);
  return s;
}

describe('netbiosNs.decode', () => {
  test('netbiosNs.decode(registration) counts opcode 5 and reports the name with its address', () => {
    const s = decode(registration);
    expect(s.fns).toEqual([{ space: 0, code: 5, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.identities.map((i) => `${i.key} ${i.value}`)).toEqual(['nb_address 10.20.2.11 HMI-01<00>']);
    expect(netbiosNs.describe(0, 5).name).toBe('REGISTRATION');
  });

  test('netbiosNs.decode(group registration) reports no host name', () => {
    expect(decode(groupRegistration).identities).toEqual([]);
  });

  test('netbiosNs.decode(query response with two addresses) reports both; node status reports the unique names only', () => {
    const s = decode(positiveAnswer);
    expect(s.fns[0]!.kind).toBe(KIND_RESPONSE);
    expect(s.identities.map((i) => i.value)).toEqual(['10.20.3.10 EWS-01<20>', '10.20.9.10 EWS-01<20>']);
    expect(decode(nodeStatus).identities.map((i) => `${i.key} ${i.value}`)).toEqual(['netbios_name EWS-01<00>', 'netbios_name EWS-01<20>']);
  });

  test('decodeNetbiosName(first-level encoding) decodes, keeps the scope, rejects other names', () => {
    expect(decodeNetbiosName(netbiosName('PLC-01', 0x1c, 'a.b'))).toBe('PLC-01<1c>.a.b');
    expect(decodeNetbiosName('www.example.com')).toBeNull();
    expect(decodeNetbiosName('Z'.repeat(32))).toBeNull();
  });

  test('netbiosNs.decode(NB record with 5 data bytes) reports NBNS_BAD_RDATA', () => {
    const bad = dnsMessage({ flags: 0x8500, answers: [{ name: netbiosName('X', 0), type: 0x20, data: Buffer.alloc(5) }] });
    expect(decode(bad).violations.map((v) => v.code)).toEqual(['NBNS_BAD_RDATA']);
  });
});

describe('netbiosNs against tshark', () => {
  test('netbiosNs.decode(crafted messages) reports the unique NB name/address pairs and node-status names tshark shows', () => {
    const grams: Datagram[] = [registration, groupRegistration, query, positiveAnswer, scoped, nodeStatus].map((payload) => ({
      src: '10.20.3.10', dst: '10.20.255.255', sport: 137, dport: 137, payload,
    }));
    const layers = tsharkLayers(grams);
    const ours = ourFacts(netbiosNs, grams);
    let n = 0;
    layers.forEach((l, i) => {
      const want: string[] = [];
      for (const o of objects(l.nbns!)) {
        const name = o['nbns.name'];
        const addr = o['nbns.addr'];
        if (typeof name === 'string' && addr !== undefined) {
          const addrs = Array.isArray(addr) ? (addr as string[]) : [addr as string];
          const trees = o['nbns.nb_flags_tree'];
          const flags = (Array.isArray(trees) ? trees : [trees]) as Array<Record<string, string>>;
          addrs.forEach((x, k) => {
            if (flags[k]?.['nbns.nb_flags.group'] !== '1') want.push(`nb_address ${x} ${name.replace(/ \([^)]*\)$/, '')}`);
          });
        }
        const names = o['nbns.netbios_name'];
        if (names !== undefined) {
          const list = Array.isArray(names) ? (names as string[]) : [names as string];
          const trees = o['nbns.name_flags_tree'];
          const flags = (Array.isArray(trees) ? trees : [trees]) as Array<Record<string, string>>;
          list.forEach((x, k) => {
            if (flags[k]?.['nbns.name_flags.group'] !== '1') want.push(`netbios_name ${x}`);
          });
        }
      }
      // tshark shows node-status names without their suffix byte.
      const got = ours[i]!.facts.map((f) => (f.startsWith('netbios_name ') ? f.replace(/<[0-9a-f]{2}>$/, '') : f));
      expect({ frame: i + 1, facts: got.sort() }).toEqual({ frame: i + 1, facts: want.sort() });
      n += want.length;
    });
    expect(n).toBe(6);
  });
});
