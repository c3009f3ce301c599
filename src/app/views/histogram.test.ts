import { describe, expect, it } from 'vitest';
import type { RatioStats } from '../../core/record';
import { binReadout, countFromLog, countRange, countTick, histogramColumns, labelRows, histogramDomain, histogramRows, statsRows } from './histogram';

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

describe('canvas helpers', () => {
  it('gives uPlot columns of bin centres and counts or log heights', () => {
    const rows = histogramRows(stats([1, 0, 3]));
    expect(histogramColumns(rows, false)).toEqual([[0.5, 1.5, 2.5], [1, 0, 3]]);
    expect(histogramColumns(rows, true)[1].map(countFromLog)).toEqual([1, 0, 3]);
  });
  it('ranges counts from 0 to above the tallest bar, never an empty range', () => {
    const [lo, hi] = countRange([1, 0, 3], false);
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThan(3);
    expect(countRange([0, 0], false)[1]).toBeGreaterThan(0);
    expect(countRange([0, 0], true)[1]).toBeGreaterThan(0);
  });
  it('labels only whole counts, and log heights by the count they stand for', () => {
    expect(countTick(2, false)).toBe('2');
    expect(countTick(2.5, false)).toBe('');
    expect(countTick(Math.log10(1 + 99), true)).toBe('99');
  });
  it('reads out a hovered bin with its range, count and share', () => {
    const rows = histogramRows(stats([1, 0, 3]));
    expect(binReadout(rows[2], 'log r')).toBe('log r ≥ 2: 3 tokens (75.0 %)');
    expect(binReadout(rows[0], 'log r')).toBe('log r ≤ 1: 1 token (25.0 %)');
    expect(binReadout(undefined, 'log r')).toBe('');
  });
});

describe('labelRows', () => {
  it('keeps labels that clear each other on the first row and stacks the ones that would overprint', () => {
    expect(labelRows([{ x: 10, width: 10 }, { x: 100, width: 10 }])).toEqual([0, 0]);
    // three labels within a few pixels (1−ε, r = 1, 1+ε on a log axis), given out of order
    expect(labelRows([{ x: 52, width: 20 }, { x: 50, width: 20 }, { x: 54, width: 20 }])).toEqual([1, 0, 2]);
    // a later label reuses the first row once it is clear of it
    expect(labelRows([{ x: 50, width: 20 }, { x: 52, width: 20 }, { x: 90, width: 20 }])).toEqual([0, 1, 0]);
  });
});
