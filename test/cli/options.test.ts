import { UsageError } from '../../src/cli/commands/command.js';
import { decimalNumber, parseDecodeAs, wholeNumber } from '../../src/cli/options.js';

describe('options', () => {
  test('wholeNumber(option, min, max) accepts whole numbers in range and names the option otherwise', () => {
    const w = wholeNumber('workers', 1, 64);
    expect(w('4')).toBe(4);
    expect(w(['1', '8'])).toBe(8);
    expect(w(undefined)).toBeUndefined();
    for (const bad of ['abc', '0', '-5', '65', '1.5', '', 'NaN']) expect(() => w(bad)).toThrow(UsageError);
    expect(() => w('abc')).toThrow("--workers 'abc': expected a whole number from 1 to 64");
    expect(() => w('0')).toThrow('--workers 0: expected a whole number from 1 to 64');
  });

  test('decimalNumber(option, min, max) accepts decimals in range and names the option otherwise', () => {
    const r = decimalNumber('resolution', 0.01, 100);
    expect(r('1.5')).toBe(1.5);
    expect(r('.5')).toBe(0.5);
    for (const bad of ['abc', '0', '-1', '1e9', 'NaN', 'Infinity', '']) expect(() => r(bad)).toThrow(UsageError);
    expect(() => r('x')).toThrow("--resolution 'x': expected a number from 0.01 to 100");
  });

  test('parseDecodeAs(repeated and comma-separated values) builds the override map; bad items and unknown protocols are usage errors', () => {
    expect(parseDecodeAs(['48010=opcua', 'udp:2223=cip-io,TCP:1502=Modbus'])).toEqual({ '48010': 'opcua', 'udp:2223': 'cip-io', 'tcp:1502': 'modbus' });
    expect(parseDecodeAs(undefined)).toEqual({});
    expect(() => parseDecodeAs('70000=opcua')).toThrow(UsageError);
    expect(() => parseDecodeAs('48010=nosuch')).toThrow(/--decode-as: /);
  });
});
