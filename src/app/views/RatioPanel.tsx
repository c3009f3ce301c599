// Ratios: what clipping sees (the loss ratio r, per source) and how off-policy injected samples truly are
// (the behaviour log-ratio), for the current step of one or several runs, plus the spread over time.
import { memo, useId, useMemo, useState } from 'react';
import { SOURCES, type Source, type StepMetrics, type StepRecord } from '../../core/record';
import type { ChartDef } from './charts';
import { SOURCE_COLOURS, fmt } from './format';
import { RatioHistogram } from './RatioHistogram';
import { StreamChart, type RunsSource } from './StreamChart';

export interface RatioRun {
  name: string;
  /** The step whose histograms are shown (usually the latest). */
  record?: StepRecord | null;
  /** Metrics of every step so far, oldest first; `step` defaults to the index. */
  history: readonly (StepMetrics & { step?: number })[];
}

export interface RatioPanelProps {
  runs: readonly RatioRun[];
  /** The clip range of the run(s), to mark 1−ε_low and 1+ε_high on the histograms. */
  clip?: { epsLow: number; epsHigh: number };
}

type Scale = 'linear' | 'log';

const pickScale = (m: StepMetrics, scale: Scale) => (scale === 'linear' ? m.ratio : m.logRatio);

function clipMarks(scale: Scale, clip?: RatioPanelProps['clip']) {
  const lo = 1 - (clip?.epsLow ?? NaN);
  const hi = 1 + (clip?.epsHigh ?? NaN);
  const toX = (r: number) => (scale === 'linear' ? r : Math.log(r));
  const marks = [{ x: toX(1), label: scale === 'linear' ? 'r=1' : 'log r=0' }];
  if (clip && lo > 0) marks.push({ x: toX(lo), label: '1−ε' });
  if (clip) marks.push({ x: toX(hi), label: '1+ε' });
  return marks;
}

export const RatioPanel = memo(function RatioPanel({ runs, clip }: RatioPanelProps) {
  const [scale, setScale] = useState<Scale>('log');
  const [logCounts, setLogCounts] = useState(false);
  const [logVariance, setLogVariance] = useState(true);
  const id = useId();
  const quantity = scale === 'linear' ? 'ratio r' : 'log r';
  const pick = (m: StepMetrics) => pickScale(m, scale);

  // The spread over time is a live series: a uPlot canvas like the training curves (colour = source, dash = run).
  const variance: ChartDef = useMemo(
    () => ({
      name: 'ratio-variance',
      title: `Variance of ${quantity} over time`,
      hint: 'per source (colour); runs by dash',
      // Sources with no tokens at a step have variance 0 by convention: a gap, not a real zero.
      specs: SOURCES.map((s) => ({ key: s, label: s, smooth: false, get: (m: StepMetrics) => (pickScale(m, scale)[s].count > 0 ? pickScale(m, scale)[s].variance : null) })),
      logY: logVariance,
      colours: SOURCE_COLOURS,
    }),
    [quantity, scale, logVariance],
  );
  const source: RunsSource = useMemo(() => {
    const inputs = runs.map((r) => ({ name: r.name, metrics: r.history.map((m, i) => ({ ...m, step: m.step ?? i })) }));
    return { get: () => inputs, subscribe: () => () => {} };
  }, [runs]);

  const anyBehaviour = runs.some((r) => r.record && SOURCES.some((s) => r.record!.metrics.behaviourLogRatio[s].count > 0));

  return (
    <section className="v-panel v-ratios" data-testid="ratio-panel" aria-label="Importance ratios">
      <header className="v-panel-head">
        <h3>Ratios at the last update</h3>
        <div className="v-controls" role="group" aria-label="Ratio display options">
          <label>
            <input type="radio" name={`${id}-scale`} checked={scale === 'log'} onChange={() => setScale('log')} data-testid="ratio-scale-log" /> log r
          </label>
          <label>
            <input type="radio" name={`${id}-scale`} checked={scale === 'linear'} onChange={() => setScale('linear')} data-testid="ratio-scale-linear" /> ratio r
          </label>
          <label>
            <input type="checkbox" checked={logCounts} onChange={(e) => setLogCounts(e.target.checked)} /> log counts
          </label>
        </div>
      </header>
      <p className="v-muted v-small">
        r = π_θ(token)/π_old(token), the number the clip sees (for LUFFY’s expert tokens π_old = 1, so r = π_θ ∈ (0,1]). Spread is measured on log r: linear r is
        bounded below by 0 and hides how far below 1 the mass sits.
      </p>
      {runs.length === 0 && <p className="v-muted">No run yet.</p>}
      <div className="v-compare" style={{ gridTemplateColumns: `repeat(${Math.max(1, runs.length)}, minmax(240px, 1fr))` }}>
        {runs.map((run) => (
          <div key={run.name} className="v-compare-col" data-testid="ratio-run" data-run={run.name}>
            <h4>{run.name}</h4>
            {!run.record ? (
              <p className="v-muted">no step yet</p>
            ) : (
              SOURCES.filter((s) => pick(run.record!.metrics)[s].count > 0 || s === 'policy').map((s: Source) => (
                <RatioHistogram key={s} stats={pick(run.record!.metrics)[s]} source={s} run={run.name} quantity={quantity} logCounts={logCounts} marks={clipMarks(scale, clip)} />
              ))
            )}
          </div>
        ))}
      </div>

      <label className="v-small">
        <input type="checkbox" checked={logVariance} onChange={(e) => setLogVariance(e.target.checked)} /> log y-axis
      </label>
      <StreamChart chart={variance} source={source} smoothing={0} maxPoints={400} compare={runs.length > 1} testId="ratio-variance" />

      <h4>Behaviour log-ratio of injected rollouts</h4>
      <p className="v-explain">
        log π_θ(o|q) − log μ(o), where μ is what really wrote the sample: π_old(·|P(q,k)) for RePO’s o_rep, the expert (μ = 1) for LUFFY. This is how
        off-policy the sample truly is. The loss ratio above is what clipping sees: for RePO it is scored under q alone, so it sits near 1 even when the
        behaviour log-ratio is far from 0.
      </p>
      {!anyBehaviour && <p className="v-muted v-small">No injected rollouts at this step.</p>}
      <div className="v-compare" style={{ gridTemplateColumns: `repeat(${Math.max(1, runs.length)}, minmax(240px, 1fr))` }}>
        {runs.map((run) => (
          <div key={run.name} className="v-compare-col">
            {run.record &&
              SOURCES.filter((s) => run.record!.metrics.behaviourLogRatio[s].count > 0).map((s) => (
                <div key={s}>
                  <RatioHistogram stats={run.record!.metrics.behaviourLogRatio[s]} source={s} run={run.name} quantity="behaviour log-ratio" logCounts={logCounts} marks={[{ x: 0, label: '0' }]} testId="behaviour-histogram" />
                  <p className="v-small" data-testid="behaviour-vs-loss">
                    variance: behaviour {fmt(run.record!.metrics.behaviourLogRatio[s].variance)} vs loss log r {fmt(run.record!.metrics.logRatio[s].variance)}
                  </p>
                </div>
              ))}
          </div>
        ))}
      </div>
    </section>
  );
});
