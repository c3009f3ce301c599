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

/** uPlot columns of one histogram: x = bin centres, y = counts (or log heights). */
export function histogramColumns(rows: readonly HistRow[], logCounts: boolean): [number[], number[]] {
  return [rows.map((r) => r.x), rows.map((r) => (logCounts ? r.logCount : r.count))];
}

/** The y range: from 0 (bars stand on it) to a little above the tallest bar, at least one count. */
export function countRange(ys: readonly number[], logCounts: boolean): [number, number] {
  const top = ys.reduce((a, b) => Math.max(a, b), 0);
  return [0, Math.max(logCounts ? Math.log10(2) : 1, top) * 1.08];
}

/** A y tick's text: counts are whole numbers, so ticks between them stay blank; log heights show the count. */
export function countTick(v: number, logCounts: boolean): string {
  if (logCounts) return String(countFromLog(v));
  return Number.isInteger(v) ? String(v) : '';
}

/** What hovering a bar reads out: its range and how many tokens fell in it. */
export function binReadout(row: HistRow | undefined, quantity: string): string {
  return row ? `${quantity} ${row.label}: ${row.count} token${row.count === 1 ? '' : 's'} (${(row.share * 100).toFixed(1)} %)` : '';
}

/** Text rows for centred labels at x positions (pixels), so close ones do not overprint: each label takes
 *  the first row where it clears the previous label by `gap`. On a log axis 1−ε, r = 1 and 1+ε sit a few
 *  pixels apart. Returns each label's row, in input order. */
export function labelRows(labels: readonly { x: number; width: number }[], gap = 3): number[] {
  const rightEdge: number[] = []; // per row, where its last label ends
  const rows = new Array<number>(labels.length);
  [...labels.keys()]
    .sort((a, b) => labels[a].x - labels[b].x)
    .forEach((i) => {
      const left = labels[i].x - labels[i].width / 2;
      let r = rightEdge.findIndex((end) => left >= end + gap);
      if (r < 0) r = rightEdge.length;
      rightEdge[r] = labels[i].x + labels[i].width / 2;
      rows[i] = r;
    });
  return rows;
}
