import { describe, expect, it } from 'vitest';
import type { RatioStats, StepMetrics } from '../../core/record';
import { CHARTS, chartStyle, skippedSteps } from './charts';

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

describe('chartStyle', () => {
  const chart = (name: string) => CHARTS.find((c) => c.name === name)!;
  const data = (lines: { run: number; key: string }[], points = 3) => ({
    rows: Array.from({ length: points }, (_, i) => Object.fromEntries([['step', i], ['n', 1], ...lines.map((l) => [`r${l.run}_${l.key}`, 0.5])])) as never,
    lines: lines.map((l) => ({ dataKey: `r${l.run}_${l.key}`, run: l.run, runName: ['repo', 'grpo'][l.run], key: l.key, label: l.key })),
    totalSteps: points,
    binned: false,
  });
  it('single run: one colour per series, no dashes, series legend', () => {
    const s = chartStyle(chart('clip'), data([{ run: 0, key: 'low' }, { run: 0, key: 'high' }]), [{}]);
    expect(s.lines.map((l) => l.name)).toEqual(['low', 'high']);
    expect(new Set(s.lines.map((l) => l.colour)).size).toBe(2);
    expect(s.lines.every((l) => l.dash === undefined)).toBe(true);
    expect(s.legend).toHaveLength(3);
    expect(s.stacked).toBe(false);
  });
  it('compare mode: colour = run, dash = series, names carry the run', () => {
    const s = chartStyle(chart('clip'), data([{ run: 0, key: 'low' }, { run: 1, key: 'low' }, { run: 1, key: 'high' }]), [{}, { colour: '#123456' }]);
    expect(s.lines.map((l) => l.name)).toEqual(['repo · low', 'grpo · low', 'grpo · high']);
    expect(s.lines[1].colour).toBe('#123456');
    expect(s.lines[0].colour).not.toBe(s.lines[1].colour);
    expect(s.lines[1].dash).not.toBe(s.lines[2].dash);
  });
  it('stacks style share only for a single run; dots only on sparse lines', () => {
    expect(chartStyle(chart('style'), data([{ run: 0, key: 'own' }]), [{}]).stacked).toBe(true);
    expect(chartStyle(chart('style'), data([{ run: 0, key: 'own' }]), [{}, {}]).stacked).toBe(false);
    expect(chartStyle(chart('reward'), data([{ run: 0, key: 'reward' }], 3), [{}]).lines[0].dots).toBe(true);
    expect(chartStyle(chart('reward'), data([{ run: 0, key: 'reward' }], 100), [{}]).lines[0].dots).toBe(false);
  });
  it('lists skipped steps only for the charts that mark them', () => {
    const runs = [{ metrics: [{ ...metrics(), step: 0 }, { ...metrics({ updateSkipped: true }), step: 1 }] }];
    expect(skippedSteps(chart('loss'), runs)).toEqual([1]);
    expect(skippedSteps(chart('reward'), runs)).toBeUndefined();
  });
});

describe('chartStyle with fixed series colours (the ratio-variance chart)', () => {
  const chart = { name: 'v', title: 'v', specs: [{ key: 'policy', label: 'policy', get: () => 1 }, { key: 'expert', label: 'expert', get: () => 1 }], colours: { policy: '#111', expert: '#222' } };
  const data = { rows: [{ step: 0, n: 1, r0_policy: 1, r1_policy: 1, r1_expert: 2 }], totalSteps: 1, binned: false,
    lines: [{ dataKey: 'r0_policy', run: 0, runName: 'a', key: 'policy', label: 'policy' }, { dataKey: 'r1_policy', run: 1, runName: 'b', key: 'policy', label: 'policy' }, { dataKey: 'r1_expert', run: 1, runName: 'b', key: 'expert', label: 'expert' }] };
  it('colours by series and tells runs apart by dash', () => {
    const s = chartStyle(chart, data as never, [{}, {}]);
    expect(s.lines.map((l) => l.colour)).toEqual(['#111', '#111', '#222']);
    expect(s.lines.map((l) => l.dash)).toEqual([undefined, '6 3', '6 3']);
    expect(s.lines[2].name).toBe('b · expert');
    expect(s.legend).toEqual([{ label: 'policy', colour: '#111' }, { label: 'expert', colour: '#222' }]);
    expect(s.stacked).toBe(false);
  });
});
