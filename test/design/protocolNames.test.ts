import { matchProtocolName, normalizeProtocol } from '../../src/design/protocolNames.js';

describe('matchProtocolName', () => {
  test('matchProtocolName(names as engineers write them) gives the flow labels, case and punctuation aside', () => {
    expect(matchProtocolName('Modbus/TCP')).toEqual({ ids: ['modbus'], known: true });
    expect(matchProtocolName('OPC UA')).toEqual({ ids: ['opcua'], known: true });
    expect(matchProtocolName('opcua')).toEqual({ ids: ['opcua'], known: true });
    expect(matchProtocolName('PI-to-PI')).toEqual({ ids: ['pi'], known: true });
    expect(matchProtocolName('HTTPS')).toEqual({ ids: ['https', 'tls'], known: true });
    expect(matchProtocolName('rdp')).toEqual({ ids: ['rdp'], known: true });
    expect(matchProtocolName('EtherNet/IP')).toEqual({ ids: ['cipio', 'enip'], known: true });
    expect(matchProtocolName('S7comm')).toEqual({ ids: ['s7comm'], known: true });
  });
  test('matchProtocolName("any") matches every protocol; an unknown name is flagged', () => {
    expect(matchProtocolName('any')).toEqual({ ids: null, known: true });
    expect(matchProtocolName('Frobnicator 3000')).toEqual({ ids: ['frobnicator3000'], known: false });
  });
  test('normalizeProtocol(cip-io) is the form flows are compared in', () => {
    expect(normalizeProtocol('cip-io')).toBe('cipio');
  });
});
