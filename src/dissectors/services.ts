/**
 * Service labels for traffic zonescope does not dissect: a port table (IANA service name registry,
 * plus the usual ICS vendor ports) and cheap payload tests for TLS, HTTP and SSH on any port.
 * Labels are lower-case and punctuation-free ('https', 'rdp', 'pi', 'iec104') so that design files can
 * match them case- and punctuation-insensitively.
 */

type Transport = 'tcp' | 'udp';

/** [label, tcp ports, udp ports]. Order matters only for readability; a port appears once per transport. */
const TABLE: ReadonlyArray<readonly [string, readonly number[], readonly number[]]> = [
  // IT services
  ['ftpdata', [20], []],
  ['ftp', [21], []],
  ['ssh', [22], []],
  ['telnet', [23], []],
  ['smtp', [25, 587], []],
  ['dns', [53], [53]],
  ['dhcp', [], [67, 68]],
  ['tftp', [], [69]],
  ['http', [80, 8080, 8000, 8008], []],
  ['kerberos', [88], [88]],
  ['pop3', [110], []],
  ['ntp', [], [123]],
  ['msrpc', [135], [135]],
  ['netbios', [137, 138], [137, 138]],
  ['smb', [139, 445], []],
  ['imap', [143], []],
  ['snmp', [161], [161]],
  ['snmptrap', [162], [162]],
  ['ldap', [389], [389]],
  ['https', [443, 8443], [443]], // UDP 443: QUIC / HTTP/3
  ['ike', [], [500, 4500]],
  ['syslog', [601, 6514], [514]],
  ['rsh', [514], []],
  ['dhcpv6', [], [546, 547]],
  ['ldaps', [636], []],
  ['imaps', [993], []],
  ['pop3s', [995], []],
  ['openvpn', [1194], [1194]],
  ['mssql', [1433], [1434]],
  ['radius', [], [1812, 1813]],
  ['ssdp', [], [1900]],
  ['nfs', [2049], [2049]],
  ['mysql', [3306], []],
  ['rdp', [3389], [3389]],
  ['postgresql', [5432], []],
  ['mdns', [], [5353]],
  ['llmnr', [5355], [5355]],
  ['vnc', [5900, 5901], []],
  ['winrm', [5985, 5986], []],
  ['mqtt', [1883, 8883], []],
  ['amqp', [5672], []],
  ['wsus', [8530, 8531], []],
  // ICS / OT (fallback labels; a registered dissector claims its ports first)
  ['isotsap', [102], []], // ISO-on-TCP (RFC 1006): S7comm, IEC 61850 MMS, ICCP
  ['modbus', [502], []],
  ['opcua', [4840], []],
  ['enip', [44818], [44818]],
  ['cipio', [], [2222]],
  ['dnp3', [20000], [20000]],
  ['iec104', [2404], []],
  ['bacnet', [], [47808]],
  ['pi', [5450], []], // OSIsoft/AVEVA PI Data Archive (PI-to-PI, PI API/SDK)
  ['fins', [9600], [9600]], // Omron FINS
  ['hartip', [5094], [5094]],
  // Triconex safety controllers: TSAA (UDP 1500), TriStation 1131 (UDP 1502) and Triconex
  // peer-to-peer (UDP 1503, labelled with the TriStation family).
  ['tsaa', [], [1500]],
  ['tristation', [], [1502, 1503]],
  ['profinet', [], [34964]], // PROFINET CM (DCE/RPC context manager)
  ['codesys', [1217, 2455, 11740], [1740, 1741, 1742, 1743]],
  ['gesrtp', [18245, 18246], []], // GE SRTP
  ['melsec', [5006, 5007], [5006, 5007]], // Mitsubishi MELSEC MC protocol
  ['knx', [3671], [3671]], // KNXnet/IP
  ['fox', [1911, 4911], []], // Tridium Niagara Fox
  ['ffhse', [1089, 1090, 1091], [1089, 1090, 1091]], // Foundation Fieldbus HSE
  ['crimson', [789], []], // Red Lion Crimson v3
  ['proconos', [20547], []],
  ['ethercat', [], [34980]],
  ['zenon', [1100], []],
];

function buildTable(transport: Transport): Map<number, string> {
  const m = new Map<number, string>();
  for (const [label, tcp, udp] of TABLE) {
    for (const p of transport === 'tcp' ? tcp : udp) if (!m.has(p)) m.set(p, label);
  }
  return m;
}

const TCP_SERVICES: ReadonlyMap<number, string> = buildTable('tcp');
const UDP_SERVICES: ReadonlyMap<number, string> = buildTable('udp');

/** The service label of a well-known port, or undefined. */
export function serviceForPort(transport: Transport, port: number): string | undefined {
  return (transport === 'tcp' ? TCP_SERVICES : UDP_SERVICES).get(port);
}

/** Every label the port table can give (for design matching and documentation). */
export function serviceLabels(): readonly string[] {
  const out: string[] = [];
  for (const [label] of TABLE) if (!out.includes(label)) out.push(label);
  return out;
}

// HTTP/1.x request methods (RFC 9110 section 9) followed by a space, and the response status line.
const HTTP_TOKENS: readonly Buffer[] = ['GET ', 'POST ', 'PUT ', 'HEAD ', 'DELETE ', 'OPTIONS ', 'PATCH ', 'CONNECT ', 'TRACE ', 'HTTP/1.'].map(
  (s) => Buffer.from(s, 'latin1'),
);

function startsWith(buf: Buffer, off: number, len: number, tok: Buffer): boolean {
  if (len < tok.length) return false;
  for (let i = 0; i < tok.length; i++) if (buf[off + i] !== tok[i]) return false;
  return true;
}

/**
 * Cheap payload tests on the first bytes of a connection (either direction), any port:
 *  - 'tls': a TLS record header (RFC 8446 5.1): content type 20..23 (handshake 0x16 first on a fresh
 *    connection, application data 0x17 mid-stream), version 0x03 0x00..0x04, length <= 2^14 + 2048;
 *  - 'http': an HTTP/1.x request method or status line;
 *  - 'ssh': the identification string "SSH-" (RFC 4253 4.2).
 * Returns undefined when none matches. Never throws.
 */
export function serviceForPayload(buf: Buffer, off: number, len: number): string | undefined {
  if (len >= 5) {
    const ct = buf[off]!;
    if (ct >= 20 && ct <= 23 && buf[off + 1] === 0x03 && buf[off + 2]! <= 0x04) {
      const recLen = (buf[off + 3]! << 8) | buf[off + 4]!;
      if (recLen > 0 && recLen <= 16384 + 2048) return 'tls';
    }
  }
  if (len >= 4 && buf[off] === 0x53 && buf[off + 1] === 0x53 && buf[off + 2] === 0x48 && buf[off + 3] === 0x2d) return 'ssh';
  for (const tok of HTTP_TOKENS) if (startsWith(buf, off, len, tok)) return 'http';
  return undefined;
}
