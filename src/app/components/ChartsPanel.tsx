// Live charts, the latest-step strip and the ratio panel for every run (live and loaded from files), fed
// from the throttled history store (so a step re-renders these panels only; the charts not even that).
import { useMemo } from 'react';
import { RatioPanel, StepMetricsStrip, runColour, type RatioRun } from '../views';
import { StreamCharts } from './StreamCharts';
import { runName, type MetricPoint } from '../store/history';
import { useApp } from '../store/store';
import { useHistory, useHistoryOnScreen } from '../useHistory';

function lastEval(points: MetricPoint[]) {
  for (let i = points.length - 1; i >= 0; i--) {
    const m = points[i];
    if (m.evalEasy !== undefined) return { step: m.step, easy: m.evalEasy, hard: m.evalHard, rephraseHard: m.evalRephraseHard };
  }
  return null;
}

export function ChartsPanel() {
  const { runs } = useHistory();
  const backend = useApp((s) => s.backend);
  return (
    <>
      <section className="panel" aria-label="latest step">
        {runs.map((r, i) => {
          const last = r.metrics[r.metrics.length - 1];
          return (
            <div key={i} className="strip-row" data-testid="run-strip" data-algo={r.algo} data-loaded={r.loaded ? r.label : undefined}>
              {runs.length > 1 && <b style={{ color: runColour(i) }}>{runName(r)}</b>}
              <StepMetricsStrip step={last?.step} metrics={last ?? null} lastEval={lastEval(r.metrics)} backend={backend ?? undefined} />
            </div>
          );
        })}
      </section>
      <StreamCharts />
    </>
  );
}

/** Ratio histograms (side by side in compare mode or with loaded runs) and their spread over time.
 *  The histograms are uPlot canvases (about 1 ms each per step); they still redraw per step only while on screen. */
export function RatiosPanel() {
  const { snap: { runs }, ref } = useHistoryOnScreen();
  const epsLow = useApp((s) => s.applied.epsLow);
  const epsHigh = useApp((s) => s.applied.epsHigh);
  const ratioRuns: RatioRun[] = useMemo(() => runs.map((r) => ({ name: runName(r), record: r.records[r.records.length - 1] ?? null, history: r.metrics })), [runs]);
  return (
    <div ref={ref}>
      <RatioPanel runs={ratioRuns} clip={{ epsLow, epsHigh }} />
    </div>
  );
}
