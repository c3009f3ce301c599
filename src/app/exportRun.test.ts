import { describe, expect, it } from 'vitest';
import type { RatioStats, StepMetrics } from '../core/record';
import { defaultConfig } from '../core/config';
import { metricsToCSV, runToJSON } from './exportRun';

const stats = (count: number, mean = 1): RatioStats => ({ count, mean, variance: 0.5, min: 0, max: 2, p01: 0, p50: 1, p99: 2, histogram: { edges: [], counts: [] } });
const metrics = (o: Partial<StepMetrics> = {}): StepMetrics => ({
  rewardMean: 0.5, injectionRate: 0.25, loss: -0.1, entropy: 1.2, kl: 0, gradNorm: 0.3, clipFracLow: 0, clipFracHigh: 0.01, clipFracRegion: 0.01,
  ratio: { policy: stats(10), rephrase: stats(0), expert: stats(0) }, logRatio: { policy: stats(10, 0.01), rephrase: stats(0), expert: stats(0) },
  behaviourLogRatio: { policy: stats(0), rephrase: stats(0), expert: stats(0) }, styleShare: { own: 0.9, expert: 0, malformed: 0.1 },
  updateSkipped: false, updates: 2, stepMs: 100, genMs: 50, scoreMs: 20, updateMs: 30, genTokensPerSec: 1000, numTensors: 42, ...o,
});

describe('CSV export', () => {
  it('writes a header and one row per step with empty cells for unmeasured values', () => {
    const csv = metricsToCSV([
      { ...metrics({ evalEasy: 0.9, evalHard: 0.1 }), step: 0, algo: 'repo' },
      { ...metrics({ loss: Number.NaN, updateSkipped: true }), step: 1, algo: 'repo' },
    ]);
    const [head, r0, r1] = csv.trim().split('\n').map((l) => l.split(','));
    expect(head.slice(0, 3)).toEqual(['step', 'algo', 'rewardMean']);
    const col = (row: string[], name: string) => row[head.indexOf(name)];
    expect(col(r0, 'evalEasy')).toBe('0.9');
    expect(col(r1, 'evalEasy')).toBe('');
    expect(col(r1, 'loss')).toBe(''); // NaN is not written as a number
    expect(col(r1, 'updateSkipped')).toBe('1');
    expect(col(r0, 'ratio.rephrase.mean')).toBe(''); // no tokens from that source
    expect(col(r0, 'logRatio.policy.variance')).toBe('0.5');
    expect(r0).toHaveLength(head.length);
  });
});

describe('JSON export', () => {
  it('carries the CLI-like header and the records', () => {
    const config = defaultConfig();
    const out = JSON.parse(runToJSON({ config, algo: 'repo', seed: 1, backend: 'wasm', checkpoint: 'base' }, []));
    expect(out).toMatchObject({ algo: 'repo', seed: 1, backend: 'wasm', checkpoint: 'base', records: [] });
    expect(out.config).toEqual(config);
  });
});
