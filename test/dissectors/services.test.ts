import { serviceForPayload, serviceForPort, serviceLabels } from '../../src/dissectors/services.js';

describe('serviceForPort', () => {
  test('serviceForPort(the ports named in the brief) returns their labels', () => {
    const tcp: Array<[number, string]> = [
      [80, 'http'], [8080, 'http'], [443, 'https'], [8443, 'https'], [3389, 'rdp'], [22, 'ssh'], [23, 'telnet'],
      [21, 'ftp'], [445, 'smb'], [139, 'smb'], [389, 'ldap'], [636, 'ldaps'], [88, 'kerberos'], [135, 'msrpc'],
      [5985, 'winrm'], [5986, 'winrm'], [1433, 'mssql'], [5450, 'pi'], [20000, 'dnp3'], [2404, 'iec104'],
      [1883, 'mqtt'], [8883, 'mqtt'], [5900, 'vnc'], [9600, 'fins'], [5094, 'hartip'], [1217, 'codesys'],
      [2455, 'codesys'], [18245, 'gesrtp'], [53, 'dns'],
    ];
    const udp: Array<[number, string]> = [
      [53, 'dns'], [5353, 'mdns'], [5355, 'llmnr'], [123, 'ntp'], [161, 'snmp'], [162, 'snmptrap'], [514, 'syslog'],
      [67, 'dhcp'], [68, 'dhcp'], [546, 'dhcpv6'], [547, 'dhcpv6'], [137, 'netbios'], [138, 'netbios'],
      [47808, 'bacnet'], [1900, 'ssdp'], [34964, 'profinet'], [20000, 'dnp3'],
    ];
    for (const [p, l] of tcp) expect(['tcp', p, serviceForPort('tcp', p)]).toEqual(['tcp', p, l]);
    for (const [p, l] of udp) expect(['udp', p, serviceForPort('udp', p)]).toEqual(['udp', p, l]);
    expect(serviceForPort('udp', 3389)).toBe('rdp');
    expect(serviceForPort('udp', 80)).toBeUndefined();
    expect(serviceForPort('tcp', 47808)).toBeUndefined();
  });

  test('serviceLabels() are lower-case and punctuation-free', () => {
    const labels = serviceLabels();
    expect(labels.length).toBeGreaterThan(40);
    for (const l of labels) expect(l).toMatch(/^[a-z0-9]+$/);
  });
});

describe('serviceForPayload', () => {
  const b = (s: string): Buffer => Buffer.from(s, 'latin1');
  test('serviceForPayload(TLS ClientHello record from zeek_modbus-and-non-modbus-p502 frame 49) returns tls', () => {
    const hello = Buffer.from('1603010085010000810303736ff818542129f78f', 'hex');
    expect(serviceForPayload(hello, 0, hello.length)).toBe('tls');
    const appData = Buffer.from('170303001cdeadbeef', 'hex');
    expect(serviceForPayload(appData, 0, appData.length)).toBe('tls');
  });
  test('serviceForPayload(HTTP request or response, SSH banner) returns http / ssh', () => {
    expect(serviceForPayload(b('GET / HTTP/1.1\r\n'), 0, 16)).toBe('http');
    expect(serviceForPayload(b('xxPOST /api HTTP/1.1'), 2, 18)).toBe('http');
    expect(serviceForPayload(b('HTTP/1.1 200 OK\r\n'), 0, 17)).toBe('http');
    expect(serviceForPayload(b('SSH-2.0-OpenSSH_9.2\r\n'), 0, 21)).toBe('ssh');
  });
  test('serviceForPayload(Modbus, short or binary payloads) returns undefined and never throws', () => {
    const modbus = Buffer.from('0001000000060a0100000001', 'hex');
    expect(serviceForPayload(modbus, 0, modbus.length)).toBeUndefined();
    expect(serviceForPayload(b('GET'), 0, 3)).toBeUndefined();
    expect(serviceForPayload(Buffer.alloc(0), 0, 0)).toBeUndefined();
    expect(serviceForPayload(Buffer.from('1603050001', 'hex'), 0, 5)).toBeUndefined(); // version 3.5
    expect(serviceForPayload(Buffer.from('4745', 'hex'), 0, 2)).toBeUndefined();
  });
});
