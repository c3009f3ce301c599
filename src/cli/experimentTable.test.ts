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
  logVar: { policy: [0.01], rephrase: [0.01], expert: [NaN] }, linVar: { policy: [0.01], rephrase: [0.01], expert: [NaN] }, msPerStep: [1000],
  curves: [[{ step: 0, easy: 0.9, hard: 0, rephraseHard: 0.9 }]], ...o,
});

describe('claims', () => {
  it('C1–C3 hold or fail on the numbers, with the thresholds of the issue', () => {
    const grpo = summary('grpo', { hard: [0.04] });
    const repo = summary('repo', { hard: [0.34], easy: [0.86], logVar: { policy: [0.01], rephrase: [0.1], expert: [NaN] } });
    const luffy = summary('luffy', { logVar: { policy: [0.01], rephrase: [NaN], expert: [1.0] } });
    const byId = (cs: ReturnType<typeof claims>) => Object.fromEntries(cs.map((c) => [c.id, c.holds]));
    const ok = byId(claims({ grpo, repo, luffy }));
    expect(ok.C1).toBe(true);
    expect(ok.C2).toBe(true); // +30 points exactly, easy −4
    expect(ok.C3).toBe(true); // ×10 exactly
    const bad = byId(claims({ grpo: { ...grpo, hard: [0.06] }, repo: { ...repo, easy: [0.84] }, luffy: { ...luffy, logVar: { ...luffy.logVar, expert: [0.99] } } }));
    expect([bad.C1, bad.C2, bad.C3]).toEqual([false, false, false]);
    expect(claims({}).map((c) => c.holds)).toEqual([null, null, null, null, null]);
  });

  it('C2b needs rephrase-hard ≥ 70 % at every evaluation of every seed; C5 compares hard accuracy at step 100', () => {
    const curve = (hard: number[], reph: number[]) => hard.map((h, i) => ({ step: 50 * i, easy: 1, hard: h, rephraseHard: reph[i] }));
    const grpo = summary('grpo', { seeds: [1, 2], curves: [curve([0, 0, 0.02, 0.02], [0.9, 0.8, 0.7, 0.6]), curve([0, 0, 0.0, 0.0], [0.9, 0.8, 0.7, 0.6])] });
    const repo = summary('repo', { seeds: [1, 2], curves: [curve([0, 0.1, 0.18, 0.5], [0.9, 0.8, 0.7, 0.9]), curve([0, 0.1, 0.16, 0.5], [0.9, 0.85, 0.75, 0.9])] });
    const c = Object.fromEntries(claims({ grpo, repo }).map((x) => [x.id, x]));
    expect(c.C2b.holds).toBe(true); // lowest exactly 70 %
    expect(c.C5.holds).toBe(true); // step 100: 17 % vs 1 % → +16 points
    expect(c.C5.numbers).toMatch(/\+16\.0 points/);
    const worse = { ...repo, curves: [curve([0, 0.1, 0.15, 0.5], [0.9, 0.8, 0.69, 0.9]), repo.curves[1]] };
    const d = Object.fromEntries(claims({ grpo, repo: worse }).map((x) => [x.id, x]));
    expect(d.C2b.holds).toBe(false);
    expect(d.C2b.numbers).toMatch(/seed 1, step 100/);
    expect(d.C5.holds).toBe(false); // 15.5 − 1 = 14.5 points
  });
});

describe('spliceReadme', () => {
  it('replaces only the block between the markers', () => {
    const doc = `intro\n${README_START}\nold\n${README_END}\noutro`;
    expect(spliceReadme(doc, 'new')).toBe(`intro\n${README_START}\nnew\n${README_END}\noutro`);
    expect(() => spliceReadme('no markers', 'x')).toThrow(/results:start/);
  });
});
