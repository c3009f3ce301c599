import { describe, expect, it } from 'vitest';
import type { RatioStats, StepMetrics } from '../../core/record';
import { CHARTS } from './charts';

const stats = (count: number): RatioStats => ({ count, mean: 1, variance: 0, min: 1, max: 1, p01: 1, p50: 1, p99: 1, histogram: { edges: [0, 2], counts: [count] } });
const metrics = (o: Partial<StepMetrics> = {}, rlCount = 10): StepMetrics => ({
  rewardMean: 0.5, injectionRate: 0.25, loss: 0.1, entropy: 2, kl: 0.01, gradNorm: 0.7, clipFracLow: 0.1, clipFracHigh: 0.2, clipFracRegion: 0.3,
  ratio: { policy: stats(rlCount), rephrase: stats(0), expert: stats(0) }, logRatio: { policy: stats(rlCount), rephrase: stats(0), expert: stats(0) },
  behaviourLogRatio: { policy: stats(0), rephrase: stats(0), expert: stats(0) }, styleShare: { own: 0.5, expert: 0.25, malformed: 0.25 },
  updateSkipped: false, updates: 2, stepMs: 1, genMs: 1, scoreMs: 0, updateMs: 0, genTokensPerSec: 1, numTensors: 1, ...o,
});
const get = (chart: string, key: string) => CHARTS.find((c) => c.name === chart)!.specs.find((s) => s.key === key)!.get;

describe('CHARTS', () => {
  it('has unique names and reads the metrics', () => {
    expect(new Set(CHARTS.map((c) => c.name)).size).toBe(CHARTS.length);
    expect(get('reward', 'reward')(metrics())).toBe(0.5);
    expect(get('clip', 'high')(metrics())).toBe(0.2);
    expect(get('style', 'expert')(metrics())).toBe(0.25);
  });
  it('leaves gaps where no RL rows were in the loss (placeholder zeros)', () => {
    const empty = metrics({ updates: 0, entropy: 0, loss: 0 }, 0);
    expect(get('entropy', 'entropy')(empty)).toBeUndefined();
    expect(get('loss', 'loss')(empty)).toBeUndefined();
    expect(get('gradnorm', 'grad')(metrics({ updateSkipped: true }))).toBeUndefined();
  });
  it('does not smooth the sparse eval series and reads them only when present', () => {
    const ev = CHARTS.find((c) => c.name === 'eval')!;
    expect(ev.specs.every((s) => s.smooth === false)).toBe(true);
    expect(get('eval', 'hard')(metrics())).toBeUndefined();
    expect(get('eval', 'hard')(metrics({ evalHard: 0.1 }))).toBe(0.1);
  });
});
