import { describe, expect, it } from 'vitest';
import type { RatioStats } from '../../core/record';
import { countFromLog, histogramDomain, histogramRows, statsRows } from './histogram';

const stats = (counts: number[]): RatioStats => ({
  count: counts.reduce((a, b) => a + b, 0), mean: 1, variance: 0.5, min: 0, max: 2, p01: 0.1, p50: 1, p99: 1.9,
  histogram: { edges: counts.map((_, i) => i).concat(counts.length), counts },
});

describe('histogramRows', () => {
  it('is empty when nothing was counted', () => {
    expect(histogramRows(stats([0, 0]))).toEqual([]);
    expect(histogramRows(undefined)).toEqual([]);
  });
  it('gives bin centres, open end labels and shares', () => {
    const rows = histogramRows(stats([1, 0, 3]));
    expect(rows.map((r) => r.x)).toEqual([0.5, 1.5, 2.5]);
    expect(rows[0].label).toBe('≤ 1');
    expect(rows[2].label).toBe('≥ 2');
    expect(rows[1].logCount).toBe(0);
    expect(countFromLog(rows[2].logCount)).toBe(3);
    expect(rows[2].share).toBeCloseTo(0.75);
  });
});

describe('histogramDomain and statsRows', () => {
  it('reads the outer edges and lists the six numbers', () => {
    expect(histogramDomain(stats([1, 2]))).toEqual([0, 2]);
    expect(statsRows(stats([1, 2])).map((r) => r.name)).toEqual(['count', 'mean', 'variance', 'p01', 'p50', 'p99']);
    expect(statsRows(stats([1, 2]))[0].value).toBe('3');
  });
});
