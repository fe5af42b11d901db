import { atInterrupt, runInterrupt, setInterruptHint } from '../../src/cli/interrupt.js';

describe('interrupt', () => {
  test('runInterrupt(SIGINT) runs the registered steps last-first, even past a failing one, and says what to do', () => {
    const order: string[] = [];
    atInterrupt(() => order.push('close store'));
    atInterrupt(() => {
      throw new Error('broken step');
    });
    const off = atInterrupt(() => order.push('unregistered'));
    off();
    atInterrupt(() => order.push('clear bar'));
    const unhint = setInterruptHint('; run again to resume');
    expect(runInterrupt('SIGINT')).toBe('zonescope: interrupted; run again to resume\n');
    expect(order).toEqual(['clear bar', 'close store']);
    unhint();
    expect(runInterrupt('SIGTERM')).toBe('zonescope: terminated (SIGTERM)\n');
    expect(order).toHaveLength(2);
  });
});
