/**
 * The blocks a PI service names (_INSE activates downloaded blocks, _DELE deletes them): written block
 * objects, so an engineering event says which blocks. The PDUs come from the generator's encoder,
 * which test/cli/commands/events.generator.test.ts checks against tshark.
 */
import { piService } from '../../../fixtures/generator/protocols/s7comm.js';
import { DIR_TO_SERVER, KIND_REQUEST } from '../../../src/dissectors/types.js';
import { FN_PI_SERVICE, OBJ_BLOCK, PI_DELE, PI_INSE, PI_P_PROGRAM, s7BlockKey } from '../../../src/dissectors/s7comm/index.js';
import { decode } from './tsharkPdus.js';

describe('decodeS7: PI service blocks', () => {
  test('decodeS7(PI _INSE of OB1, DB101, DB102) reports three written block objects', () => {
    const s = decode(piService(7, '_INSE', [{ type: '08', number: 1 }, { type: '0A', number: 101 }, { type: '0A', number: 102 }]), DIR_TO_SERVER);
    expect(s.fns).toEqual([{ space: 0, code: FN_PI_SERVICE, kind: KIND_REQUEST, variant: PI_INSE }]);
    expect(s.objects).toEqual([
      { space: OBJ_BLOCK, key: s7BlockKey(0x08, 1), write: true },
      { space: OBJ_BLOCK, key: s7BlockKey(0x0a, 101), write: true },
      { space: OBJ_BLOCK, key: s7BlockKey(0x0a, 102), write: true },
    ]);
    expect(s.violations).toEqual([]);
  });

  test('decodeS7(PI _DELE with a count past its parameter block) reports the blocks that are there, never beyond', () => {
    const pdu = piService(8, '_DELE', [{ type: '0C', number: 12 }]);
    const at = pdu.indexOf(Buffer.from('0C00012P', 'latin1')) - 2; // the block count
    pdu[at] = 9;
    const s = decode(pdu, DIR_TO_SERVER);
    expect(s.fns[0]!.variant).toBe(PI_DELE);
    expect(s.objects).toEqual([{ space: OBJ_BLOCK, key: s7BlockKey(0x0c, 12), write: true }]);
  });

  test('decodeS7(PI P_PROGRAM, no parameter block) reports no object', () => {
    const s = decode(piService(9, 'P_PROGRAM', []), DIR_TO_SERVER);
    expect(s.fns[0]!.variant).toBe(PI_P_PROGRAM);
    expect(s.objects).toEqual([]);
  });
});
