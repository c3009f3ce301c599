// The live dashboard: small multiples of the step metrics, one or several runs overlaid, EMA-smoothed,
// drawn by uPlot on canvases (StreamChart). LiveChartsFrame is the header (smoothing slider, run legend);
// each StreamChart reads its runs from a source it subscribes to, so new steps redraw the canvases without
// a React render.
import { memo, useId, type ReactNode } from 'react';
import { runColour } from './format';

/** Points per line: a canvas draws thousands cheaply, and a 260 px wide plot shows no more than this. */
export const LIVE_MAX_POINTS = 500;

export interface LiveChartsFrameProps {
  runs: readonly { name: string; colour?: string }[];
  /** EMA weight in [0, 0.99]; 0 = raw. Eval accuracies are never smoothed (they are sparse averages already). */
  smoothing: number;
  onSmoothingChange: (weight: number) => void;
  /** Extra controls in the header (e.g. loading a run from a file). */
  tools?: ReactNode;
  children: ReactNode; // the charts
}

export const LiveChartsFrame = memo(function LiveChartsFrame({ runs, smoothing, onSmoothingChange, tools, children }: LiveChartsFrameProps) {
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
      {tools}
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
