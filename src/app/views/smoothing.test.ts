import { describe, expect, it } from 'vitest';
import { buildChartData, dataKey, ema, positiveOnly } from './smoothing';

describe('ema', () => {
  it('is the identity at weight 0', () => {
    expect(ema([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });
  it('is debiased: a constant series stays constant', () => {
    for (const v of ema([3, 3, 3, 3], 0.9)) expect(v).toBeCloseTo(3, 12);
  });
  it('follows the recurrence', () => {
    const w = 0.5;
    const out = ema([0, 4], w);
    // acc1 = 0, acc2 = 0.5·0 + 0.5·4 = 2; debias by 1 − 0.25 → 8/3
    expect(out[1]).toBeCloseTo(2 / 0.75, 12);
  });
  it('leaves gaps for non-finite values without advancing', () => {
    const out = ema([1, Number.NaN, undefined, 1], 0.9);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeNull();
    expect(out[3]).toBeCloseTo(1, 12);
  });
});

type M = { a: number; e?: number };
const run = (name: string, n: number, f: (i: number) => M) => ({ name, metrics: Array.from({ length: n }, (_, i) => ({ step: i, ...f(i) })) });

describe('buildChartData', () => {
  const specs = [
    { key: 'a', label: 'A', get: (m: M) => m.a },
    { key: 'e', label: 'E', get: (m: M) => m.e, smooth: false },
  ];
  it('handles no runs and empty runs', () => {
    expect(buildChartData([], specs, 0).rows).toEqual([]);
    const d = buildChartData([run('x', 0, () => ({ a: 0 }))], specs, 0.5);
    expect(d.rows).toEqual([]);
    expect(d.lines).toEqual([]);
  });
  it('keeps one row per step for a single point', () => {
    const d = buildChartData([run('x', 1, () => ({ a: 7 }))], specs, 0.9);
    expect(d.rows).toEqual([{ step: 0, n: 1, [dataKey(0, 'a')]: 7 }]);
    expect(d.lines.map((l) => l.key)).toEqual(['a']); // 'e' never had a value
  });
  it('does not smooth sparse series and keeps their gaps', () => {
    const d = buildChartData([run('x', 4, (i) => ({ a: i, e: i % 2 ? undefined : 10 * i }))], specs, 0.9);
    expect(d.rows.map((r) => r[dataKey(0, 'e')])).toEqual([0, null, 20, null]);
    expect(d.rows[3][dataKey(0, 'a')]).toBeLessThan(3); // smoothed lags behind
  });
  it('overlays runs with different step ranges', () => {
    const d = buildChartData([run('x', 2, () => ({ a: 1 })), run('y', 3, () => ({ a: 2 }))], specs, 0);
    expect(d.rows).toHaveLength(3);
    expect(d.rows[2][dataKey(0, 'a')]).toBeNull();
    expect(d.rows[2][dataKey(1, 'a')]).toBe(2);
  });
  it('downsamples thousands of steps into bin means', () => {
    const d = buildChartData([run('x', 5000, (i) => ({ a: i % 2 }))], specs, 0, 100);
    expect(d.binned).toBe(true);
    expect(d.totalSteps).toBe(5000);
    expect(d.rows.length).toBeLessThanOrEqual(100);
    expect(d.rows.reduce((s, r) => s + r.n, 0)).toBe(5000);
    for (const r of d.rows) expect(r[dataKey(0, 'a')]).toBeCloseTo(0.5, 1);
    expect(d.rows[0].step).toBeLessThan(d.rows[1].step);
  });
});

describe('positiveOnly', () => {
  it('turns non-positive values into gaps for a log axis', () => {
    const rows = positiveOnly([{ step: 0, n: 1, k: 0 }, { step: 1, n: 1, k: 2 }, { step: 2, n: 1, k: -1 }] as never, ['k']);
    expect(rows.map((r) => r.k)).toEqual([null, 2, null]);
  });
});
