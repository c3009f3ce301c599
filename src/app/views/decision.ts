// The injection decision of a group, in words a teacher can read aloud. Everything comes from the record:
// the decision itself and the settings the step ran under (ρ, δ, what is injected where), so a slider
// moved since then cannot change what is said to have happened, and no view re-derives a gate.
import type { GroupRecord, StepRecord, StepSettings } from '../../core/record';
import { fmt } from './format';

export type Tone = 'neutral' | 'closed' | 'rejected' | 'injected';

export interface DecisionWords {
  label: string; // short badge text
  detail: string; // one sentence with the numbers
  tone: Tone;
}

type Step = Pick<StepRecord, 'algo' | 'settings'>;
const NAME = (s: Step) => s.algo.toUpperCase().replace('REPO', 'RePO');

/** Where an injection went, from the method's slot rule. */
export function slotWords(s: StepSettings, replacedIndex: number | null): string {
  if (replacedIndex === null) return ' as an extra member of the group';
  const which = s.method.slot === 'last' ? 'the last on-policy rollout' : 'the lowest-reward rollout (ties: the last)';
  return ` into slot #${replacedIndex + 1} (it replaced ${which})`;
}

export function decisionWords(g: GroupRecord, step: Step): DecisionWords {
  const { method, config } = step.settings;
  const rho = method.gate?.rho ?? config.rho;
  const delta = config.delta;
  const gamma = `γ_fail = ${fmt(g.failureRate, 2)}`;
  const slot = slotWords(step.settings, g.replacedIndex);
  switch (g.decision) {
    case 'none':
      return method.objective === 'cross-entropy'
        ? { label: `no injection (${NAME(step)})`, detail: `${NAME(step)} trains on the expert solution k directly with cross-entropy; nothing is injected into a group.`, tone: 'neutral' }
        : { label: `no injection (${NAME(step)})`, detail: `${NAME(step)} learns only from its own rollouts. ${gamma}; if every rollout fails, all advantages are 0 and this group teaches nothing.`, tone: 'neutral' };
    case 'gate-closed':
      return { label: 'gate closed', detail: `${gamma} < ρ = ${fmt(rho, 2)}: the group succeeds often enough on its own, so no outside solution was injected.`, tone: 'closed' };
    case 'verifier-rejected': {
      const r = g.rephrase ? fmt(g.rephrase.reward, 2) : '—';
      return { label: 'verifier rejected', detail: `${gamma} ≥ ρ = ${fmt(rho, 2)}, so the policy rephrased the expert solution, but R(o_rep) = ${r} < δ = ${fmt(delta, 2)}: the rephrasing was wrong and was not injected.`, tone: 'rejected' };
    }
    case 'injected':
      if (method.injects === 'expert')
        return { label: 'expert injected', detail: `The expert trace k (π_φ = 1, a different style) joined the group${slot}. ${gamma}.`, tone: 'injected' };
      return {
        label: 'o_rep injected',
        detail: `${gamma} ≥ ρ = ${fmt(rho, 2)}; the policy rewrote the expert solution in its own words (o_rep, reward ${g.rephrase ? fmt(g.rephrase.reward, 2) : '—'}${g.rephrase && g.rephrase.reward < delta ? ', verifier off' : ` ≥ δ = ${fmt(delta, 2)}`}), injected${slot}.`,
        tone: 'injected',
      };
  }
}

/** Why a group's rows have no ratios: said once per group. */
export function leftOutWords(g: GroupRecord, step: Step): string | null {
  if (g.inLoss) return null;
  if (step.settings.method.objective === 'cross-entropy') return `Not in an RL loss: ${NAME(step)} trains on the expert solution only; these rollouts are for reference.`;
  return 'Left out of the loss: all rewards in this group are equal (zero std), so every advantage is 0 and the group carries no gradient.';
}

/** What the method does with the expert solution k (shown under k). */
export function expertUseWords(step: Step): string {
  const m = step.settings.method;
  if (m.objective === 'cross-entropy') return `${NAME(step)} trains on this trace with cross-entropy.`;
  if (m.injects === 'expert') return `${NAME(step)} injects this trace as-is (π_φ = 1).`;
  if (m.injects === 'rephrase') return `${NAME(step)} shows it to the ${m.rephraser === 'frozen' ? 'frozen start model' : 'policy'} inside P(q,k).`;
  return `${NAME(step)} never sees it.`;
}

/** Position of a value in [0,1] as a percentage for CSS bars (clamped, NaN → 0). */
export function barPercent(v: number): number {
  return Number.isFinite(v) ? Math.min(100, Math.max(0, v * 100)) : 0;
}
