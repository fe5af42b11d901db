/** The shared dissector contract can fail: each check is tried on a dissector broken on purpose. */
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import type { Dissector } from '../../src/dissectors/types.js';
import { DIR_TO_SERVER } from '../../src/dissectors/types.js';
import { modbusAdu } from '../util/frameBuilder.js';
import { checkTruncation, type ContractSample } from './contract.js';

const samples: ContractSample[] = [{ name: 'read holding registers request', pdu: modbusAdu(1, 1, [3, 0, 0, 0, 10]), dir: DIR_TO_SERVER }];

describe('checkTruncation', () => {
  test('checkTruncation(modbusTcp) passes', () => {
    expect(() => checkTruncation(modbusTcp as Dissector, samples)).not.toThrow();
  });

  test('checkTruncation(a dissector whose pduLength frames whatever bytes are there) fails at the first cut', () => {
    const broken = { ...modbusTcp, pduLength: (_b: Buffer, _o: number, avail: number) => avail } as Dissector;
    expect(() => checkTruncation(broken, samples)).toThrow('modbus read holding registers request: pduLength on the first 1/12 bytes returned 1 (expected 0 or 12)');
  });

  test('checkTruncation(a dissector whose pduLength rejects a valid prefix with -1) fails', () => {
    const broken = { ...modbusTcp, pduLength: (b: Buffer, o: number, avail: number) => (avail < 8 ? -1 : modbusTcp.pduLength!(b, o, avail)) } as Dissector;
    expect(() => checkTruncation(broken, samples)).toThrow(/pduLength on the first 0\/12 bytes returned -1/);
  });

  test('checkTruncation(a dissector that decodes a truncated PDU without a violation) fails', () => {
    const broken = { ...modbusTcp, decode: () => undefined } as unknown as Dissector;
    expect(() => checkTruncation(broken, samples)).toThrow('modbus read holding registers request: truncation to 0/12 bytes gave no violation');
  });
});
