// One small-multiple chart of the live dashboard: lines (or a stacked area) over steps.
// It is redrawn while training, so it keeps recharts' per-update work small: no animation, dots only
// on sparse lines, the Tooltip (whose selectors recompute on every data change) mounted only while
// the pointer is over the plot, and the chart's children memoised: when only `data` changes React
// skips them and recharts updates just what its store says changed, instead of re-rendering it all.
import { memo, useMemo, useState, type Ref } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartStyle } from './charts';
import { fmt } from './format';
import type { ChartData } from './smoothing';

export interface MetricChartProps {
  name: string; // → data-testid live-chart-<name>
  title: string;
  hint?: string; // one line under the title: what to look for
  data: ChartData;
  style: ChartStyle;
  /** Fixed y-range for fractions, e.g. [0, 1]. */
  yDomain?: [number, number];
  percent?: boolean;
  /** Steps to mark with a red line (updates skipped for NaN/Inf). */
  marks?: number[];
  /** The <figure>, for callers that watch its visibility. */
  figureRef?: Ref<HTMLElement>;
}

// Small percentages keep two significant figures so ticks like 1.25 % do not all read '1%'.
const fmtY = (percent?: boolean) => (v: number) => (percent ? `${Math.abs(v) < 0.1 ? Number((v * 100).toPrecision(2)) : Math.round(v * 100)}%` : fmt(v, 2));
const fmtX = (v: number) => String(Math.round(v));
const MARGIN = { top: 6, right: 16, bottom: 0, left: 0 };
const AUTO: [string, string] = ['auto', 'auto'];
const DOT = { r: 2 };
const ACTIVE_DOT = { r: 3 };

export const MetricChart = memo(function MetricChart(p: MetricChartProps) {
  const { rows } = p.data;
  const { lines, legend, stacked } = p.style;
  const [hover, setHover] = useState(false);
  const { percent, yDomain, marks } = p;
  const children = useMemo(
    () => (
      <>
        <CartesianGrid strokeDasharray="2 3" vertical={false} />
        <XAxis dataKey="step" type="number" domain={AUTO} allowDecimals={false} tickFormatter={fmtX} fontSize={10} />
        <YAxis domain={yDomain ?? AUTO} tickFormatter={fmtY(percent)} fontSize={10} width={44} />
        {hover && (
          <Tooltip
            isAnimationActive={false}
            formatter={(v) => (percent ? `${(Number(v) * 100).toFixed(1)} %` : fmt(Number(v), 4))}
            labelFormatter={(l, payload) => {
              const n = (payload?.[0]?.payload as { n?: number } | undefined)?.n ?? 1;
              return n > 1 ? `steps ≈ ${Math.round(Number(l))} (mean of ${n})` : `step ${l}`;
            }}
          />
        )}
        {(marks ?? []).slice(0, 50).map((s) => (
          <ReferenceLine key={s} x={s} stroke="#c00" strokeDasharray="2 2" />
        ))}
        {lines.map((l) =>
          stacked ? (
            <Area key={l.dataKey} dataKey={l.dataKey} name={l.name} stackId="s" stroke={l.colour} fill={l.colour} fillOpacity={0.5} isAnimationActive={false} connectNulls />
          ) : (
            <Line
              key={l.dataKey}
              dataKey={l.dataKey}
              name={l.name}
              stroke={l.colour}
              strokeDasharray={l.dash}
              dot={l.dots ? DOT : false}
              activeDot={hover ? ACTIVE_DOT : false}
              strokeWidth={1.5}
              connectNulls
              isAnimationActive={false}
            />
          ),
        )}
      </>
    ),
    [lines, stacked, hover, percent, yDomain, marks],
  );
  return (
    <figure className="v-chart" data-testid={`live-chart-${p.name}`} data-points={rows.length} ref={p.figureRef}>
      <figcaption>
        <strong>{p.title}</strong>
        {p.hint && <span className="v-muted v-small"> — {p.hint}</span>}
        {p.data.binned && <span className="v-muted v-small"> · {rows.length} bins of {p.data.totalSteps} steps</span>}
      </figcaption>
      {legend.length > 1 && (
        <ul className="v-legend v-legend-small">
          {legend.map((e) => (
            <li key={e.label}>
              <svg width="18" height="6" aria-hidden="true">
                <line x1="0" y1="3" x2="18" y2="3" stroke={e.colour} strokeWidth="2" strokeDasharray={e.dash} />
              </svg>{' '}
              {e.label}
            </li>
          ))}
        </ul>
      )}
      <div
        className="v-chart-box"
        role="figure"
        aria-label={`${p.title} over training steps${lines.length ? `: ${lines.map((l) => l.name).join(', ')}` : ''}`}
        onPointerEnter={() => setHover(true)}
        onPointerLeave={() => setHover(false)}
      >
        {rows.length === 0 || lines.length === 0 ? (
          <p className="v-empty v-muted v-small">no data yet</p>
        ) : (
          <ResponsiveContainer width="100%" height={150}>
            {stacked ? (
              <AreaChart data={rows} margin={MARGIN}>
                {children}
              </AreaChart>
            ) : (
              <LineChart data={rows} margin={MARGIN}>
                {children}
              </LineChart>
            )}
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
});
