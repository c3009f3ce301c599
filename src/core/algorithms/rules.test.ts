import { describe, expect, it } from 'vitest';
import { luffyDecision, luffyPolicyRollouts } from './luffy';
import { failureRate, gateOpen } from './gate';
import { lowestRewardIndex, repoDecision } from './repo';

describe('RePO rule', () => {
  const sw = { rho: 0.5, delta: 0.5, verify: true };
  it('γ_fail counts rewards strictly below δ', () => {
    expect(failureRate([0, 0.5, 0.49, 1], 0.5)).toBe(0.5);
    expect(failureRate([0, 0.5, 0.49, 1], 0)).toBe(0);
    expect(failureRate([0, 0.5, 0.49, 1], 1)).toBe(0.75);
  });
  it('ρ gate: triggers at γ_fail ≥ ρ, not below', () => {
    expect(gateOpen([0, 0, 1, 1], sw)).toBe(true); // γ = 0.5 = ρ
    expect(gateOpen([0, 1, 1, 1], sw)).toBe(false); // γ = 0.25
    expect(gateOpen([1, 1, 1, 1], { ...sw, rho: 0 })).toBe(true); // ρ = 0: always
    expect(gateOpen([0, 0, 0, 0], { ...sw, rho: 1 })).toBe(true);
    expect(gateOpen([0, 0, 0, 1], { ...sw, rho: 1 })).toBe(false);
  });
  it('lowest reward is replaced; ties go to the last such index', () => {
    expect(lowestRewardIndex([0.3, 0.1, 0.2, 1])).toBe(1);
    expect(lowestRewardIndex([0, 0.3, 0, 0.2])).toBe(2);
    expect(lowestRewardIndex([0, 0, 0, 0])).toBe(3);
  });
  it('verifier gate rejects a rephrasing below δ, and is skipped when off', () => {
    expect(repoDecision([0, 0, 0, 1], 0.2, sw)).toEqual({ decision: 'verifier-rejected', replacedIndex: null });
    expect(repoDecision([0, 0, 0, 1], 0.2, { ...sw, verify: false })).toEqual({ decision: 'injected', replacedIndex: 2 });
    expect(repoDecision([0, 0, 0, 1], 1, sw)).toEqual({ decision: 'injected', replacedIndex: 2 });
  });
  it('gate closed when γ_fail < ρ or no rephrasing was sampled', () => {
    expect(repoDecision([1, 1, 1, 0], 1, sw).decision).toBe('gate-closed');
    expect(repoDecision([0, 0, 0, 0], null, sw).decision).toBe('gate-closed');
  });
});

describe('LUFFY injection', () => {
  const sw = { onlyWhenFailing: false, rho: 0.5, delta: 0.5, shaping: true, gamma: 0.1, removeClip: false };
  it('always mode: G−1 rollouts plus the expert appended', () => {
    expect(luffyPolicyRollouts(8, sw)).toBe(7);
    expect(luffyDecision([1, 1, 1], sw)).toEqual({ decision: 'injected', replacedIndex: null });
  });
  it('onlyWhenFailing: G rollouts, the last replaced only when γ_fail ≥ ρ', () => {
    const o = { ...sw, onlyWhenFailing: true };
    expect(luffyPolicyRollouts(8, o)).toBe(8);
    expect(luffyDecision([1, 1, 1, 0], o).decision).toBe('gate-closed');
    expect(luffyDecision([0, 0, 1, 1], o)).toEqual({ decision: 'injected', replacedIndex: 3 });
  });
});
