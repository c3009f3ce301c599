// RePO (DESIGN §4): when a group fails often enough, the policy rewrites the expert solution in its
// own words and that rephrasing replaces the group's worst rollout; then plain GRPO.
import type { Decision } from '../record';

/** γ_fail = #{i : R_i < δ} / G over the on-policy rollouts. */
export function failureRate(rewards: number[], delta: number): number {
  return rewards.length ? rewards.filter((r) => r < delta).length / rewards.length : 0;
}

/** The rollout o_rep replaces: the lowest reward; ties go to the last such index. */
export function lowestRewardIndex(rewards: number[]): number {
  let idx = 0;
  for (let i = 1; i < rewards.length; i++) if (rewards[i] <= rewards[idx]) idx = i;
  return idx;
}

export interface RepoSwitches {
  rho: number;
  delta: number;
  verify: boolean;
}

/** Does this group ask for a rephrasing? γ_fail ≥ ρ. */
export function repoTriggered(rewards: number[], c: RepoSwitches): boolean {
  return failureRate(rewards, c.delta) >= c.rho;
}

/**
 * The whole rule for one group, given the reward of its rephrasing (null when none was sampled):
 * gate on γ_fail ≥ ρ, then (if the verifier is on) on R(o_rep) ≥ δ, then replace the worst rollout.
 */
export function repoDecision(rewards: number[], repReward: number | null, c: RepoSwitches): { decision: Decision; replacedIndex: number | null } {
  if (!repoTriggered(rewards, c) || repReward === null) return { decision: 'gate-closed', replacedIndex: null };
  if (c.verify && repReward < c.delta) return { decision: 'verifier-rejected', replacedIndex: null };
  return { decision: 'injected', replacedIndex: lowestRewardIndex(rewards) };
}
