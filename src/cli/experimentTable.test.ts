import { variance } from 'd3-array';
import { describe, expect, it } from 'vitest';
import { claims, pooledVariance, spliceReadme, README_END, README_START, type AlgoSummary } from './experimentTable';

const stats = (xs: number[]) => ({ count: xs.length, mean: xs.reduce((a, b) => a + b, 0) / xs.length, variance: variance(xs) ?? 0 });

describe('pooledVariance', () => {
  it('equals the variance of the concatenated samples', () => {
    const a = [0.9, 1.1, 1.0, 0.7];
    const b = [-3, 0.2, 5];
    const c: number[] = [];
    const p = pooledVariance([stats(a), stats(b), { count: 0, mean: 0, variance: 0 }, ...(c.length ? [stats(c)] : [])]);
    expect(p.count).toBe(7);
    expect(p.variance).toBeCloseTo(variance([...a, ...b])!, 12);
  });
  it('no samples → NaN, one sample → 0', () => {
    expect(pooledVariance([]).variance).toBeNaN();
    expect(pooledVariance([{ count: 1, mean: 2, variance: 0 }]).variance).toBe(0);
  });
});

const summary = (algo: AlgoSummary['algo'], o: Partial<AlgoSummary>): AlgoSummary => ({
  algo, seeds: [1], baseEasy: [0.9], baseHard: [0], easy: [0.9], hard: [0], rephraseHard: [0.8],
  hardStyle: { own: [1], expert: [0], malformed: [0] }, injectionRate: [0],
  logVar: { policy: [0.01], rephrase: [0.01], expert: [NaN] }, linVar: { policy: [0.01], rephrase: [0.01], expert: [NaN] }, msPerStep: [1000], ...o,
});

describe('claims', () => {
  it('C1–C3 hold or fail on the numbers, with the thresholds of the issue', () => {
    const grpo = summary('grpo', { hard: [0.04] });
    const repo = summary('repo', { hard: [0.34], easy: [0.86], logVar: { policy: [0.01], rephrase: [0.1], expert: [NaN] } });
    const luffy = summary('luffy', { logVar: { policy: [0.01], rephrase: [NaN], expert: [1.0] } });
    const [c1, c2, c3] = claims({ grpo, repo, luffy });
    expect(c1.holds).toBe(true);
    expect(c2.holds).toBe(true); // +30 points exactly, easy −4
    expect(c3.holds).toBe(true); // ×10 exactly
    const [d1, d2, d3] = claims({ grpo: { ...grpo, hard: [0.06] }, repo: { ...repo, easy: [0.84] }, luffy: { ...luffy, logVar: { ...luffy.logVar, expert: [0.99] } } });
    expect([d1.holds, d2.holds, d3.holds]).toEqual([false, false, false]);
    expect(claims({}).map((c) => c.holds)).toEqual([null, null, null]);
  });
});

describe('spliceReadme', () => {
  it('replaces only the block between the markers', () => {
    const doc = `intro\n${README_START}\nold\n${README_END}\noutro`;
    expect(spliceReadme(doc, 'new')).toBe(`intro\n${README_START}\nnew\n${README_END}\noutro`);
    expect(() => spliceReadme('no markers', 'x')).toThrow(/results:start/);
  });
});
