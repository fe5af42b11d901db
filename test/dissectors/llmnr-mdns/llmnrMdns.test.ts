import { llmnr, mdns } from '../../../src/dissectors/llmnr-mdns/index.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER } from '../../../src/dissectors/types.js';
import { runDissectorContract } from '../contract.js';
import { a, aaaa, dnsMessage } from '../dns/dnsBuilders.js';
import type { Datagram } from '../dns/tsharkNames.js';
import { ourFacts, tsharkDnsFacts, tsharkLayers } from '../dns/tsharkNames.js';

// mDNS announcement (RFC 6762 section 8.3): answers with the cache-flush bit, address records also in additional.
const announce = dnsMessage({
  id: 0,
  flags: 0x8400,
  answers: [
    { name: '20.3.20.10.in-addr.arpa', type: 12, cls: 0x8001, data: { name: 'ews-01.local' } },
    { name: 'ews-01.local', type: 1, cls: 0x8001, data: a('10.20.3.10') },
  ],
  additional: [{ name: 'ews-01.local', type: 28, cls: 0x8001, data: aaaa('fe800000000000001298 36fffe4e030a'.replace(' ', '')) }],
});
const mdnsQuery = dnsMessage({ id: 0, flags: 0, questions: [{ name: '_http._tcp.local', type: 12 }] });
const llmnrQuery = dnsMessage({ flags: 0, questions: [{ name: 'hmi-02', type: 1 }] });
const llmnrAnswer = dnsMessage({ flags: 0x8000, questions: [{ name: 'hmi-02', type: 1 }], answers: [{ name: 'hmi-02', type: 1, data: a('10.20.2.12') }] });

runDissectorContract(mdns, [
  { name: 'announcement', pdu: announce, dir: DIR_TO_CLIENT },
  { name: 'query', pdu: mdnsQuery, dir: DIR_TO_SERVER },
]);
runDissectorContract(llmnr, [
  { name: 'query', pdu: llmnrQuery, dir: DIR_TO_SERVER },
  { name: 'answer', pdu: llmnrAnswer, dir: DIR_TO_CLIENT },
]);

describe('mdns and llmnr against tshark', () => {
  test('mdns.decode(announcement, query) reports the names tshark shows (cache-flush records included)', () => {
    const grams: Datagram[] = [announce, mdnsQuery].map((payload) => ({ src: '10.20.3.10', dst: '224.0.0.251', sport: 5353, dport: 5353, payload }));
    const layers = tsharkLayers(grams);
    const ours = ourFacts(mdns, grams);
    expect(ours.map((o) => o.facts)).toEqual(layers.map((l) => tsharkDnsFacts(l.mdns)));
    expect(ours[0]!.facts).toEqual(['answer_a 10.20.3.10 ews-01.local', 'answer_aaaa fe80::1298:36ff:fe4e:30a ews-01.local', 'answer_ptr 10.20.3.20 ews-01.local']);
  });

  test('llmnr.decode(query, answer) reports the names tshark shows', () => {
    const grams: Datagram[] = [
      { src: '10.20.2.11', dst: '224.0.0.252', sport: 50000, dport: 5355, payload: llmnrQuery },
      { src: '10.20.2.12', dst: '10.20.2.11', sport: 5355, dport: 50000, payload: llmnrAnswer },
    ];
    const layers = tsharkLayers(grams);
    const ours = ourFacts(llmnr, grams);
    expect(ours.map((o) => o.facts)).toEqual(layers.map((l) => tsharkDnsFacts(l.llmnr)));
    expect(ours[1]!.facts).toEqual(['answer_a 10.20.2.12 hmi-02']);
  });
});
