/**
 * Who initiated a connection (docs/INTERFACES.md "What a flow is"), decided once, at its first fold,
 * from the strongest evidence seen: the TCP handshake (SYN, else SYN-ACK), the originator reported
 * by another connection's dissector (a CIP Forward Open, for class-1 I/O), the protocol (the side
 * that sends requests), well-known ports, and last the first sender. The evidence is kept.
 */
import { IPPROTO_TCP, IPPROTO_UDP } from '../decode/packet.js';

const TCP_FIN = 0x01;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;
import type { Registry } from '../dissectors/registry.js';
import type { Conn, InitiatorEvidence } from './conn.js';
import type { ConnHosts } from './connHosts.js';
import { transportName } from './transportName.js';

export class InitiatorDecider {
  private readonly registry: Registry;
  private readonly hosts: ConnHosts;
  /** Originator -> target address pairs (`a>b`, address keys) reported through PduSink.originator. */
  private readonly originators = new Set<string>();
  /** Bumped at every new originator pair, so connections look again only when there is news. */
  generation = 0;

  constructor(registry: Registry, hosts: ConnHosts) {
    this.registry = registry;
    this.hosts = hosts;
  }

  /** Side `originatorIsA` of `conn` originates connections to the other side. */
  noteOriginator(conn: Conn, originatorIsA: boolean): void {
    const k = `${this.hosts.addrKey(conn, originatorIsA)}>${this.hosts.addrKey(conn, !originatorIsA)}`;
    if (this.originators.has(k)) return;
    this.originators.add(k);
    this.generation++;
  }

  /** The originator pairs, to carry into a later run (liveState.ts). */
  exportOriginators(): string[] {
    return [...this.originators].sort();
  }

  importOriginators(pairs: readonly string[]): void {
    for (const k of pairs) this.originators.add(k);
    this.generation++;
  }

  /** 1 when side A of `conn` is a known originator towards side B, 0 when B is towards A, -1 unknown. */
  originatorSide(conn: Conn): number {
    if (this.originators.size === 0) return -1;
    const a = this.hosts.addrKey(conn, true);
    const b = this.hosts.addrKey(conn, false);
    if (this.originators.has(`${a}>${b}`)) return 1;
    if (this.originators.has(`${b}>${a}`)) return 0;
    return -1;
  }

  /**
   * For a connection of an implicit protocol (Dissector.implicit): look up its originator when one
   * was reported since the last look (called per packet: no work unless there is news).
   */
  refreshOriginator(conn: Conn): void {
    if (conn.originatorIsA >= 0 || conn.originatorGeneration === this.generation) return;
    conn.originatorGeneration = this.generation;
    conn.originatorIsA = this.originatorSide(conn);
  }

  /**
   * Whether a TCP segment with SYN set can be a connection opening and so decide the initiator
   * (RFC 9293 3.5): a SYN with FIN or RST cannot, nor can a SYN without ACK that comes from a
   * well-known server port (a registry port or service label) to a port that is not one and carries
   * data: scanners and broken stacks send such segments mid-connection, and taking them as the
   * opening reverses the flow. Those segments leave the decision to the other evidence.
   */
  synCanOpen(flags: number, payloadLen: number, srcPort: number, dstPort: number): boolean {
    if ((flags & (TCP_FIN | TCP_RST)) !== 0) return false;
    if ((flags & TCP_ACK) !== 0 || payloadLen === 0) return true;
    return !(this.isServerPort(srcPort) && !this.isServerPort(dstPort));
  }

  private isServerPort(port: number): boolean {
    return this.registry.byPort('tcp', port) !== undefined || this.registry.serviceForPort('tcp', port) !== undefined;
  }

  /** Decide (once) who initiated a connection, and its protocol and responder port. */
  decide(conn: Conn): void {
    if (conn.initiatorIsA >= 0) return;
    let aInit = -1;
    let ev: InitiatorEvidence = 'first-sender';
    if (conn.syn === 1 || conn.syn === 0) {
      aInit = conn.syn;
      ev = 'syn';
    } else if (conn.syn === 2 || conn.syn === 3) {
      aInit = conn.syn === 2 ? 1 : 0; // the SYN-ACK sender is the responder
      ev = 'syn-ack';
    }
    const transport = transportName(conn.proto);
    let protocol = conn.session?.protocol;
    if (protocol === undefined || protocol === 'unknown') protocol = this.portLabel(conn, transport) ?? protocol;
    if (aInit < 0 && conn.session?.dissector?.implicit === true) {
      aInit = this.originatorSide(conn);
      if (aInit >= 0) ev = 'forward-open';
    }
    if (aInit < 0 && conn.protoClientIsA >= 0) {
      aInit = conn.protoClientIsA;
      ev = 'protocol';
    }
    if (aInit < 0) {
      const serverIsB = this.serverSideByPort(conn, transport);
      if (serverIsB >= 0) {
        aInit = serverIsB;
        ev = 'port';
      }
    }
    if (aInit < 0) aInit = conn.firstFromA ? 1 : 0;
    conn.initiatorIsA = aInit;
    conn.evidence = ev;
    if (protocol === undefined) {
      protocol = conn.proto === IPPROTO_TCP || conn.proto === IPPROTO_UDP ? 'unknown' : transport;
    }
    conn.protocol = protocol;
    conn.respPort = conn.proto === IPPROTO_TCP || conn.proto === IPPROTO_UDP ? (aInit === 1 ? conn.portB : conn.portA) : 0;
    // The flow key needs the addresses as text; a failed attempt may end up in a scan or flood
    // summary instead, so its key is built (and its hosts interned) only if it becomes a flow (fold).
  }

  /** Protocol label from the ports alone (dissector port table, then service labels). */
  private portLabel(conn: Conn, transport: string): string | undefined {
    if (transport !== 'tcp' && transport !== 'udp') return undefined;
    const t = transport;
    const lo = Math.min(conn.portA, conn.portB);
    const hi = Math.max(conn.portA, conn.portB);
    return (
      this.registry.byPort(t, lo)?.id ?? this.registry.byPort(t, hi)?.id ??
      this.registry.serviceForPort(t, lo) ?? this.registry.serviceForPort(t, hi)
    );
  }

  /** 1 if B is the server by well-known ports (so A initiated), 0 if A is, -1 if the ports do not tell. */
  private serverSideByPort(conn: Conn, transport: string): number {
    if (transport !== 'tcp' && transport !== 'udp') return -1;
    const a = conn.portA;
    const b = conn.portB;
    if (a === b) return -1;
    if (conn.session !== null && conn.session.serverPort >= 0) return conn.session.serverPort === b ? 1 : 0;
    const t = transport;
    const knownA = this.registry.byPort(t, a) !== undefined || this.registry.serviceForPort(t, a) !== undefined;
    const knownB = this.registry.byPort(t, b) !== undefined || this.registry.serviceForPort(t, b) !== undefined;
    if (knownA !== knownB) return knownB ? 1 : 0;
    if ((a < 1024) !== (b < 1024)) return b < 1024 ? 1 : 0;
    return -1;
  }
}
