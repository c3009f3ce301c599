// Ratios: what clipping sees (the loss ratio r, per source) and how off-policy injected samples truly are
// (the behaviour log-ratio), for the current step of one or several runs, plus the spread over time.
import { memo, useId, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { SOURCES, type Source, type StepMetrics, type StepRecord } from '../../core/record';
import { SOURCE_COLOURS, fmt } from './format';
import { RatioHistogram } from './RatioHistogram';
import { buildChartData, positiveOnly, type SeriesSpec } from './smoothing';

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
const DASH = ['', '6 3', '2 2', '8 3 2 3'];

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

  const variance = useMemo(() => {
    const specs: SeriesSpec<StepMetrics>[] = SOURCES.map((s) => ({
      key: s,
      label: s,
      // Sources with no tokens at a step have variance 0 by convention: a gap, not a real zero.
      get: (m) => (pickScale(m, scale)[s].count > 0 ? pickScale(m, scale)[s].variance : null),
    }));
    const inputs = runs.map((r) => ({ name: r.name, metrics: r.history.map((m, i) => ({ ...m, step: m.step ?? i })) }));
    const d = buildChartData(inputs, specs, 0, 400);
    return { ...d, rows: logVariance ? positiveOnly(d.rows, d.lines.map((l) => l.dataKey)) : d.rows };
  }, [runs, scale, logVariance]);

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

      <h4>Variance of {quantity} over time</h4>
      <label className="v-small">
        <input type="checkbox" checked={logVariance} onChange={(e) => setLogVariance(e.target.checked)} /> log y-axis
      </label>
      <div className="v-chart-box" data-testid="ratio-variance" role="figure" aria-label={`Variance of ${quantity} per source over training steps`}>
        {variance.rows.length === 0 ? (
          <p className="v-muted v-small">no ratios yet (rows enter the loss only when a group’s rewards differ)</p>
        ) : (
          <ResponsiveContainer width="100%" height={180}>
            <LineChart data={variance.rows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="2 3" />
              <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} fontSize={10} allowDecimals={false} />
              <YAxis scale={logVariance ? 'log' : 'auto'} domain={['auto', 'auto']} allowDataOverflow fontSize={10} width={52} tickFormatter={(v: number) => fmt(v, 2)} />
              <Tooltip formatter={(v) => fmt(Number(v))} labelFormatter={(l) => `step ${fmt(Number(l), 1)}`} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              {variance.lines.map((l) => (
                <Line
                  key={l.dataKey}
                  dataKey={l.dataKey}
                  name={runs.length > 1 ? `${l.runName} · ${l.label}` : l.label}
                  stroke={SOURCE_COLOURS[l.key as Source]}
                  strokeDasharray={DASH[l.run % DASH.length]}
                  dot={variance.rows.length < 30}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>

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
