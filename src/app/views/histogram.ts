// Turns the record's fixed-edge histograms (RatioStats.histogram) into chart rows.
import type { RatioStats } from '../../core/record';
import { fmt } from './format';

export interface HistRow {
  x: number; // bin centre
  label: string; // bin range as text, end bins open ('≤ a', '≥ b') because the core puts overflow there
  count: number;
  /** log10(1 + count): a log-like height that keeps empty bins at 0 (a true log axis cannot show 0). */
  logCount: number;
  share: number; // count / total
}

/** Rows of one histogram; [] when there is nothing to show. */
export function histogramRows(stats: RatioStats | undefined): HistRow[] {
  if (!stats || stats.count === 0) return [];
  const { edges, counts } = stats.histogram;
  const total = counts.reduce((a, b) => a + b, 0) || 1;
  return counts.map((count, i) => {
    const lo = edges[i];
    const hi = edges[i + 1];
    const label = i === 0 ? `≤ ${fmt(hi, 2)}` : i === counts.length - 1 ? `≥ ${fmt(lo, 2)}` : `${fmt(lo, 2)} – ${fmt(hi, 2)}`;
    return { x: (lo + hi) / 2, label, count, logCount: Math.log10(1 + count), share: count / total };
  });
}

/** The x-domain of a histogram (its outer edges), for aligning charts of several runs. */
export function histogramDomain(stats: RatioStats | undefined): [number, number] | null {
  const e = stats?.histogram.edges;
  return e && e.length >= 2 ? [e[0], e[e.length - 1]] : null;
}

/** The summary numbers shown under every histogram, in display order. */
export function statsRows(stats: RatioStats): { name: string; value: string }[] {
  return [
    { name: 'count', value: String(stats.count) },
    { name: 'mean', value: fmt(stats.mean) },
    { name: 'variance', value: fmt(stats.variance) },
    { name: 'p01', value: fmt(stats.p01) },
    { name: 'p50', value: fmt(stats.p50) },
    { name: 'p99', value: fmt(stats.p99) },
  ];
}

/** Inverse of HistRow.logCount, for axis ticks and tooltips: the count a log height stands for. */
export function countFromLog(y: number): number {
  return Math.round(10 ** y - 1);
}
