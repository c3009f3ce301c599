// Live charts, the latest-step strip and the ratio panel for every run, fed from the throttled
// history store (so a step re-renders these panels only).
import { useMemo } from 'react';
import { RatioPanel, StepMetricsStrip, runColour, type RatioRun } from '../views';
import { StaggeredCharts } from './StaggeredCharts';
import type { MetricPoint } from '../store/history';
import { useApp } from '../store/store';
import { useHistory, useStaggeredHistory } from '../useHistory';

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
            <div key={i} className="strip-row" data-testid="run-strip" data-algo={r.algo}>
              {runs.length > 1 && <b style={{ color: runColour(i) }}>{r.algo}</b>}
              <StepMetricsStrip step={last?.step} metrics={last ?? null} lastEval={lastEval(r.metrics)} backend={backend ?? undefined} />
            </div>
          );
        })}
      </section>
      <StaggeredCharts />
    </>
  );
}

/** Ratio histograms (side by side in compare mode) and their spread over time: recharts too, so
 *  redrawn through the chart pump like the live charts. */
export function RatiosPanel() {
  const { snap: { runs }, ref } = useStaggeredHistory(null);
  const epsLow = useApp((s) => s.applied.epsLow);
  const epsHigh = useApp((s) => s.applied.epsHigh);
  const ratioRuns: RatioRun[] = useMemo(() => runs.map((r) => ({ name: r.algo, record: r.records[r.records.length - 1] ?? null, history: r.metrics })), [runs]);
  return (
    <div ref={ref}>
      <RatioPanel runs={ratioRuns} clip={{ epsLow, epsHigh }} />
    </div>
  );
}
