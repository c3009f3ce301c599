import { describe, expect, it } from 'vitest';
import type { GroupRecord } from '../../core/record';
import { barPercent, decisionWords, leftOutWords } from './decision';

const group = (o: Partial<GroupRecord>): GroupRecord => ({
  question: '12+34=', answer: '46', difficulty: 2, split: 'easy', failureRate: 0.25, decision: 'none', injected: false,
  replacedIndex: null, replaced: null, inLoss: true, rephrase: null, expert: '2+4=6;10+30=40;=46', rollouts: [], ...o,
});

describe('decisionWords', () => {
  it('explains a closed gate with γ_fail < ρ', () => {
    const w = decisionWords(group({ decision: 'gate-closed', failureRate: 0.25 }), 'repo', 0.5, 0.5);
    expect(w.tone).toBe('closed');
    expect(w.detail).toContain('γ_fail = 0.25 < ρ = 0.5');
  });
  it('explains a verifier rejection with R(o_rep) < δ', () => {
    const g = group({ decision: 'verifier-rejected', failureRate: 1, rephrase: { prompt: 'p', text: 'x', reward: 0.25, accepted: false } });
    expect(decisionWords(g, 'repo', 0.5, 0.5).detail).toContain('R(o_rep) = 0.25 < δ = 0.5');
  });
  it('names the replaced slot of an injection', () => {
    const g = group({ decision: 'injected', injected: true, failureRate: 1, replacedIndex: 2, rephrase: { prompt: 'p', text: 'x', reward: 1, accepted: true } });
    expect(decisionWords(g, 'repo', 0.5, 0.5).detail).toContain('slot #3');
    expect(decisionWords(group({ decision: 'injected', injected: true }), 'luffy', 0.5, 0.5).label).toBe('expert injected');
  });
  it('says GRPO and SFT never inject', () => {
    expect(decisionWords(group({}), 'grpo', 0.5, 0.5).label).toContain('GRPO');
    expect(decisionWords(group({}), 'sft', 0.5, 0.5).label).toContain('SFT');
  });
});

describe('leftOutWords', () => {
  it('is null for groups in the loss and explains zero std otherwise', () => {
    expect(leftOutWords(group({}), 'grpo')).toBeNull();
    expect(leftOutWords(group({ inLoss: false }), 'grpo')).toContain('rewards in this group are equal');
    expect(leftOutWords(group({ inLoss: false }), 'sft')).toContain('SFT');
  });
});

describe('barPercent', () => {
  it('clamps to [0,100]', () => {
    expect([barPercent(-1), barPercent(0.5), barPercent(2), barPercent(Number.NaN)]).toEqual([0, 50, 100, 0]);
  });
});
