import { ouiVendor, isLocallyAdministered } from '../../src/assets/ouiVendor.js';
import { resolveMacs } from '../../src/assets/resolveMacs.js';
import { collectIdentityFacts, deviceIdentity, nameFacts } from '../../src/assets/identityFacts.js';
import { summariseBehaviour } from '../../src/assets/behaviour.js';
import { inferRoles } from '../../src/assets/inferRoles.js';
import { inferLevels } from '../../src/assets/inferLevels.js';
import { decideSafety } from '../../src/assets/decideSafety.js';
import { assetsFrom, isHostAddress } from '../../src/assets/buildAssets.js';
import { parseInventory } from '../../src/assets/inventory.js';
import { assetsCsv, assetsDocument } from '../../src/report/assetsDocument.js';
import { parseSafetyOption } from '../../src/cli/commands/assets.js';
import { PROGRAM, READ, WRITE, flow, identity, mac } from './synthetic.js';

describe('ouiVendor', () => {
  test('ouiVendor(Rockwell, Invensys MACs) names the registered organisation; local and group MACs have none', () => {
    expect(ouiVendor('00:1d:9c:4e:01:0a')).toBe('Rockwell Automation');
    expect(ouiVendor('00:20:96:50:01:0b')).toBe('Invensys');
    expect(ouiVendor('02:00:00:00:00:01')).toBeNull();
    expect(ouiVendor('01:00:5e:00:00:fb')).toBeNull();
    expect(ouiVendor('nonsense')).toBeNull();
    expect(isLocallyAdministered('02:00:00:00:00:01')).toBe(true);
  });
});

describe('resolveMacs', () => {
  test('resolveMacs(a MAC shared by many IPs) marks them behind a router with no MAC; the router IP keeps it', () => {
    const router = '00:00:0c:aa:bb:cc';
    const recs = [mac('10.0.0.1', router, 100), mac('10.0.0.5', '00:1d:9c:00:00:05'), ...['10.9.0.1', '10.9.0.2', '10.9.0.3', '10.9.0.4'].map((ip) => mac(ip, router))];
    const r = resolveMacs(recs, [mac('10.0.0.1', router)]);
    expect(r.routers.get(router)).toEqual({ mac: router, ips: 5, ownIp: '10.0.0.1' });
    expect(r.byIp.get('10.9.0.2')).toMatchObject({ mac: null, behindRouter: true, routerMacs: [router] });
    expect(r.byIp.get('10.0.0.1')).toMatchObject({ mac: router, behindRouter: false });
    expect(r.byIp.get('10.0.0.5')).toMatchObject({ mac: '00:1d:9c:00:00:05', behindRouter: false });
  });

  test('resolveMacs(two IPs on one NIC, ARP-only host) is no router; the ARP-only IP appears', () => {
    const r = resolveMacs([mac('10.0.0.7', '00:1d:9c:00:00:07'), mac('10.0.0.8', '00:1d:9c:00:00:07')], [mac('10.0.0.9', '00:1d:9c:00:00:09'), mac('0.0.0.0', '00:1d:9c:00:00:0a')]);
    expect(r.routers.size).toBe(0);
    expect(r.byIp.get('10.0.0.8')!.mac).toBe('00:1d:9c:00:00:07');
    expect(r.byIp.get('10.0.0.9')).toMatchObject({ mac: '00:1d:9c:00:00:09', fromArp: true });
    expect(r.byIp.has('0.0.0.0')).toBe(false);
  });
});

describe('collectIdentityFacts', () => {
  test('collectIdentityFacts(DNS, NBNS, DHCP rows) puts each name on its subject; nameFacts ranks DHCP > NetBIOS > PTR > A, aliases last', () => {
    const f = collectIdentityFacts([
      identity('10.0.0.53', 'dns', 'answer_a', '10.0.0.7 wpad.site.local', 50),
      identity('10.0.0.53', 'dns', 'answer_a', '10.0.0.7 hmi-07.site.local', 3),
      identity('10.0.0.53', 'dns', 'answer_ptr', '10.0.0.7 hmi07.site.local'),
      identity('10.0.0.7', 'netbios', 'nb_address', '10.0.0.7 HMI-07<00>'),
      identity('10.0.0.7', 'netbios', 'nb_address', '10.0.0.7 UNIT3<1c>'),
      identity('0.0.0.0', 'dhcp', 'client_host_name', '00:1d:9c:00:00:07 hmi7'),
      identity('10.0.0.1', 'dhcp', 'client_address', '00:1d:9c:00:00:07 10.0.0.7'),
      identity('10.0.0.9', 'enip', 'product_name', '1756-L83E/B', 4),
    ]);
    expect(f.byIp.has('10.0.0.53')).toBe(false);
    expect(f.dhcpAddress.get('00:1d:9c:00:00:07')).toBe('10.0.0.7');
    const names = nameFacts([...f.byIp.get('10.0.0.7')!, ...f.byMac.get('00:1d:9c:00:00:07')!]).map((x) => x.value);
    expect(names).toEqual(['hmi7', 'HMI-07', 'hmi07.site.local', 'hmi-07.site.local', 'wpad.site.local']);
    expect(deviceIdentity(f.byIp.get('10.0.0.9')!).product!.value).toBe('1756-L83E/B');
  });
});

describe('inferLevels', () => {
  // PLC 10.1.1.10 polled by HMI 10.1.2.20 and historian 10.1.3.30 (polls 3 PLCs, PI to the DMZ
  // replica 10.1.4.40, which corporate 10.5.0.50 reaches over HTTPS); EWS 10.1.2.21 downloads.
  const flows = [
    flow('10.1.2.20', '10.1.1.10', 'enip', 44818, [READ]),
    flow('10.1.2.21', '10.1.1.11', 's7comm', 102, [PROGRAM]),
    flow('10.1.3.30', '10.1.1.10', 'modbus', 502, [READ]),
    flow('10.1.3.30', '10.1.1.11', 'modbus', 502, [READ]),
    flow('10.1.3.30', '10.1.1.12', 'modbus', 502, [READ]),
    flow('10.1.1.12', '10.1.0.5', 'cip-io', 2222, [], 'udp'),
    flow('10.1.3.30', '10.1.4.40', 'pi', 5450),
    flow('10.5.0.50', '10.1.4.40', 'https', 443),
    flow('10.5.0.50', '10.5.0.53', 'dns', 53, [], 'udp'),
  ];
  const beh = summariseBehaviour(flows);
  const roles = inferRoles(beh, []);
  const levels = inferLevels([...beh.keys()].sort(), beh, roles, new Map());
  test.each([
    ['10.1.1.10', 1], ['10.1.1.11', 1], ['10.1.0.5', 0], ['10.1.2.20', 2], ['10.1.2.21', 2], ['10.1.3.30', 3], ['10.1.4.40', 3.5], ['10.5.0.50', 4], ['10.5.0.53', 4],
  ])('inferLevels(small plant) puts %s at level %s, with evidence', (ip, level) => {
    const d = levels.get(ip)!;
    expect(d.level).toBe(level);
    expect(d.confidence).toBeGreaterThan(0);
    expect(d.evidence.length).toBeGreaterThan(0);
  });
  test('inferRoles(small plant) counts peers: poller of 3, engineering PDUs, io-scanner/adapter', () => {
    expect(roles.get('10.1.3.30')!.roles).toEqual(expect.arrayContaining([{ role: 'modbus-client', count: 3 }, { role: 'poller', count: 3 }, { role: 'historian', count: 1 }]));
    expect(roles.get('10.1.2.21')!.roles).toContainEqual({ role: 'engineering', count: 5 });
    expect(roles.get('10.1.1.12')!.roles).toContainEqual({ role: 'io-scanner', count: 1 });
    expect(roles.get('10.1.0.5')!.roles).toContainEqual({ role: 'io-adapter', count: 1 });
  });
  test('inferLevels(a lone host) gives null with evidence saying so', () => {
    const b = summariseBehaviour([flow('192.168.9.1', '192.168.9.2', 'unknown', 9999)]);
    const l = inferLevels(['192.168.9.1', '192.168.9.2'], b, inferRoles(b, []), new Map());
    expect(l.get('192.168.9.1')).toMatchObject({ level: null, confidence: 0 });
  });
});

describe('decideSafety', () => {
  test('decideSafety(identity GuardLogix / F-CPU, inventory role, --safety) each give a reason; a plain CPU none', () => {
    const f = collectIdentityFacts([identity('10.0.0.1', 'enip', 'product_name', '1756-L83ES GuardLogix'), identity('10.0.0.2', 's7comm', 'order_number', '6ES7 516-3FN01-0AB0'), identity('10.0.0.3', 's7comm', 'order_number', '6ES7 315-2EH14-0AB0')]).byIp;
    expect(decideSafety('10.0.0.1', undefined, f.get('10.0.0.1')!, null, new Set(), null)[0]!.text).toMatch(/safety product: ENIP product_name: 1756-L83ES/);
    expect(decideSafety('10.0.0.2', undefined, f.get('10.0.0.2')!, null, new Set(), null)).toHaveLength(1);
    expect(decideSafety('10.0.0.3', undefined, f.get('10.0.0.3')!, null, new Set(), null)).toEqual([]);
    expect(decideSafety('10.0.0.3', undefined, [], null, new Set(['10.0.0.3']), null)[0]!.source).toBe('option');
    const inv = parseInventory('name,id,ip,mac,purdue_level,role\nSIS,SIS-9,10.0.0.9,,1,safety-controller\n', 'inv.csv');
    expect(decideSafety('10.0.0.9', undefined, [], inv.entries[0]!, new Set(), 'inv.csv')[0]!.text).toBe('inventory inv.csv:2 (SIS-9): role safety-controller');
  });
});

describe('assetsFrom', () => {
  const inputs = {
    flows: [flow('10.1.2.20', '10.1.1.10', 'enip', 44818, [READ, WRITE])],
    identities: [identity('10.1.1.10', 'enip', 'product_name', '=cmd|calc')],
    hostMacs: [mac('10.1.2.20', '18:03:73:00:00:01'), mac('10.1.1.10', '00:1d:9c:00:00:01')],
    arp: [],
    l2Frames: [{ mac: '00:0e:8c:00:00:99', etherType: 0x8892, packets: 500, bytes: 30000, firstSeen: 1_770_000_000, lastSeen: 1_770_000_100 }],
    scans: [{ kind: 'scan' as const, host: '10.1.9.9', transport: 'tcp', attempts: 900, packets: 900, bytes: 54000, peers: 30, ports: 100, firstSeen: 1_770_000_000, lastSeen: 1_770_000_050 }],
  };
  test('assetsFrom(flows, PROFINET-only MAC, scanner) makes IP assets, a MAC-only asset at level 0 and a scanner', () => {
    const set = assetsFrom(inputs, { safety: ['10.1.1.10'] });
    expect(set.assets.map((a) => a.id)).toEqual(['10.1.1.10', '10.1.2.20', '10.1.9.9', '00:0e:8c:00:00:99']);
    const pn = set.assets[3]!;
    expect(pn).toMatchObject({ ip: null, purdueLevel: 0, vendor: 'Siemens AG', roles: [{ role: 'profinet-rt', count: 500 }] });
    expect(set.assets[2]!.roles).toEqual([{ role: 'scanner', count: 100 }]);
    expect(set.assets[0]!.safety).toBe(true);
    expect(set.uninventoried).toEqual([]);
  });
  test('assetsCsv(assets) quotes commas and defuses formulas; assetsDocument is assets@1', () => {
    const set = assetsFrom(inputs);
    const csv = assetsCsv(set);
    expect(csv.split('\r\n')[0]).toMatch(/^\ufeffid,ip,mac,name,/);
    expect(csv).toContain(",'=cmd|calc,");
    expect(assetsDocument(set).schema).toBe('zonescope/assets@1');
  });
  test('parseSafetyOption(list) normalises IPs and refuses a bad one', () => {
    expect(parseSafetyOption('10.0.0.1, 10.0.0.2')).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(() => parseSafetyOption('10.0.0.x')).toThrow(/not an IP address/);
  });
});

describe('isHostAddress', () => {
  test('isHostAddress(unicast, 0.0.0.0, broadcast, multicast, silent .255) keeps only hosts', () => {
    const src = new Set(['10.0.1.255']);
    expect(['10.0.0.7', 'fd00::1', '10.0.1.255'].map((ip) => isHostAddress(ip, src))).toEqual([true, true, true]);
    expect(['0.0.0.0', '::', '255.255.255.255', '224.0.0.251', 'ff02::fb', '10.0.0.255', 'nonsense'].map((ip) => isHostAddress(ip, src))).toEqual([false, false, false, false, false, false, false]);
  });

  test('assetsFrom(DHCP and mDNS to broadcast and multicast) makes no asset of 0.0.0.0, 255.255.255.255 or 224.0.0.251', () => {
    const set = assetsFrom({
      flows: [flow('0.0.0.0', '255.255.255.255', 'dhcp', 67, [], 'udp'), flow('10.0.0.7', '224.0.0.251', 'mdns', 5353, [], 'udp'), flow('10.0.0.7', '10.0.0.255', 'netbios', 137, [], 'udp')],
      identities: [], hostMacs: [mac('10.0.0.7', '00:1d:9c:00:00:07')], arp: [], l2Frames: [], scans: [],
    });
    expect(set.assets.map((a) => a.id)).toEqual(['10.0.0.7']);
    expect(set.assets[0]!.roles).toEqual([]);
    expect(set.assets[0]!.packets).toBe(40);
  });
});

describe('inferLevels (signals against the decision)', () => {
  test('inferLevels(a level-3 site server that also writes to a PLC) keeps level 3, says so, and lowers its confidence', () => {
    const flows = [
      flow('10.3.0.30', '10.1.0.10', 'modbus', 502, [WRITE]),
      flow('10.2.0.20', '10.1.0.10', 'enip', 44818, [READ]),
      flow('10.3.0.40', '10.1.0.11', 'modbus', 502, [READ]),
      flow('10.3.0.40', '10.1.0.12', 'modbus', 502, [READ]),
      flow('10.3.0.40', '10.1.0.13', 'modbus', 502, [READ]),
      flow('10.3.0.40', '10.3.0.30', 'dns', 53, [], 'udp'),
    ];
    const beh = summariseBehaviour(flows);
    const roles = inferRoles(beh, []);
    const d = inferLevels([...beh.keys()].sort(), beh, roles, new Map()).get('10.3.0.30')!;
    expect(d.level).toBe(3);
    expect(d.confidence).toBeCloseTo(0.54);
    expect(d.evidence.map((e) => e.text)).toEqual([
      'serves dns to 1 host; 1 of the 1 with a level are at level 3 (10.3.0.40)',
      'also a modbus client of 1 controller (10.1.0.10), as level-2 hosts are: outweighed by the above',
    ]);
  });
});
