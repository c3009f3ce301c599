// One mean and one standard deviation for the whole project (RL advantages, experiment tables, bench),
// from d3-array. Non-finite values are left out: a NaN metric must not turn a table cell into NaN.
import { deviation, mean as d3mean } from 'd3-array';

/** Mean of the finite values; NaN when there are none. */
export function mean(xs: readonly number[]): number {
  return d3mean(xs.filter(Number.isFinite)) ?? NaN;
}

/** |a − b| relative to |b| (the reference), guarded against b = 0. */
export function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}

/** Sample (unbiased, n − 1) standard deviation of the finite values; NaN for fewer than two. */
export function std(xs: readonly number[]): number {
  return deviation(xs.filter(Number.isFinite)) ?? NaN;
}
