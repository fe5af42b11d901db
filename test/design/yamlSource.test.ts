import { parseYamlSource, tooDeepAt } from '../../src/design/yamlSource.js';

describe('parseYamlSource', () => {
  test('tooDeepAt(block, flow and "- - -" nesting) finds where the limit is passed; quotes and comments do not count', () => {
    const block = Array.from({ length: 40 }, (_x, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n');
    expect(tooDeepAt(block, 32)).toMatchObject({ line: 33, depth: 33 });
    expect(tooDeepAt(`${'- '.repeat(40)}x`, 32)).toMatchObject({ line: 1, depth: 41 });
    expect(tooDeepAt(`a: "${'['.repeat(100)}" # ${'{'.repeat(100)}`, 32)).toBeNull();
    expect(tooDeepAt('a: [[1], [2], {b: [3]}]', 32)).toBeNull();
  });

  test('parseYamlSource(a few aliases) is fine; parseYamlSource(an alias bomb) is refused at the first alias', () => {
    expect(parseYamlSource('a: &x [1, 2]\nb: *x\nc: *x\n', 'd.yaml').diagnostics).toEqual([]);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x]', ...Array.from({ length: 5 }, (_x, i) => `${'bcdef'[i]}: &${'bcdef'[i]} [${Array(8).fill(`*${'abcde'[i]}`).join(', ')}]`)].join('\n');
    const r = parseYamlSource(bomb, 'd.yaml');
    expect(r.source).toBeNull();
    expect(r.diagnostics).toMatchObject([{ code: 'DESIGN_ALIAS_BOMB', line: 2, column: 8 }]);
  });

  test('parseYamlSource(several documents, an unresolved alias) reports DESIGN_YAML_SYNTAX with a position', () => {
    expect(parseYamlSource('a: 1\n---\nb: 2\n', 'd.yaml').diagnostics).toMatchObject([{ code: 'DESIGN_YAML_SYNTAX', line: 2, column: 1 }]);
    expect(parseYamlSource('a: *nope\n', 'd.yaml').diagnostics).toMatchObject([{ code: 'DESIGN_YAML_SYNTAX', line: 1, column: 4 }]);
  });
});
