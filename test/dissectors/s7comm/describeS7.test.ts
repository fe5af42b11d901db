import { describeS7 } from '../../../src/dissectors/s7comm/index.js';

describe('describeS7', () => {
  test('describeS7(function space) follows INTERFACES.md operation classes for S7', () => {
    const cls = (code: number, variant = 0): string => `${describeS7(0, code, variant).name}:${describeS7(0, code, variant).opClass}`;
    expect([0x04, 0x05, 0xf0, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x28, 0x29, 0x00].map((c) => cls(c))).toEqual([
      'READ_VAR:read',
      'WRITE_VAR:write',
      'SETUP_COMMUNICATION:session',
      'REQUEST_DOWNLOAD:program',
      'DOWNLOAD_BLOCK:program',
      'DOWNLOAD_ENDED:program',
      'START_UPLOAD:program',
      'UPLOAD:program',
      'END_UPLOAD:program',
      'PI_SERVICE:control',
      'PLC_STOP:control',
      'CPU_SERVICES:other',
    ]);
    expect([1, 2, 3, 4, 5, 6].map((v) => cls(0x28, v))).toEqual([
      'PI_SERVICE_INSE:control',
      'PI_SERVICE_DELE:control',
      'PI_SERVICE_P_PROGRAM:control',
      'PI_SERVICE_GARB:control',
      'PI_SERVICE_MODU:control',
      'PI_SERVICE_NC:control',
    ]);
    expect(cls(0x28, 99)).toBe('PI_SERVICE:control');
  });

  test('describeS7(cotp space 3) names CR/CC/DR/DC as session and a DT segment as carrier, never in the S7 function space', () => {
    expect([0xe0, 0xd0, 0x80, 0xc0].map((c) => describeS7(3, c).opClass)).toEqual(['session', 'session', 'session', 'session']);
    expect(describeS7(3, 0xe0).name).toBe('COTP_CONNECTION_REQUEST');
    expect(describeS7(3, 0xf0)).toEqual({ name: 'COTP_DT_SEGMENT', opClass: 'carrier' });
    // The old pseudo-codes are gone from the S7 function space.
    expect(describeS7(0, 0x1e0).name).toBe('Unknown (0x1e0)');
    expect(describeS7(0, 0xe0).name).toBe('Unknown (0xe0)');
  });

  test('describeS7(userdata) names SZL reads and block functions diagnostic, password session, cyclic read', () => {
    expect(describeS7(1, 0x0401)).toEqual({ name: 'READ_SZL', opClass: 'diagnostic' });
    expect(describeS7(1, 0x0301)).toEqual({ name: 'LIST_BLOCKS', opClass: 'diagnostic' });
    expect(describeS7(1, 0x0501)).toEqual({ name: 'PLC_PASSWORD', opClass: 'session' });
    expect(describeS7(1, 0x0201)).toEqual({ name: 'CYCLIC_TRANSFER', opClass: 'read' });
    expect(describeS7(1, 0x0108)).toEqual({ name: 'MODIFY_VARIABLE', opClass: 'write' });
    expect(describeS7(1, 0x010c)).toEqual({ name: 'MEMORY_RESET', opClass: 'control' });
  });

  test('describeS7(s7comm-plus) classifies the known functions', () => {
    expect(describeS7(2, 0x04ca)).toEqual({ name: 'CREATE_OBJECT', opClass: 'session' });
    expect(describeS7(2, 0x04d4)).toEqual({ name: 'DELETE_OBJECT', opClass: 'session' });
    expect(describeS7(2, 0x04fc)).toEqual({ name: 'GET_VARIABLE', opClass: 'read' });
    expect(describeS7(2, 0x0524)).toEqual({ name: 'GET_LINK', opClass: 'read' });
    expect(describeS7(2, 0x0542)).toEqual({ name: 'SET_MULTI_VARIABLES', opClass: 'write' });
  });

  test('describeS7(unknown codes, unknown space) returns Unknown (0x..), class other', () => {
    expect(describeS7(0, 0x5a)).toEqual({ name: 'Unknown (0x5a)', opClass: 'other' });
    expect(describeS7(1, 0x0999)).toEqual({ name: 'Unknown (0x999)', opClass: 'other' });
    expect(describeS7(2, 0xffff)).toEqual({ name: 'Unknown (0xffff)', opClass: 'other' });
    expect(describeS7(7, 4)).toEqual({ name: 'Unknown (0x4)', opClass: 'other' });
  });
});
