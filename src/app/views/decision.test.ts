import { describe, expect, it } from 'vitest';
import type { Algo, Config } from '../../core/config';
import { fakeGroup as group, settingsFor } from '../../test/records';
import { barPercent, decisionWords, expertUseWords, leftOutWords } from './decision';

const step = (algo: Algo, over: Partial<Config> = {}) => ({ algo, settings: settingsFor(algo, over) });
const repo = step('repo', { rho: 0.5, delta: 0.5 });

describe('decisionWords', () => {
  it('explains a closed gate with γ_fail < ρ', () => {
    const w = decisionWords(group({ decision: 'gate-closed', failureRate: 0.25 }), repo);
    expect(w.tone).toBe('closed');
    expect(w.detail).toContain('γ_fail = 0.25 < ρ = 0.5');
  });
  it('explains a verifier rejection with R(o_rep) < δ', () => {
    const g = group({ decision: 'verifier-rejected', failureRate: 1, rephrase: { prompt: 'p', text: 'x', reward: 0.25, accepted: false } });
    expect(decisionWords(g, repo).detail).toContain('R(o_rep) = 0.25 < δ = 0.5');
  });
  it('names the replaced slot of an injection', () => {
    const g = group({ decision: 'injected', injected: true, failureRate: 1, replacedIndex: 2, rephrase: { prompt: 'p', text: 'x', reward: 1, accepted: true } });
    expect(decisionWords(g, repo).detail).toContain('slot #3');
    expect(decisionWords(group({ decision: 'injected', injected: true }), step('luffy')).label).toBe('expert injected');
  });
  it('says GRPO and SFT never inject', () => {
    expect(decisionWords(group({}), step('grpo')).label).toContain('GRPO');
    expect(decisionWords(group({}), step('sft')).label).toContain('SFT');
  });
});

describe('words follow the recorded settings, not the algorithm name', () => {
  it('ρ and δ come from the step the record was made under', () => {
    const g = group({ decision: 'gate-closed', failureRate: 0.25 });
    expect(decisionWords(g, step('repo', { rho: 0.75 })).detail).toContain('ρ = 0.75');
    const rej = group({ decision: 'verifier-rejected', failureRate: 1, rephrase: { prompt: 'p', text: 'x', reward: 0.25, accepted: false } });
    expect(decisionWords(rej, step('repo', { delta: 0.3 })).detail).toContain('δ = 0.3');
  });
  it('the slot and what k is used for come from the method', () => {
    const inj = group({ decision: 'injected', injected: true, replacedIndex: 3 });
    expect(decisionWords(inj, step('luffy', { luffyOnlyWhenFailing: true })).detail).toContain('the last on-policy rollout');
    expect(decisionWords(inj, repo).detail).toContain('lowest-reward');
    expect(expertUseWords(step('repo', { repoRephraser: 'frozen' }))).toContain('frozen');
    expect(expertUseWords(step('luffy'))).toContain('as-is');
    expect(expertUseWords(step('grpo'))).toContain('never sees');
  });
});

describe('leftOutWords', () => {
  it('is null for groups in the loss and explains zero std otherwise', () => {
    expect(leftOutWords(group({}), step('grpo'))).toBeNull();
    expect(leftOutWords(group({ inLoss: false }), step('grpo'))).toContain('rewards in this group are equal');
    expect(leftOutWords(group({ inLoss: false }), step('sft'))).toContain('SFT');
  });
});

describe('barPercent', () => {
  it('clamps to [0,100]', () => {
    expect([barPercent(-1), barPercent(0.5), barPercent(2), barPercent(Number.NaN)]).toEqual([0, 50, 100, 0]);
  });
});
