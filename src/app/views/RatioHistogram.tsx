// One histogram of token ratios (or log-ratios) for one source, with its summary numbers underneath.
// The bars are a uPlot canvas (HistogramCanvas): the panel redraws 5–7 of these per step in compare mode.
import { memo } from 'react';
import type { RatioStats, Source } from '../../core/record';
import { SOURCE_COLOURS, SOURCE_LABELS } from './format';
import { HistogramCanvas } from './HistogramCanvas';
import { histogramDomain, histogramRows, statsRows } from './histogram';

export interface RatioHistogramProps {
  stats: RatioStats;
  source: Source;
  run: string;
  /** What the x-axis measures, e.g. 'ratio r' or 'log r'. */
  quantity: string;
  logCounts: boolean;
  /** x positions of dashed reference lines (the clip boundaries, or r = 1). */
  marks?: { x: number; label: string }[];
  testId?: string;
}

const NO_MARKS: { x: number; label: string }[] = [];

export const RatioHistogram = memo(function RatioHistogram({ stats, source, run, quantity, logCounts, marks = NO_MARKS, testId = 'ratio-histogram' }: RatioHistogramProps) {
  const rows = histogramRows(stats);
  const domain = histogramDomain(stats) ?? [0, 1];
  const label = `${SOURCE_LABELS[source]} — histogram of ${quantity} over ${stats.count} tokens (${run})`;
  return (
    <figure className="v-hist" data-testid={testId} data-source={source} data-run={run} data-count={stats.count}>
      <figcaption>
        <span className="v-dot" style={{ background: SOURCE_COLOURS[source] }} aria-hidden="true" />
        {SOURCE_LABELS[source]} · {quantity}
        {logCounts && <span className="v-muted v-small"> · count (log)</span>}
        {marks.length > 0 && <span className="v-muted v-small"> · dashed: {marks.map((m) => m.label).join(', ')}</span>}
      </figcaption>
      {rows.length === 0 ? (
        <p className="v-muted v-small">no tokens from this source at this step</p>
      ) : (
        <HistogramCanvas rows={rows} domain={domain} colour={SOURCE_COLOURS[source]} logCounts={logCounts} marks={marks} quantity={quantity} label={label} />
      )}
      <dl className="v-stats" data-testid={`${testId}-stats`}>
        {statsRows(stats).map((s) => (
          <div key={s.name}>
            <dt>{s.name}</dt>
            <dd>{s.value}</dd>
          </div>
        ))}
      </dl>
    </figure>
  );
});
