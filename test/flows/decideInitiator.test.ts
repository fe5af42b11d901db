import { cipIo } from '../../src/dissectors/enip/cipIo.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { AppSession } from '../../src/dissectors/session.js';
import type { Conn } from '../../src/flows/conn.js';
import { InitiatorDecider } from '../../src/flows/decideInitiator.js';
import { ConnFixture } from './connFixture.js';

const registry = createRegistry([modbusTcp, cipIo]);

function decided(c: Conn, d: InitiatorDecider, fx: ConnFixture): [string, string, number, string] {
  d.decide(c);
  const init = fx.hosts.ip(c, c.initiatorIsA === 1);
  const resp = fx.hosts.ip(c, c.initiatorIsA !== 1);
  return [init, resp, c.respPort, c.evidence];
}

describe('InitiatorDecider', () => {
  test('decide(SYN seen) takes the SYN sender; a SYN-ACK alone makes its sender the responder', () => {
    const fx = new ConnFixture();
    const d = new InitiatorDecider(registry, fx.hosts);
    const a = fx.conn('10.20.1.10', 502, '10.30.1.50', 50123);
    a.syn = a.firstFromA ? 0 : 1; // the SYN came from 10.30.1.50 (the second side seen)
    expect(decided(a, d, fx)).toEqual(['10.30.1.50', '10.20.1.10', 502, 'syn']);
    const b = fx.conn('10.20.1.11', 502, '10.30.1.51', 50124);
    b.syn = b.firstFromA ? 3 : 2; // SYN-ACK sent by the first sender, 10.20.1.11
    expect(decided(b, d, fx)).toEqual(['10.30.1.51', '10.20.1.11', 502, 'syn-ack']);
  });

  test('decide(no handshake) goes by protocol, then ports, then the first sender', () => {
    const fx = new ConnFixture();
    const d = new InitiatorDecider(registry, fx.hosts);
    const p = fx.conn('10.20.1.10', 502, '10.30.1.50', 50123);
    p.protoClientIsA = p.firstFromA ? 0 : 1; // the protocol says 10.30.1.50 is the client
    expect(decided(p, d, fx)).toEqual(['10.30.1.50', '10.20.1.10', 502, 'protocol']);
    const port = fx.conn('10.20.1.10', 502, '10.30.1.52', 50125);
    expect(decided(port, d, fx)).toEqual(['10.30.1.52', '10.20.1.10', 502, 'port']);
    const first = fx.conn('10.0.0.1', 40001, '10.0.0.2', 40002, 17);
    expect(decided(first, d, fx)).toEqual(['10.0.0.1', '10.0.0.2', 40002, 'first-sender']);
    expect(first.protocol).toBe('unknown');
  });

  test('decide(class-1 I/O after a Forward Open) takes the originator whoever sent first; other protocols ignore originators', () => {
    const fx = new ConnFixture();
    const d = new InitiatorDecider(registry, fx.hosts);
    const fo = fx.conn('10.20.1.16', 51000, '10.20.1.10', 44818);
    d.noteOriginator(fo, fx.hosts.ip(fo, true) === '10.20.1.16');
    const gen = d.generation;
    d.noteOriginator(fo, fx.hosts.ip(fo, true) === '10.20.1.16');
    expect(d.generation).toBe(gen); // the same pair again is no news
    const io = fx.conn('10.20.1.10', 2222, '10.20.1.16', 2222, 17); // the target sent first
    io.session = new AppSession(registry, 'udp', io.portA, io.portB, -1, -1);
    expect(io.session.dissector?.id).toBe('cip-io');
    expect(decided(io, d, fx)).toEqual(['10.20.1.16', '10.20.1.10', 2222, 'forward-open']);
    const other = fx.conn('10.20.1.10', 40000, '10.20.1.16', 40001, 17);
    expect(decided(other, d, fx)[3]).toBe('first-sender');
  });

  test('refreshOriginator(conn) looks again only when a new originator was reported', () => {
    const fx = new ConnFixture();
    const d = new InitiatorDecider(registry, fx.hosts);
    const io = fx.conn('10.20.1.10', 2222, '10.20.1.16', 2222, 17);
    d.refreshOriginator(io);
    expect(io.originatorIsA).toBe(-1);
    const fo = fx.conn('10.20.1.16', 51000, '10.20.1.10', 44818);
    d.noteOriginator(fo, fx.hosts.ip(fo, true) === '10.20.1.16');
    d.refreshOriginator(io);
    expect(fx.hosts.ip(io, io.originatorIsA === 1)).toBe('10.20.1.16');
  });
});
