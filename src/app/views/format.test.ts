import { describe, expect, it } from 'vitest';
import { fmt, ms, pct, runColour, signed } from './format';

describe('format', () => {
  it('formats numbers, tiny and missing values', () => {
    expect(fmt(0.123456)).toBe('0.123');
    expect(fmt(2e-5)).toBe('2.00e-5');
    expect(fmt(0.00452, 2)).toBe('0.0045'); // log-axis ticks must not collapse to 0
    expect(fmt(12.3456, 2)).toBe('12.35');
    expect(fmt(undefined)).toBe('—');
    expect(fmt(Number.NaN)).toBe('—');
  });
  it('formats percentages, signs and durations', () => {
    expect(pct(0.125)).toBe('12.5 %');
    expect(signed(0.5)).toBe('+0.50');
    expect(signed(-0.25)).toBe('−0.25');
    expect(ms(1234.4)).toBe('1234 ms');
    expect(ms(12_000)).toBe('12.0 s');
  });
  it('cycles run colours and honours a given one', () => {
    expect(runColour(8)).toBe(runColour(0));
    expect(runColour(1, '#abc')).toBe('#abc');
  });
});
