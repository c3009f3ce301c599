// One small-multiple chart of the live dashboard: lines (or a stacked area) over steps.
import { memo } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fmt } from './format';
import type { ChartData } from './smoothing';

export interface MetricChartProps {
  name: string; // → data-testid live-chart-<name>
  title: string;
  hint?: string; // one line under the title: what to look for
  data: ChartData;
  colourOf: (line: ChartData['lines'][number]) => string;
  dashOf?: (line: ChartData['lines'][number]) => string | undefined;
  nameOf: (line: ChartData['lines'][number]) => string;
  /** Fixed y-range for fractions, e.g. [0, 1]. */
  yDomain?: [number, number];
  percent?: boolean;
  stacked?: boolean;
  /** Steps to mark with a red line (updates skipped for NaN/Inf). */
  marks?: number[];
  /** Key drawn above the plot as HTML (recharts' own legend steals plot height in small multiples). */
  legend?: { label: string; colour: string; dash?: string }[];
}

// Small percentages keep two significant figures so ticks like 1.25 % do not all read '1%'.
const fmtY = (percent?: boolean) => (v: number) => (percent ? `${Math.abs(v) < 0.1 ? Number((v * 100).toPrecision(2)) : Math.round(v * 100)}%` : fmt(v, 2));

export const MetricChart = memo(function MetricChart(p: MetricChartProps) {
  const { rows, lines } = p.data;
  const showDots = rows.length < 30;
  const common = (
    <>
      <CartesianGrid strokeDasharray="2 3" />
      <XAxis dataKey="step" type="number" domain={['auto', 'auto']} allowDecimals={false} tickFormatter={(v: number) => String(Math.round(v))} fontSize={10} />
      <YAxis domain={p.yDomain ?? ['auto', 'auto']} tickFormatter={fmtY(p.percent)} fontSize={10} width={44} />
      <Tooltip
        formatter={(v) => (p.percent ? `${(Number(v) * 100).toFixed(1)} %` : fmt(Number(v), 4))}
        labelFormatter={(l, payload) => {
          const n = (payload?.[0]?.payload as { n?: number } | undefined)?.n ?? 1;
          return n > 1 ? `steps ≈ ${Math.round(Number(l))} (mean of ${n})` : `step ${l}`;
        }}
      />
      {(p.marks ?? []).slice(0, 50).map((s) => (
        <ReferenceLine key={s} x={s} stroke="#c00" strokeDasharray="2 2" />
      ))}
    </>
  );
  return (
    <figure className="v-chart" data-testid={`live-chart-${p.name}`} data-points={rows.length}>
      <figcaption>
        <strong>{p.title}</strong>
        {p.hint && <span className="v-muted v-small"> — {p.hint}</span>}
        {p.data.binned && <span className="v-muted v-small"> · {rows.length} bins of {p.data.totalSteps} steps</span>}
      </figcaption>
      {p.legend && p.legend.length > 1 && (
        <ul className="v-legend v-legend-small">
          {p.legend.map((e) => (
            <li key={e.label}>
              <svg width="18" height="6" aria-hidden="true">
                <line x1="0" y1="3" x2="18" y2="3" stroke={e.colour} strokeWidth="2" strokeDasharray={e.dash} />
              </svg>{' '}
              {e.label}
            </li>
          ))}
        </ul>
      )}
      <div className="v-chart-box" role="figure" aria-label={`${p.title} over training steps${lines.length ? `: ${lines.map(p.nameOf).join(', ')}` : ''}`}>
        {rows.length === 0 || lines.length === 0 ? (
          <p className="v-empty v-muted v-small">no data yet</p>
        ) : (
          <ResponsiveContainer width="100%" height={150}>
            {p.stacked ? (
              <AreaChart data={rows} margin={{ top: 6, right: 16, bottom: 0, left: 0 }}>
                {common}
                {lines.map((l) => (
                  <Area key={l.dataKey} dataKey={l.dataKey} name={p.nameOf(l)} stackId="s" stroke={p.colourOf(l)} fill={p.colourOf(l)} fillOpacity={0.5} isAnimationActive={false} connectNulls />
                ))}
              </AreaChart>
            ) : (
              <LineChart data={rows} margin={{ top: 6, right: 16, bottom: 0, left: 0 }}>
                {common}
                {lines.map((l) => (
                  <Line
                    key={l.dataKey}
                    dataKey={l.dataKey}
                    name={p.nameOf(l)}
                    stroke={p.colourOf(l)}
                    strokeDasharray={p.dashOf?.(l)}
                    dot={showDots ? { r: 2 } : false}
                    strokeWidth={1.5}
                    connectNulls
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            )}
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
});
