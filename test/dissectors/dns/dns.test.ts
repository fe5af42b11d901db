import { dns } from '../../../src/dissectors/dns/dns.js';
import { reverseNameAddress } from '../../../src/dissectors/dns/reportAnswers.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER } from '../../../src/dissectors/types.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { runDissectorContract } from '../contract.js';
import { a, aaaa, dnsMessage } from './dnsBuilders.js';
import type { Datagram } from './tsharkNames.js';
import { ourFacts, tsharkDnsFacts, tsharkLayers } from './tsharkNames.js';

const query = dnsMessage({ flags: 0x0100, questions: [{ name: 'opc-01.unit3.refinery.local', type: 1 }] });
const answer = dnsMessage({
  flags: 0x8180,
  questions: [{ name: 'opc-01.unit3.refinery.local', type: 1 }],
  answers: [{ name: 'opc-01.unit3.refinery.local', type: 1, data: a('10.30.1.40') }],
});
const cnameChain = dnsMessage({
  flags: 0x8180,
  questions: [{ name: 'historian.unit3.local', type: 1 }],
  answers: [
    { name: 'historian.unit3.local', type: 5, data: { name: 'pi-hist01.unit3.local' } },
    { name: 'pi-hist01.unit3.local', type: 1, data: a('10.30.1.50') },
    { name: 'pi-hist01.unit3.local', type: 28, data: aaaa('fd000000000000000000000000000050') },
  ],
  authority: [{ name: 'unit3.local', type: 2, data: { name: 'ns1.unit3.local' } }],
  additional: [{ name: 'ns1.unit3.local', type: 1, data: a('10.30.1.30') }],
});
const ptr = dnsMessage({
  flags: 0x8580,
  questions: [{ name: '10.1.20.10.in-addr.arpa', type: 12 }],
  answers: [{ name: '10.1.20.10.in-addr.arpa', type: 12, data: { name: 'plc-01.unit3.local' } }],
});
const nxdomain = dnsMessage({ flags: 0x8183, questions: [{ name: 'wpad.unit3.local', type: 1 }] });
const update = dnsMessage({ flags: 0x2800, questions: [{ name: 'unit3.local', type: 6 }], authority: [{ name: 'ews-01.unit3.local', type: 1, data: a('10.20.3.10') }] });
const uncompressed = dnsMessage({ flags: 0x8180, questions: [{ name: 'a.b', type: 1 }], answers: [{ name: 'a.b', type: 1, data: a('1.2.3.4') }] }, false);

runDissectorContract(dns, [
  { name: 'A query', pdu: query, dir: DIR_TO_SERVER },
  { name: 'A answer', pdu: answer, dir: DIR_TO_CLIENT },
  { name: 'CNAME chain with authority and additional', pdu: cnameChain, dir: DIR_TO_CLIENT },
  { name: 'PTR answer', pdu: ptr, dir: DIR_TO_CLIENT },
  { name: 'NXDOMAIN', pdu: nxdomain, dir: DIR_TO_CLIENT },
  { name: 'dynamic update', pdu: update, dir: DIR_TO_SERVER },
]);

function decode(pdu: Buffer): RecordingSink {
  const sink = new RecordingSink();
  dns.decode(null, pdu, 0, pdu.length, DIR_TO_CLIENT, sink);
  return sink;
}

describe('dns.decode', () => {
  test('dns.decode(A query) counts QUERY as a request and reports no name', () => {
    const s = decode(query);
    expect(s.fns).toEqual([{ space: 0, code: 0, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.identities).toEqual([]);
  });

  test('dns.decode(A answer) reports `<ip> <name>` on the responder', () => {
    const s = decode(answer);
    expect(s.fns).toEqual([{ space: 0, code: 0, kind: KIND_RESPONSE, variant: 0 }]);
    expect(s.identities).toEqual([{ who: WHO_SENDER, key: 'answer_a', value: '10.30.1.40 opc-01.unit3.refinery.local' }]);
  });

  test('dns.decode(CNAME chain) names the address records by their own owner name, additional section included, authority ignored', () => {
    expect(decode(cnameChain).identities.map((i) => `${i.key} ${i.value}`)).toEqual([
      'answer_a 10.30.1.50 pi-hist01.unit3.local',
      'answer_aaaa fd00::50 pi-hist01.unit3.local',
      'answer_a 10.30.1.30 ns1.unit3.local',
    ]);
  });

  test('dns.decode(PTR answer) reports the address of the in-addr.arpa name', () => {
    expect(decode(ptr).identities.map((i) => `${i.key} ${i.value}`)).toEqual(['answer_ptr 10.20.1.10 plc-01.unit3.local']);
  });

  test('dns.decode(NXDOMAIN) is an exception; dns.decode(UPDATE) a request of opcode 5 whose records name nothing', () => {
    expect(decode(nxdomain).fns[0]!.kind).toBe(KIND_EXCEPTION);
    const u = decode(update);
    expect(u.fns[0]).toMatchObject({ code: 5, kind: KIND_REQUEST });
    expect(u.identities).toEqual([]);
    expect(dns.describe(0, 5)).toEqual({ name: 'UPDATE', opClass: 'write' });
    expect(dns.describe(0, 0)).toEqual({ name: 'QUERY', opClass: 'read' });
  });

  test('dns.decode(uncompressed names) reads them too', () => {
    expect(decode(uncompressed).identities).toEqual([{ who: WHO_SENDER, key: 'answer_a', value: '1.2.3.4 a.b' }]);
  });

  test('dns.decode(pointer loop) reports DNS_BAD_POINTER and never hangs', () => {
    const bad = Buffer.from(answer);
    // Make the answer's owner-name pointer point at itself.
    const at = bad.indexOf(Buffer.from([0xc0, 0x0c]), 12);
    bad.writeUInt16BE(0xc000 | at, at);
    expect(decode(bad).violations.map((v) => v.code)).toEqual(['DNS_BAD_POINTER']);
  });

  test('dns.decode(trailing bytes) reports DNS_TRAILING_BYTES at their offset', () => {
    const s = decode(Buffer.concat([answer, Buffer.from([0, 0])]));
    expect(s.violations).toEqual([{ code: 'DNS_TRAILING_BYTES', message: '2 bytes after the last record', at: answer.length }]);
  });

  test('reverseNameAddress(in-addr.arpa, ip6.arpa, other) gives the address or null', () => {
    expect(reverseNameAddress('40.1.30.10.in-addr.arpa')).toBe('10.30.1.40');
    expect(reverseNameAddress(`${'0.5.'.concat('0.'.repeat(26))}0.0.d.f.ip6.arpa`)).toBe('fd00::50');
    expect(reverseNameAddress('1.30.10.in-addr.arpa')).toBeNull();
    expect(reverseNameAddress('300.1.30.10.in-addr.arpa')).toBeNull();
    expect(reverseNameAddress('example.com')).toBeNull();
  });
});

describe('dns against tshark', () => {
  test('dns.decode(crafted answers) reports exactly the A / AAAA / PTR names tshark shows', () => {
    const grams: Datagram[] = [query, answer, cnameChain, ptr, nxdomain, uncompressed].map((payload) => ({
      src: '10.30.1.30', dst: '10.30.1.50', sport: 53, dport: 50001, payload,
    }));
    const layers = tsharkLayers(grams);
    const ours = ourFacts(dns, grams);
    let facts = 0;
    layers.forEach((l, i) => {
      expect(l).toHaveProperty('dns'); // tshark took the crafted datagram for DNS
      const want = tsharkDnsFacts(l.dns);
      expect({ frame: i + 1, facts: ours[i]!.facts }).toEqual({ frame: i + 1, facts: want });
      facts += want.length;
    });
    expect(facts).toBe(6);
  });
});
