// The injection decision of a group, in words a teacher can read aloud.
import type { Algo } from '../../core/config';
import type { GroupRecord } from '../../core/record';
import { fmt } from './format';

export type Tone = 'neutral' | 'closed' | 'rejected' | 'injected';

export interface DecisionWords {
  label: string; // short badge text
  detail: string; // one sentence with the numbers
  tone: Tone;
}

/**
 * ρ and δ are those in force when the record was made (the decision itself always comes from the record,
 * so a slider moved since then cannot change what is said to have happened).
 */
export function decisionWords(g: GroupRecord, algo: Algo, rho: number, delta: number): DecisionWords {
  const gamma = `γ_fail = ${fmt(g.failureRate, 2)}`;
  const which = algo === 'luffy' ? 'the last on-policy rollout, LUFFY’s rule' : 'the lowest-reward rollout';
  const slot = g.replacedIndex !== null ? ` into slot #${g.replacedIndex + 1} (it replaced ${which})` : ' as an extra member of the group';
  switch (g.decision) {
    case 'none':
      return algo === 'sft'
        ? { label: 'no injection (SFT)', detail: 'SFT trains on the expert solution k directly with cross-entropy; nothing is injected into a group.', tone: 'neutral' }
        : { label: 'no injection (GRPO)', detail: `GRPO learns only from its own rollouts. ${gamma}; if every rollout fails, all advantages are 0 and this group teaches nothing.`, tone: 'neutral' };
    case 'gate-closed':
      return { label: 'gate closed', detail: `${gamma} < ρ = ${fmt(rho, 2)}: the group succeeds often enough on its own, so no outside solution was injected.`, tone: 'closed' };
    case 'verifier-rejected': {
      const r = g.rephrase ? fmt(g.rephrase.reward, 2) : '—';
      return { label: 'verifier rejected', detail: `${gamma} ≥ ρ = ${fmt(rho, 2)}, so the policy rephrased the expert solution, but R(o_rep) = ${r} < δ = ${fmt(delta, 2)}: the rephrasing was wrong and was not injected.`, tone: 'rejected' };
    }
    case 'injected':
      if (algo === 'luffy')
        return { label: 'expert injected', detail: `The expert trace k (π_φ = 1, a different style) joined the group${slot}. ${gamma}.`, tone: 'injected' };
      return {
        label: 'o_rep injected',
        detail: `${gamma} ≥ ρ = ${fmt(rho, 2)}; the policy rewrote the expert solution in its own words (o_rep, reward ${g.rephrase ? fmt(g.rephrase.reward, 2) : '—'}${g.rephrase && g.rephrase.reward < delta ? ', verifier off' : ` ≥ δ = ${fmt(delta, 2)}`}), injected${slot}.`,
        tone: 'injected',
      };
  }
}

/** Why a group's rows have no ratios: said once per group. */
export function leftOutWords(g: GroupRecord, algo: Algo): string | null {
  if (g.inLoss) return null;
  if (algo === 'sft') return 'Not in an RL loss: SFT trains on the expert solution only; these rollouts are for reference.';
  return 'Left out of the loss: all rewards in this group are equal (zero std), so every advantage is 0 and the group carries no gradient.';
}

/** Position of a value in [0,1] as a percentage for CSS bars (clamped, NaN → 0). */
export function barPercent(v: number): number {
  return Number.isFinite(v) ? Math.min(100, Math.max(0, v * 100)) : 0;
}
