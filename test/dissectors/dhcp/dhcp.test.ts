import { dhcp } from '../../../src/dissectors/dhcp/dhcp.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../../../src/dissectors/types.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { runDissectorContract } from '../contract.js';
import { a, dhcpMessage } from '../dns/dnsBuilders.js';
import type { Datagram } from '../dns/tsharkNames.js';
import { ourFacts, tsharkLayers } from '../dns/tsharkNames.js';

const MAC = [0x10, 0x98, 0x36, 0x4e, 0x03, 0x0a];
const discover = dhcpMessage({ op: 1, mac: MAC, options: [[53, 1], [12, 'EWS-01'], [60, 'MSFT 5.0'], [55, Buffer.from([1, 3, 6, 15])]] });
const ack = dhcpMessage({ op: 2, mac: MAC, yiaddr: '10.20.3.10', options: [[53, 5], [54, a('10.30.1.30')], [51, Buffer.from([0, 0, 0x0e, 0x10])], [12, 'EWS-01\u0000']] });
const renew = dhcpMessage({ op: 1, mac: MAC, ciaddr: '10.20.3.10', options: [[53, 3], [60, 'Rockwell Automation 1756-EN2T']] });
const nak = dhcpMessage({ op: 2, mac: MAC, options: [[53, 6]] });
const padded = Buffer.concat([dhcpMessage({ op: 1, mac: MAC, options: [[53, 8], [0, Buffer.alloc(0)]] }), Buffer.alloc(10)]);

runDissectorContract(dhcp, [
  { name: 'DISCOVER with host name and vendor class', pdu: discover, dir: DIR_TO_SERVER },
  { name: 'ACK', pdu: ack, dir: DIR_TO_CLIENT },
  { name: 'renewing REQUEST', pdu: renew, dir: DIR_TO_SERVER },
  { name: 'NAK', pdu: nak, dir: DIR_TO_CLIENT },
]);

function decode(pdu: Buffer): RecordingSink {
  const s = new RecordingSink();
  dhcp.decode(null, pdu, 0, pdu.length, DIR_TO_SERVER, s);
  return s;
}

describe('dhcp.decode', () => {
  test('dhcp.decode(DISCOVER) counts message type 1 as a request with the client MAC, host name and vendor class', () => {
    const s = decode(discover);
    expect(s.fns).toEqual([{ space: 0, code: 1, kind: KIND_REQUEST, variant: 0 }]);
    expect(s.identities.map((i) => `${i.key} ${i.value}`)).toEqual([
      'client_host_name 10:98:36:4e:03:0a EWS-01',
      'client_vendor_class 10:98:36:4e:03:0a MSFT 5.0',
    ]);
  });

  test('dhcp.decode(ACK) ties the MAC to the acknowledged address; renew REQUEST to its client address; NAK is an exception', () => {
    const s = decode(ack);
    expect(s.fns[0]).toMatchObject({ code: 5, kind: KIND_RESPONSE });
    expect(s.identities.map((i) => `${i.key} ${i.value}`)).toEqual(['client_host_name 10:98:36:4e:03:0a EWS-01', 'client_address 10:98:36:4e:03:0a 10.20.3.10']);
    expect(decode(renew).identities.map((i) => i.value)).toContain('10:98:36:4e:03:0a 10.20.3.10');
    expect(decode(nak).fns[0]!.kind).toBe(KIND_EXCEPTION);
  });

  test('dhcp.decode(padding after the end option) is fine; a bad cookie or a missing end option is a violation', () => {
    expect(decode(padded).violations).toEqual([]);
    const bad = Buffer.from(discover);
    bad[236] = 0;
    expect(decode(bad).violations.map((v) => v.code)).toEqual(['DHCP_BAD_MAGIC_COOKIE']);
    expect(decode(discover.subarray(0, discover.length - 1)).violations.map((v) => v.code)).toEqual(['DHCP_NO_END']);
  });
});

describe('dhcp against tshark', () => {
  test('dhcp.decode(crafted messages) host names, vendor classes and addresses equal tshark fields', () => {
    const grams: Datagram[] = [discover, ack, renew, nak].map((payload, i) => ({
      src: i % 2 ? '10.30.1.30' : '0.0.0.0', dst: '255.255.255.255', sport: i % 2 ? 67 : 68, dport: i % 2 ? 68 : 67, payload,
    }));
    const layers = tsharkLayers(grams);
    const ours = ourFacts(dhcp, grams);
    layers.forEach((l, i) => {
      const d = l.dhcp as Record<string, unknown>;
      const trees = d['dhcp.option.type_tree'] as Array<Record<string, string>>;
      const mac = d['dhcp.hw.mac_addr'] as string;
      const want: string[] = [];
      let type = '';
      for (const t of trees) {
        if (t['dhcp.option.hostname'] !== undefined) want.push(`client_host_name ${mac} ${t['dhcp.option.hostname']}`);
        if (t['dhcp.option.vendor_class_id'] !== undefined) want.push(`client_vendor_class ${mac} ${t['dhcp.option.vendor_class_id']}`);
        if (t['dhcp.option.dhcp'] !== undefined) type = t['dhcp.option.dhcp'];
      }
      if (d['dhcp.type'] === '2' && type === '5' && d['dhcp.ip.your'] !== '0.0.0.0') want.push(`client_address ${mac} ${d['dhcp.ip.your'] as string}`);
      if (d['dhcp.type'] === '1' && d['dhcp.ip.client'] !== '0.0.0.0') want.push(`client_address ${mac} ${d['dhcp.ip.client'] as string}`);
      expect({ frame: i + 1, facts: ours[i]!.facts }).toEqual({ frame: i + 1, facts: want.sort() });
      expect(ours[i]!.sink.fns[0]!.code).toBe(Number(type));
    });
  });
});
