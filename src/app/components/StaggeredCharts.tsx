// The live charts laid out like the views' LiveCharts, but each small multiple subscribes to the
// history on its own. The history store notifies every subscriber in a separate task, so the page
// does ~9 short renders per update instead of one long one (the bench showed one recharts update of
// all charts at once blocking the main thread for 200-300 ms). Drawing is the views' MetricChart.
import { memo, useId, useMemo, useState } from 'react';
import { CHARTS, runColour } from '../views';
import { STYLE_COLOURS } from '../views/format';
import { MetricChart } from '../views/MetricChart';
import { buildChartData } from '../views/smoothing';
import { useHistory } from '../useHistory';

const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73']; // as LiveCharts
const DASH = [undefined, '6 3', '2 2'];
const MAX_POINTS = 200;

const OneChart = memo(function OneChart({ ci, smoothing }: { ci: number; smoothing: number }) {
  const { runs } = useHistory();
  const c = CHARTS[ci];
  const live = useMemo(() => runs.map((r, i) => ({ name: r.algo, colour: runColour(i), metrics: r.metrics })), [runs]);
  const data = useMemo(() => buildChartData(live, c.specs, smoothing, MAX_POINTS), [live, c, smoothing]);
  const skipped = useMemo(() => (c.marks ? runs.flatMap((r) => r.metrics.filter((m) => m.updateSkipped).map((m) => m.step)) : undefined), [runs, c]);
  const compare = runs.length > 1;
  const si = (key: string) => Math.max(0, c.specs.findIndex((sp) => sp.key === key));
  const seriesColour = (key: string, k: number) => (c.name === 'style' ? STYLE_COLOURS[key as keyof typeof STYLE_COLOURS] : SERIES_COLOURS[k % 3]);
  return (
    <MetricChart
      name={c.name}
      title={c.title}
      hint={c.hint}
      data={data}
      yDomain={c.yDomain}
      percent={c.percent}
      marks={skipped}
      stacked={c.name === 'style' && !compare}
      colourOf={(l) => (compare ? runColour(l.run) : seriesColour(l.key, si(l.key)))}
      dashOf={(l) => (compare ? DASH[si(l.key) % 3] : undefined)}
      legend={c.specs.map((sp, k) => ({ label: sp.label, colour: compare ? '#333' : seriesColour(sp.key, k), dash: compare ? DASH[k % 3] : undefined }))}
      nameOf={(l) => (compare ? `${l.runName} · ${l.label}` : l.label)}
    />
  );
});

export function StaggeredCharts() {
  const sliderId = useId();
  const [smoothing, setSmoothing] = useState(0.6);
  const { runs } = useHistory();
  const names = runs.map((r) => r.algo).join(',');
  return (
    <section className="v-panel v-live" data-testid="live-charts" aria-label="Live training charts">
      <header className="v-panel-head">
        <h3>Training curves</h3>
        <div className="v-controls">
          <label htmlFor={sliderId}>Smoothing (EMA)</label>
          <input id={sliderId} type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} data-testid="smoothing" />
          <output htmlFor={sliderId}>{smoothing.toFixed(2)}</output>
        </div>
      </header>
      {runs.length > 1 && (
        <ul className="v-legend" aria-label="Runs" data-testid="live-legend">
          {names.split(',').map((n, i) => (
            <li key={n}>
              <span className="v-swatch" style={{ background: runColour(i) }} aria-hidden="true" />
              {n}
            </li>
          ))}
        </ul>
      )}
      <div className="v-grid">
        {CHARTS.map((c, ci) => <OneChart key={c.name} ci={ci} smoothing={smoothing} />)}
      </div>
    </section>
  );
}
