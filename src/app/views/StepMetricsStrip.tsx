// A one-line summary of the latest step: the numbers a user glances at while a run trains.
import { memo } from 'react';
import type { StepMetrics } from '../../core/record';
import { fmt, ms, pct } from './format';

export interface StepMetricsStripProps {
  step?: number;
  metrics?: StepMetrics | null;
  /** The latest eval accuracies, carried over from the last eval step (metrics of other steps lack them). */
  lastEval?: { step: number; easy?: number; hard?: number; rephraseHard?: number } | null;
  backend?: string;
}

export const StepMetricsStrip = memo(function StepMetricsStrip({ step, metrics: m, lastEval, backend }: StepMetricsStripProps) {
  if (!m)
    return (
      <div className="v-strip" role="group" data-testid="step-metrics" aria-label="Latest step">
        <span className="v-muted">no step yet</span>
      </div>
    );
  const ev = m.evalEasy !== undefined ? { step: step ?? 0, easy: m.evalEasy, hard: m.evalHard, rephraseHard: m.evalRephraseHard } : lastEval;
  const items: [string, string, string][] = [
    ['step', step !== undefined ? String(step) : '—', 'strip-step'],
    ['reward', fmt(m.rewardMean, 3), 'strip-reward'],
    ['injection', pct(m.injectionRate, 0), 'strip-injection'],
    ['eval easy', pct(ev?.easy), 'strip-eval-easy'],
    ['eval hard', pct(ev?.hard), 'strip-eval-hard'],
    ['rephrase-hard', pct(ev?.rephraseHard), 'strip-eval-rephrase'],
    ['ms/step', ms(m.stepMs), 'strip-ms'],
    ['tokens/s', fmt(m.genTokensPerSec, 0), 'strip-tps'],
    ['tensors', String(m.numTensors), 'strip-tensors'],
    ...(m.gpuMemoryBytes !== undefined ? [['GPU memory', `${(m.gpuMemoryBytes / 2 ** 20).toFixed(0)} MB`, 'strip-gpu-memory'] as [string, string, string]] : []),
  ];
  return (
    <div className="v-strip" role="group" data-testid="step-metrics" aria-label="Latest step">
      {items.map(([k, v, id]) => (
        <span key={k} className="v-strip-item" data-testid={id}>
          <span className="v-strip-key">{k}</span> <span className="v-strip-val">{v}</span>
        </span>
      ))}
      {ev && ev.step !== step && <span className="v-muted v-small">(eval from step {ev.step})</span>}
      {backend && (
        <span className="v-strip-item">
          <span className="v-strip-key">backend</span> <span className="v-strip-val">{backend}</span>
        </span>
      )}
      <span className="v-muted v-small" title="time split of the step">
        gen {ms(m.genMs)} · score {ms(m.scoreMs)} · update {ms(m.updateMs)}
      </span>
      {m.updateSkipped && (
        <strong className="v-warn" role="alert" data-testid="update-skipped">
          ⚠ update skipped: NaN/Inf in the loss or gradient — the weights were left unchanged this step
        </strong>
      )}
    </div>
  );
});
