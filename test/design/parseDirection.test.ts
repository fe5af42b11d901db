import { parseCodeList, parseDirection, parseRestrictions } from '../../src/design/parseDirection.js';

describe('parseDirection', () => {
  test('parseDirection("Z3 -> Z2 (read only, FC 3/4 only)") gives initiator, responder and two restrictions', () => {
    expect(parseDirection('Z3 -> Z2 (read only, FC 3/4 only)')).toEqual({ initiator: 'Z3', responder: 'Z2', restrictions: ['read only', 'FC 3/4 only'] });
  });
  test('parseDirection(arrows, "both", "<->", a trailing ", note") reads each form', () => {
    expect(parseDirection('Z5→Z4')).toEqual({ initiator: 'Z5', responder: 'Z4', restrictions: [] });
    expect(parseDirection('Z1 => Z2: read only')).toEqual({ initiator: 'Z1', responder: 'Z2', restrictions: ['read only'] });
    expect(parseDirection('bidirectional (FC 3 only)')).toEqual({ initiator: null, responder: null, restrictions: ['FC 3 only'] });
    expect(parseDirection('Z1 <-> Z2')).toEqual({ initiator: null, responder: null, restrictions: [] });
  });
  test('parseDirection(text that is no direction) returns null', () => {
    expect(parseDirection('outbound only')).toBeNull();
    expect(parseDirection('Z1 -> Z2 -> Z3')).toBeNull();
    expect(parseDirection('-> Z2')).toBeNull();
  });
});

describe('parseRestrictions', () => {
  test('parseRestrictions(read only, FC 3/4 only) allows read, diagnostic, session and codes 3, 4', () => {
    expect(parseRestrictions(['read only', 'FC 3/4 only'])).toEqual({ operations: ['read', 'diagnostic', 'session'], functionCodes: [3, 4], unidirectional: false, notes: [] });
  });
  test('parseRestrictions(unidirectional via data diode) enforces the direction and keeps the rest as a note', () => {
    expect(parseRestrictions(['unidirectional via data diode'])).toEqual({ operations: null, functionCodes: null, unidirectional: true, notes: ['unidirectional via data diode'] });
    expect(parseRestrictions(['unidirectional']).notes).toEqual([]);
  });
  test('parseRestrictions(phrases it does not understand) keeps them as notes and restricts nothing', () => {
    // "historian read" must not be taken for "read only"
    expect(parseRestrictions(['historian read', 'patch downloads only'])).toEqual({ operations: null, functionCodes: null, unidirectional: false, notes: ['historian read', 'patch downloads only'] });
  });
  test('parseCodeList("1-4", "3 and 16", "3/x") ranges, conjunctions, and null for junk', () => {
    expect(parseCodeList('1-4')).toEqual([1, 2, 3, 4]);
    expect(parseCodeList('3 and 16')).toEqual([3, 16]);
    expect(parseCodeList('3/x')).toBeNull();
  });
});
