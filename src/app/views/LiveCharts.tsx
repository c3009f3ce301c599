// The live dashboard: small multiples of the step metrics, one or several runs overlaid, EMA-smoothed.
import { memo, useId, useMemo } from 'react';
import type { StepMetrics } from '../../core/record';
import { CHARTS } from './charts';
import { STYLE_COLOURS, runColour } from './format';
import { MetricChart } from './MetricChart';
import { buildChartData, type ChartData } from './smoothing';

export interface LiveRun {
  name: string;
  colour?: string;
  metrics: readonly (StepMetrics & { step: number })[];
}

export interface LiveChartsProps {
  runs: readonly LiveRun[];
  /** EMA weight in [0, 0.99]; 0 = raw. Eval accuracies are never smoothed (they are sparse averages already). */
  smoothing: number;
  onSmoothingChange: (weight: number) => void;
  /** Most points drawn per chart; more steps are averaged into bins. */
  maxPoints?: number;
}

const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73'];
const DASH = [undefined, '6 3', '2 2'];

export const LiveCharts = memo(function LiveCharts({ runs, smoothing, onSmoothingChange, maxPoints = 400 }: LiveChartsProps) {
  const sliderId = useId();
  const compare = runs.length > 1;
  const data = useMemo(() => CHARTS.map((c) => buildChartData(runs, c.specs, smoothing, maxPoints)), [runs, smoothing, maxPoints]);
  const skipped = useMemo(() => runs.flatMap((r) => r.metrics.filter((m) => m.updateSkipped).map((m) => m.step)), [runs]);

  return (
    <section className="v-panel v-live" data-testid="live-charts" aria-label="Live training charts">
      <header className="v-panel-head">
        <h3>Training curves</h3>
        <div className="v-controls">
          <label htmlFor={sliderId}>Smoothing (EMA)</label>
          <input id={sliderId} type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => onSmoothingChange(Number(e.target.value))} data-testid="smoothing" />
          <output htmlFor={sliderId}>{smoothing.toFixed(2)}</output>
        </div>
      </header>
      {compare && (
        <ul className="v-legend" aria-label="Runs" data-testid="live-legend">
          {runs.map((r, i) => (
            <li key={r.name}>
              <span className="v-swatch" style={{ background: runColour(i, r.colour) }} aria-hidden="true" />
              {r.name}
            </li>
          ))}
        </ul>
      )}
      <div className="v-grid">
        {CHARTS.map((c, ci) => {
          const d: ChartData = data[ci];
          const si = (key: string) => Math.max(0, c.specs.findIndex((sp) => sp.key === key));
          return (
            <MetricChart
              key={c.name}
              name={c.name}
              title={c.title}
              hint={c.hint}
              data={d}
              yDomain={c.yDomain}
              percent={c.percent}
              marks={c.marks ? skipped : undefined}
              stacked={c.name === 'style' && !compare}
              colourOf={(l) => (compare ? runColour(l.run, runs[l.run]?.colour) : c.name === 'style' ? STYLE_COLOURS[l.key as keyof typeof STYLE_COLOURS] : SERIES_COLOURS[si(l.key) % 3])}
              dashOf={(l) => (compare ? DASH[si(l.key) % 3] : undefined)}
              legend={c.specs.map((sp, k) => ({
                label: sp.label,
                colour: compare ? '#333' : c.name === 'style' ? STYLE_COLOURS[sp.key as keyof typeof STYLE_COLOURS] : SERIES_COLOURS[k % 3],
                dash: compare ? DASH[k % 3] : undefined,
              }))}
              nameOf={(l) => (compare ? `${l.runName} · ${l.label}` : l.label)}
            />
          );
        })}
      </div>
    </section>
  );
});
