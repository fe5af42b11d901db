import { createRegistry } from '../../src/dissectors/registry.js';
import type { Dissector } from '../../src/dissectors/types.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';

/** A minimal dissector for registry tests. */
function fake(id: string, transports: Array<'tcp' | 'udp'>, ports: number[], heuristic = false): Dissector {
  return {
    id,
    name: id.toUpperCase(),
    transports,
    ports,
    spaces: ['x'],
    ...(heuristic ? { heuristic: (): boolean => true } : {}),
    createState: () => null,
    decode: () => undefined,
    describe: (_s, code) => ({ name: `C${code}`, opClass: 'other' }),
  };
}

describe('createRegistry', () => {
  const opcua = fake('opcua', ['tcp'], [4840], true);
  const enip = fake('enip', ['tcp', 'udp'], [44818], true);
  const cipio = fake('cip-io', ['udp'], [2222]);

  test('createRegistry([modbus, enip]).byPort() finds dissectors by transport and port', () => {
    const r = createRegistry([modbusTcp, enip]);
    expect(r.byPort('tcp', 502)).toBe(modbusTcp);
    expect(r.byPort('udp', 502)).toBeUndefined();
    expect(r.byPort('tcp', 44818)).toBe(enip);
    expect(r.byPort('udp', 44818)).toBe(enip);
    expect(r.byPort('tcp', 503)).toBeUndefined();
    expect(r.byId('modbus')).toBe(modbusTcp);
    expect(r.byId('nope')).toBeUndefined();
    expect(r.dissectors).toEqual([modbusTcp, enip]);
  });

  test('createRegistry(two dissectors on one port) gives the port to the first in the array', () => {
    const a = fake('a', ['tcp'], [1000]);
    const b = fake('b', ['tcp'], [1000]);
    expect(createRegistry([a, b]).byPort('tcp', 1000)).toBe(a);
    expect(createRegistry([b, a]).byPort('tcp', 1000)).toBe(b);
  });

  test('createRegistry(decodeAs 48010, tcp:48011, udp:2223) overrides the port table per transport', () => {
    const r = createRegistry([modbusTcp, opcua, enip, cipio], {
      decodeAs: { '48010': 'opcua', 'tcp:48011': 'opcua', 'udp:2223': 'cip-io', '502': 'enip' },
    });
    expect(r.byPort('tcp', 48010)).toBe(opcua);
    expect(r.byPort('udp', 48010)).toBeUndefined(); // opcua runs over TCP only
    expect(r.byPort('tcp', 48011)).toBe(opcua);
    expect(r.byPort('udp', 2223)).toBe(cipio);
    expect(r.byPort('tcp', 502)).toBe(enip); // the override wins over modbus's port
    expect(r.byPort('udp', 502)).toBe(enip);
  });

  test('createRegistry(decodeAs with an unknown id, a bad port or a wrong transport) throws at creation', () => {
    expect(() => createRegistry([opcua], { decodeAs: { '48010': 'opc-ua' } })).toThrow(/unknown dissector id 'opc-ua'/);
    expect(() => createRegistry([opcua], { decodeAs: { 'tcp:70000': 'opcua' } })).toThrow(/out of range/);
    expect(() => createRegistry([opcua], { decodeAs: { 'sctp:1': 'opcua' } })).toThrow(/not a port number/);
    expect(() => createRegistry([opcua], { decodeAs: { 'udp:4840': 'opcua' } })).toThrow(/does not run over udp/);
  });

  test('createRegistry(the same id twice) throws', () => {
    expect(() => createRegistry([opcua, opcua])).toThrow(/registered twice/);
  });

  test('createRegistry().heuristics() lists the dissectors with a heuristic, per transport, in array order', () => {
    const r = createRegistry([modbusTcp, opcua, enip, cipio]);
    expect(r.heuristics('tcp')).toEqual([modbusTcp, opcua, enip]);
    expect(r.heuristics('udp')).toEqual([enip]);
  });

  test('createRegistry().serviceForPort() labels ports no dissector claims', () => {
    const r = createRegistry([modbusTcp]);
    expect(r.serviceForPort('tcp', 443)).toBe('https');
    expect(r.serviceForPort('tcp', 3389)).toBe('rdp');
    expect(r.serviceForPort('udp', 53)).toBe('dns');
    expect(r.serviceForPort('tcp', 502)).toBeUndefined(); // claimed by modbus
    expect(createRegistry([]).serviceForPort('tcp', 502)).toBe('modbus');
    expect(r.serviceForPort('tcp', 49999)).toBeUndefined();
  });

  test('createRegistry() builds independent registries (no global state)', () => {
    const a = createRegistry([modbusTcp]);
    const b = createRegistry([opcua], { decodeAs: { '502': 'opcua' } });
    expect(a.byPort('tcp', 502)).toBe(modbusTcp);
    expect(b.byPort('tcp', 502)).toBe(opcua);
  });
});
