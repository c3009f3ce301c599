// The live dashboard: small multiples of the step metrics, one or several runs overlaid, EMA-smoothed.
// Split in three so a caller can redraw the charts one at a time (see app/components/StaggeredCharts):
// LiveChartsFrame (header, smoothing slider, run legend), LiveChart (one chart: data + style) and
// LiveCharts, which puts all of CHARTS in a frame from plain props.
import { memo, useId, useMemo, type ReactNode, type Ref } from 'react';
import type { StepMetrics } from '../../core/record';
import { CHARTS, chartStyle, skippedSteps, type ChartDef } from './charts';
import { runColour } from './format';
import { MetricChart } from './MetricChart';
import { buildChartData } from './smoothing';

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

/** Points per chart: recharts' cost per redraw grows with them, and a 260 px wide plot shows no more. */
export const LIVE_MAX_POINTS = 150;

export interface LiveChartsFrameProps {
  runs: readonly { name: string; colour?: string }[];
  smoothing: number;
  onSmoothingChange: (weight: number) => void;
  children: ReactNode; // the charts
}

export const LiveChartsFrame = memo(function LiveChartsFrame({ runs, smoothing, onSmoothingChange, children }: LiveChartsFrameProps) {
  const sliderId = useId();
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
      {runs.length > 1 && (
        <ul className="v-legend" aria-label="Runs" data-testid="live-legend">
          {runs.map((r, i) => (
            <li key={r.name}>
              <span className="v-swatch" style={{ background: runColour(i, r.colour) }} aria-hidden="true" />
              {r.name}
            </li>
          ))}
        </ul>
      )}
      <div className="v-grid">{children}</div>
    </section>
  );
});

export interface LiveChartProps {
  chart: ChartDef;
  runs: readonly LiveRun[];
  smoothing: number;
  maxPoints?: number;
  figureRef?: Ref<HTMLElement>;
}

/** The previous value while `v` has the same JSON (small values only: styles, step lists). */
function useStable<T>(v: T): T {
  const key = JSON.stringify(v);
  return useMemo(() => v, [key]);
}

/** One chart of CHARTS for the given runs: the only place that turns metrics into drawn series. */
export const LiveChart = memo(function LiveChart({ chart, runs, smoothing, maxPoints = LIVE_MAX_POINTS, figureRef }: LiveChartProps) {
  const data = useMemo(() => buildChartData(runs, chart.specs, smoothing, maxPoints), [runs, chart, smoothing, maxPoints]);
  // Same content, same object: MetricChart then re-renders only recharts' data, not its children.
  const style = useStable(useMemo(() => chartStyle(chart, data, runs), [chart, data, runs]));
  const marks = useStable(useMemo(() => skippedSteps(chart, runs), [chart, runs]));
  return (
    <MetricChart name={chart.name} title={chart.title} hint={chart.hint} data={data} style={style} yDomain={chart.yDomain} percent={chart.percent} marks={marks} figureRef={figureRef} />
  );
});

export const LiveCharts = memo(function LiveCharts({ runs, smoothing, onSmoothingChange, maxPoints }: LiveChartsProps) {
  return (
    <LiveChartsFrame runs={runs} smoothing={smoothing} onSmoothingChange={onSmoothingChange}>
      {CHARTS.map((c) => (
        <LiveChart key={c.name} chart={c} runs={runs} smoothing={smoothing} maxPoints={maxPoints} />
      ))}
    </LiveChartsFrame>
  );
});
