// One histogram of token ratios (or log-ratios) for one source, with its summary numbers underneath.
import { memo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RatioStats, Source } from '../../core/record';
import { SOURCE_COLOURS, SOURCE_LABELS, fmt } from './format';
import { countFromLog, histogramDomain, histogramRows, statsRows, type HistRow } from './histogram';

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

export const RatioHistogram = memo(function RatioHistogram({ stats, source, run, quantity, logCounts, marks = [], testId = 'ratio-histogram' }: RatioHistogramProps) {
  const rows = histogramRows(stats);
  const domain = histogramDomain(stats) ?? [0, 1];
  const label = `${SOURCE_LABELS[source]} — histogram of ${quantity} over ${stats.count} tokens (${run})`;
  // recharts' Tooltip recomputes its selectors on every data change: mounted only under the pointer
  const [hover, setHover] = useState(false);
  return (
    <figure className="v-hist" data-testid={testId} data-source={source} data-run={run} data-count={stats.count}>
      <figcaption>
        <span className="v-dot" style={{ background: SOURCE_COLOURS[source] }} aria-hidden="true" />
        {SOURCE_LABELS[source]} · {quantity}
      </figcaption>
      {rows.length === 0 ? (
        <p className="v-muted v-small">no tokens from this source at this step</p>
      ) : (
        <div className="v-chart-box" role="figure" aria-label={label} onPointerEnter={() => setHover(true)} onPointerLeave={() => setHover(false)}>
          <ResponsiveContainer width="100%" height={140}>
            <BarChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} barCategoryGap={1}>
              <CartesianGrid strokeDasharray="2 3" vertical={false} />
              <XAxis dataKey="x" type="number" domain={domain} tickFormatter={(v: number) => fmt(v, 2)} fontSize={10} />
              <YAxis
                width={36}
                fontSize={10}
                allowDecimals={!logCounts}
                tickFormatter={(v: number) => String(logCounts ? countFromLog(v) : v)}
                label={logCounts ? { value: 'count (log)', angle: -90, position: 'insideLeft', fontSize: 9 } : undefined}
              />
              {marks.map((m) => (
                <ReferenceLine key={m.label} x={m.x} stroke="#555" strokeDasharray="3 3" label={{ value: m.label, fontSize: 9, position: 'top' }} />
              ))}
              {hover && <Tooltip
                isAnimationActive={false}
                formatter={(_v, _n, item) => {
                  const r = (item as { payload?: HistRow }).payload;
                  return [r ? `${r.count} tokens (${(r.share * 100).toFixed(1)} %)` : '', quantity];
                }}
                labelFormatter={(_l, payload) => (payload?.[0]?.payload as HistRow | undefined)?.label ?? ''}
              />}
              <Bar dataKey={logCounts ? 'logCount' : 'count'} fill={SOURCE_COLOURS[source]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
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
