// The failure gate shared by RePO and LUFFY's like-for-like mode: a group asks for outside help when
// γ_fail = #{i : R_i < δ} / G ≥ ρ, over its on-policy rollouts, before anything is injected.

/** γ_fail = #{i : R_i < δ} / G. */
export function failureRate(rewards: number[], delta: number): number {
  return rewards.length ? rewards.filter((r) => r < delta).length / rewards.length : 0;
}

export interface Gate {
  rho: number;
  delta: number;
}

/** The gate's one comparison, for a γ_fail already measured (also used for what-if tables over ρ). */
export function opensAt(gammaFail: number, rho: number): boolean {
  return gammaFail >= rho;
}

/** γ_fail ≥ ρ. */
export function gateOpen(rewards: number[], g: Gate): boolean {
  return opensAt(failureRate(rewards, g.delta), g.rho);
}
