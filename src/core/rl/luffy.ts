// LUFFY (DESIGN §4): an expert trace (π_φ = 1) joins each group of G−1 on-policy rollouts.
// Off-policy tokens are trained with −A·f(π_θ), f(p) = p/(p+γ), and no clip.
import type { Decision } from '../record';
import type { LossConfig } from './objective';
import { failureRate } from './repo';

export interface LuffySwitches {
  onlyWhenFailing: boolean;
  rho: number;
  delta: number;
  shaping: boolean;
  gamma: number;
  removeClip: boolean;
}

/** On-policy rollouts to sample per group: G−1 when the expert always joins, else G. */
export function luffyPolicyRollouts(groupSize: number, c: LuffySwitches): number {
  return c.onlyWhenFailing ? groupSize : groupSize - 1;
}

/**
 * Where the expert goes. Always mode: appended after the G−1 rollouts (replacedIndex null).
 * onlyWhenFailing: only if γ_fail ≥ ρ, replacing the last of the G rollouts.
 */
export function luffyDecision(rewards: number[], c: LuffySwitches): { decision: Decision; replacedIndex: number | null } {
  if (!c.onlyWhenFailing) return { decision: 'injected', replacedIndex: null };
  if (failureRate(rewards, c.delta) < c.rho) return { decision: 'gate-closed', replacedIndex: null };
  return { decision: 'injected', replacedIndex: rewards.length - 1 };
}

/** The loss switches LUFFY sets. With shaping off the expert row is an ordinary clipped row (old log-prob 0). */
export function luffyLoss(base: LossConfig, c: LuffySwitches): LossConfig {
  return { ...base, shapingGamma: c.shaping ? c.gamma : 0, noClip: c.removeClip };
}

/** Whether the expert row uses the off-policy objective (shaping on) or the clipped ratio π_θ/1. */
export function expertIsOffPolicy(c: LuffySwitches): boolean {
  return c.shaping;
}
