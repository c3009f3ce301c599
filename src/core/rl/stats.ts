// Summary statistics of token ratios (histogram binning and quantiles from d3-array).
import { bin, mean, quantileSorted, variance } from 'd3-array';
import type { RatioStats } from '../record';

export const LINEAR_DOMAIN: [number, number] = [0, 2];
export const LOG_DOMAIN: [number, number] = [-12, 3];

/** Stats of `values`; the histogram has fixed edges over `domain` (values outside land in the end bins). */
export function ratioStats(values: number[], domain: [number, number], bins = 30): RatioStats {
  const edges = Array.from({ length: bins + 1 }, (_, i) => domain[0] + ((domain[1] - domain[0]) * i) / bins);
  const counts = new Array<number>(bins).fill(0);
  if (values.length === 0) {
    return { count: 0, mean: null, variance: null, min: null, max: null, p01: null, p50: null, p99: null, histogram: { edges, counts } };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const clamp = (v: number) => Math.min(domain[1] - 1e-9, Math.max(domain[0], v));
  const binned = bin<number, number>().domain(domain).thresholds(edges.slice(1, -1))(values.map(clamp));
  binned.forEach((b, i) => (counts[i] = b.length));
  return {
    count: values.length,
    mean: mean(values)!,
    variance: variance(values) ?? 0, // d3: undefined for a single value; its spread is 0
    min: sorted[0],
    max: sorted[sorted.length - 1],
    p01: quantileSorted(sorted, 0.01)!,
    p50: quantileSorted(sorted, 0.5)!,
    p99: quantileSorted(sorted, 0.99)!,
    histogram: { edges, counts },
  };
}
