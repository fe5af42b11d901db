/**
 * Roles from behaviour, each with the count its evidence states: ICS server / client per protocol,
 * class-1 I/O scanner and adapter, engineering activity, pollers of many controllers, historians,
 * remote access, file transfer, DNS / NTP / DHCP servers, web servers and clients, the site services
 * most hosts reach, scanners, safety controllers and their engineering stations, routers.
 */
import type { ScanRecord } from '../baseline/reader.js';
import type { AssetRole, Evidence } from './types.js';
import type { Behaviour, Span } from './behaviour.js';

/** Protocols whose responder is a controller or field device (PLC, RTU, SIS, IED), and the role name prefix. */
export const CONTROLLER_PROTOCOLS: Record<string, string> = {
  modbus: 'modbus', enip: 'enip', s7comm: 's7', dnp3: 'dnp3', iec104: 'iec104', bacnet: 'bacnet', fins: 'fins',
  melsec: 'melsec', gesrtp: 'gesrtp', codesys: 'codesys', hartip: 'hartip', proconos: 'proconos', profinet: 'profinet',
  tristation: 'tristation', 'tristation-peer': 'tristation-peer', tsaa: 'tsaa', knx: 'knx', crimson: 'crimson', ffhse: 'ffhse',
};
/** Safety controller protocols (Triconex TriStation / TSAA, UDP 1500-1503). */
export const SAFETY_PROTOCOLS = new Set(['tristation', 'tristation-peer', 'tsaa']);

export interface RoleOptions {
  /** reads from at least this many controllers make a poller (historian, SCADA, OPC UA aggregation); default 3 */
  pollerMinControllers: number;
  /** a server reached by at least this share of the hosts (and 3) is a site service; default 0.25 */
  siteServiceShare: number;
}

export const DEFAULT_ROLE_OPTIONS: RoleOptions = { pollerMinControllers: 3, siteServiceShare: 0.25 };

export interface RoleResult {
  roles: AssetRole[];
  evidence: Evidence[];
}

const SERVICE_ROLES: ReadonlyArray<[string, readonly string[]]> = [
  ['remote-access', ['rdp', 'vnc', 'ssh', 'telnet', 'winrm']],
  ['file-transfer', ['smb', 'ftp', 'tftp', 'nfs']],
  ['web', ['http', 'https']],
];
/** Antivirus management servers (Symantec SEPM 8014, McAfee ePO 8081, Trend Micro 4118-4122), by port. */
const ANTIVIRUS = ['tcp/8014', 'tcp/8081', 'tcp/4118', 'tcp/4119', 'tcp/4120', 'tcp/4122'];
const SERVER_ONLY: ReadonlyArray<[string, readonly string[]]> = [
  ['dns-server', ['dns']], ['ntp-server', ['ntp']], ['dhcp-server', ['dhcp']], ['domain-controller', ['kerberos', 'ldap', 'ldaps']],
  ['patch-server', ['wsus']], ['antivirus-server', ANTIVIRUS], ['historian', ['pi']],
];
/** Services that, reached by most hosts, make a site service (OPC UA: a global discovery server). */
const SITE_PROTOCOLS = new Set(['dns', 'ntp', 'kerberos', 'ldap', 'ldaps', 'msrpc', 'smb', 'wsus', 'https', 'http', 'syslog', 'snmptrap', 'opcua', ...ANTIVIRUS]);

/** "1 host (10.0.0.5)", "6 hosts (10.0.0.1, 10.0.0.2, 10.0.0.3, ...)": the count with the first hosts by address. */
const n = (s: Set<string>): string => {
  const first = [...s].sort().slice(0, 3);
  return `${s.size} host${s.size === 1 ? '' : 's'} (${first.join(', ')}${s.size > 3 ? ', ...' : ''})`;
};

function ev(text: string, source: string, s: Span): Evidence {
  return { about: 'role', text, source, firstSeen: s.firstSeen, lastSeen: s.lastSeen };
}

/** The controllers of a baseline: responders of controller protocols (IP set). */
export function controllersOf(beh: ReadonlyMap<string, Behaviour>): Set<string> {
  const out = new Set<string>();
  for (const b of beh.values()) for (const p of b.asServer.keys()) if (CONTROLLER_PROTOCOLS[p]) out.add(b.ip);
  return out;
}

export function inferRoles(
  beh: ReadonlyMap<string, Behaviour>, scans: readonly ScanRecord[], opts: RoleOptions = DEFAULT_ROLE_OPTIONS,
): Map<string, RoleResult> {
  const out = new Map<string, RoleResult>();
  const controllers = controllersOf(beh);
  const siteMin = Math.max(3, Math.ceil(beh.size * opts.siteServiceShare));
  for (const b of beh.values()) {
    const roles: AssetRole[] = [];
    const evidence: Evidence[] = [];
    const add = (role: string, count: number, e: Evidence): void => {
      roles.push({ role, count });
      evidence.push(e);
    };
    for (const [proto, prefix] of Object.entries(CONTROLLER_PROTOCOLS)) {
      const s = b.asServer.get(proto);
      if (s) add(`${prefix}-server`, s.peers.size, ev(`answers ${proto} from ${n(s.peers)}`, proto, s));
      const c = b.asClient.get(proto);
      if (c) add(`${prefix}-client`, c.peers.size, ev(`${proto} client of ${n(c.peers)}`, proto, c));
    }
    const ua = b.asServer.get('opcua');
    if (ua) add('opcua-server', ua.peers.size, ev(`answers OPC UA from ${n(ua.peers)}`, 'opcua', ua));
    const uac = b.asClient.get('opcua');
    if (uac) add('opcua-client', uac.peers.size, ev(`OPC UA client of ${n(uac.peers)}`, 'opcua', uac));
    const ioOut = b.asClient.get('cip-io');
    if (ioOut) add('io-scanner', ioOut.peers.size, ev(`class-1 I/O originator (Forward Open) to ${n(ioOut.peers)}`, 'cip-io', ioOut));
    const ioIn = b.asServer.get('cip-io');
    if (ioIn) add('io-adapter', ioIn.peers.size, ev(`class-1 I/O target of ${n(ioIn.peers)}`, 'cip-io', ioIn));
    const safety = new Set<string>();
    let safetySpan: Span | null = null;
    for (const p of SAFETY_PROTOCOLS) {
      const s = b.asServer.get(p) ?? (p === 'tristation-peer' ? b.asClient.get(p) : undefined);
      if (!s) continue;
      for (const x of s.peers) safety.add(x);
      safetySpan = safetySpan ?? s;
    }
    if (safetySpan) add('safety-controller', safety.size, ev(`Triconex safety traffic (TriStation UDP 1502, peer-to-peer UDP 1503, TSAA UDP 1500) with ${n(safety)}`, 'traffic', safetySpan));
    const tri = b.asClient.get('tristation');
    if (tri) add('safety-engineering', tri.peers.size, ev(`TriStation (UDP 1502) engineering client of ${n(tri.peers)}`, 'tristation', tri));
    // Engineering: program / control requests to controllers, or writes to several of them.
    let engPdus = 0;
    const engPeers = new Set<string>();
    let engSpan: Span | null = null;
    for (const cls of ['program', 'control']) {
      for (const [proto, s] of b.requested.get(cls) ?? []) {
        if (proto === 'cip-io') continue;
        engPdus += s.pdus;
        for (const p of s.peers) engPeers.add(p);
        engSpan = engSpan ?? s;
      }
    }
    const writes = new Set<string>();
    let writePdus = 0;
    let writeSpan: Span | null = null;
    for (const [proto, s] of b.requested.get('write') ?? []) {
      if (proto === 'cip-io' || !CONTROLLER_PROTOCOLS[proto]) continue;
      for (const p of s.peers) if (controllers.has(p)) writes.add(p);
      writePdus += s.pdus;
      writeSpan = writeSpan ?? s;
    }
    if (engPdus > 0 && engSpan) {
      add('engineering', engPdus, ev(`${engPdus} program/control requests (download, upload, stop/start) to ${n(engPeers)}`, 'traffic', engSpan));
    } else if (writes.size >= 2 && writeSpan) {
      add('engineering', writePdus, ev(`${writePdus} write requests to ${writes.size} controllers`, 'traffic', writeSpan));
    }
    // Pollers: reads from many controllers.
    const readFrom = new Set<string>();
    let readSpan: Span | null = null;
    for (const [proto, s] of b.requested.get('read') ?? []) {
      if (!CONTROLLER_PROTOCOLS[proto]) continue;
      for (const p of s.peers) if (controllers.has(p)) readFrom.add(p);
      readSpan = readSpan ?? s;
    }
    if (readFrom.size >= opts.pollerMinControllers && readSpan) {
      add('poller', readFrom.size, ev(`polls ${readFrom.size} controllers`, 'traffic', readSpan));
    }
    for (const [role, protos] of SERVICE_ROLES) {
      for (const side of ['server', 'client'] as const) {
        const peers = new Set<string>();
        let sp: Span | null = null;
        for (const p of protos) {
          const s = (side === 'server' ? b.asServer : b.asClient).get(p);
          if (!s) continue;
          for (const x of s.peers) peers.add(x);
          sp = sp ?? s;
        }
        if (sp) add(`${role}-${side}`, peers.size, ev(`${side === 'server' ? 'answers' : 'uses'} ${protos.filter((p) => (side === 'server' ? b.asServer : b.asClient).has(p)).join('/')} ${side === 'server' ? 'from' : 'on'} ${n(peers)}`, 'traffic', sp));
      }
    }
    for (const [role, protos] of SERVER_ONLY) {
      for (const p of protos) {
        const s = b.asServer.get(p);
        if (s) {
          add(role, s.peers.size, ev(`answers ${p} from ${n(s.peers)}`, p, s));
          break;
        }
      }
    }
    if (!roles.some((r) => r.role === 'historian')) {
      const pi = b.asClient.get('pi');
      if (pi && readFrom.size > 0) add('historian', pi.peers.size, ev(`PI-to-PI (TCP 5450) to ${n(pi.peers)} while polling controllers`, 'pi', pi));
    }
    const site = new Set<string>();
    let siteSpan: Span | null = null;
    const siteProtos: string[] = [];
    for (const [p, s] of b.asServer) {
      if (!SITE_PROTOCOLS.has(p) || s.peers.size < siteMin) continue;
      for (const x of s.peers) site.add(x);
      siteSpan = siteSpan ?? s;
      siteProtos.push(p);
    }
    if (siteSpan) add('site-service', site.size, ev(`${siteProtos.join('/')} reached by ${n(site)} (a site service)`, 'traffic', siteSpan));
    out.set(b.ip, { roles, evidence });
  }
  for (const s of scans) {
    if (s.kind !== 'scan') continue;
    let r = out.get(s.host);
    if (!r) out.set(s.host, (r = { roles: [], evidence: [] }));
    r.roles.push({ role: 'scanner', count: s.ports });
    r.evidence.push({
      about: 'role', source: 'traffic', firstSeen: s.firstSeen, lastSeen: s.lastSeen,
      text: `scanner: ${s.attempts} failed ${s.transport} attempts to ${s.peers} hosts on ${s.ports} ports`,
    });
  }
  return out;
}
