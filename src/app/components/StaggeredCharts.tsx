// The views' live charts fed from the history store, each chart redrawn on its own: the chart pump
// (app/chartPump.ts) lets one chart redraw per frame, throttled, so a step never re-renders all nine
// recharts charts in one long task. Mapping metrics to series stays in the views' LiveChart.
import { memo, useMemo, useState } from 'react';
import { CHARTS, LiveChart, LiveChartsFrame, runColour, type ChartDef, type LiveRun } from '../views';
import { useRunNames, useStaggeredHistory } from '../useHistory';

const OneChart = memo(function OneChart({ chart, smoothing }: { chart: ChartDef; smoothing: number }) {
  const { snap, extra, ref } = useStaggeredHistory(smoothing);
  const runs: LiveRun[] = useMemo(() => snap.runs.map((r, i) => ({ name: r.algo, colour: runColour(i), metrics: r.metrics })), [snap]);
  return <LiveChart chart={chart} runs={runs} smoothing={extra} figureRef={ref} />;
});

export function StaggeredCharts() {
  const [smoothing, setSmoothing] = useState(0.6);
  const names = useRunNames();
  const runs = useMemo(() => (names ? names.split(',').map((name) => ({ name })) : []), [names]);
  return (
    <LiveChartsFrame runs={runs} smoothing={smoothing} onSmoothingChange={setSmoothing}>
      {CHARTS.map((c) => (
        <OneChart key={c.name} chart={c} smoothing={smoothing} />
      ))}
    </LiveChartsFrame>
  );
}
