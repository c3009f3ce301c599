import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { encode } from '../vocab';
import { addition, additionQuestionFirst, WRONG_BUT_WELL_FORMED } from './addition';
import { evalSet, sampleSplit } from './task';

const p = { question: '347+589=', answer: '936', difficulty: 3, split: 'easy' as const };

describe('addition task', () => {
  it('samples d-digit operands with the right answer and split', () => {
    const rng = new Rng(3);
    for (let d = 1; d <= 5; d++) {
      const q = addition.sample(rng, d);
      const [a, b] = q.question.slice(0, -1).split('+');
      expect(a).toHaveLength(d);
      expect(b).toHaveLength(d);
      expect(Number(q.answer)).toBe(Number(a) + Number(b));
      expect(q.split).toBe(d <= 3 ? 'easy' : 'hard');
    }
    expect(sampleSplit(addition, rng, 'hard').difficulty).toBeGreaterThanOrEqual(4);
  });
  it('is seeded: the same seed gives the same eval set, another seed another', () => {
    expect(evalSet(addition, 'hard', 20, 5)).toEqual(evalSet(addition, 'hard', 20, 5));
    expect(evalSet(addition, 'hard', 20, 6)).not.toEqual(evalSet(addition, 'hard', 20, 5));
  });
  it('writes both styles and the rephrasing prompt', () => {
    expect(addition.ownSolution(p)).toBe('7+9=16;4+8+1=13;3+5+1=9;>936');
    expect(addition.expertSolution(p)).toBe('7+9=16;40+80=120;300+500=800;=936');
    expect(addition.rephrasePrompt(p, 'k')).toBe('K:k|347+589='); // knowledge-first: P(q,k) ends with q
    expect(additionQuestionFirst.rephrasePrompt(p, 'k')).toBe('347+589=|K:k|R:');
    const zeros = { question: '101+203=', answer: '304', difficulty: 3, split: 'easy' as const };
    expect(addition.expertSolution(zeros)).toBe('1+3=4;0+0=0;100+200=300;=304');
  });
  it('every solution fits the vocabulary and the response budget', () => {
    const rng = new Rng(9);
    const big = addition.sample(rng, 5);
    for (const text of [addition.ownSolution(big), addition.expertSolution(big)]) {
      expect(() => encode(text)).not.toThrow();
      expect(text.length + 1).toBeLessThanOrEqual(addition.maxResponseLength);
    }
  });
  it('reward: 1 right, 0.25 well-formed but wrong, 0 malformed', () => {
    expect(addition.reward(p, addition.ownSolution(p))).toBe(1);
    expect(addition.reward(p, addition.expertSolution(p))).toBe(1);
    expect(addition.reward(p, '7+9=16;4+8+1=13;3+5+1=9;>937')).toBe(WRONG_BUT_WELL_FORMED);
    expect(addition.reward(p, '7+9=16;>936x')).toBe(0);
    expect(addition.reward(p, '')).toBe(0);
    expect(addition.reward(p, '>936')).toBe(0); // no scratchpad is malformed
  });
  it('δ changes which rollouts fail', () => {
    const rewards = ['7+9=16;>936', '7+9=16;>935', 'garbage'].map((r) => addition.reward(p, r.replace('garbage', '9=')));
    const failed = (delta: number) => rewards.map((r) => r < delta);
    expect(failed(0.5)).toEqual([false, true, true]);
    expect(failed(0.2)).toEqual([false, false, true]);
    expect(failed(0)).toEqual([false, false, false]);
  });
  it('classifies style', () => {
    expect(addition.style(addition.ownSolution(p))).toBe('own');
    expect(addition.style(addition.expertSolution(p))).toBe('expert');
    expect(addition.style('7+9=16;40+')).toBe('malformed');
  });
});
