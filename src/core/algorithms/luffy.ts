// LUFFY (docs/DESIGN.md §4): an expert trace (π_φ = 1, a foreign style) joins each group of G−1
// on-policy rollouts. Off-policy tokens are trained with −A·f(π_θ), f(p) = p/(p+γ), and no clip.
import type { Config } from '../config';
import type { Decision } from '../record';
import type { LossConfig } from '../rl/objective';
import { responseIds } from '../vocab';
import { advScale, baseLoss, displace, policyGradient, type Algorithm } from './algorithm';
import { gateOpen, type Gate } from './gate';

export interface LuffySwitches extends Gate {
  onlyWhenFailing: boolean;
  shaping: boolean;
  gamma: number;
  removeClip: boolean;
}

export const luffySwitches = (c: Config): LuffySwitches => ({ onlyWhenFailing: c.luffyOnlyWhenFailing, rho: c.rho, delta: c.delta, shaping: c.luffyShaping, gamma: c.luffyGamma, removeClip: c.luffyRemoveClip });

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
  if (!gateOpen(rewards, c)) return { decision: 'gate-closed', replacedIndex: null };
  return { decision: 'injected', replacedIndex: rewards.length - 1 };
}

/** The loss switches LUFFY sets. With shaping off the expert row is an ordinary clipped row (old log-prob 0). */
export function luffyLoss(base: LossConfig, c: LuffySwitches): LossConfig {
  return { ...base, shapingGamma: c.shaping ? c.gamma : 0, noClip: c.removeClip };
}

export const luffy: Algorithm = {
  name: 'luffy',
  summary: 'mix the expert solution into each group as an off-policy rollout, with policy shaping',
  describe: (c) => {
    const sw = luffySwitches(c);
    return {
      objective: 'policy-gradient',
      gate: sw.onlyWhenFailing ? { rho: c.rho, delta: c.delta } : null,
      injects: 'expert',
      slot: sw.onlyWhenFailing ? 'last' : 'extra',
      verifier: false,
      rephraser: null,
      trainsRephrasePrompt: false,
      oldLogpOfInjected: 'expert-one',
      loss: luffyLoss(baseLoss(c), sw),
      advScale: advScale(c, 'none'), // LUFFY's released script: no std division
    };
  },
  rolloutsPerGroup: (c) => luffyPolicyRollouts(c.groupSize, luffySwitches(c)),

  async inject(ctx, groups) {
    const sw = luffySwitches(ctx.cfg);
    for (const g of groups) {
      const d = luffyDecision(g.rollouts.map((r) => r.reward), sw);
      g.decision = d.decision;
      if (d.decision !== 'injected') continue;
      const ids = responseIds(g.expert);
      // π_φ = 1 for every expert token: its behaviour log-prob is 0.
      const expert = { ids, text: g.expert, source: 'expert' as const, reward: ctx.task.reward(g.problem, g.expert), style: ctx.task.style(g.expert), behaviourLogp: ids.map(() => 0) };
      if (d.replacedIndex === null) g.rollouts.push(expert);
      else displace(g, d.replacedIndex, expert);
    }
    return 0;
  },

  oldLogp: (_c, r, logpQ) => (r.source === 'expert' ? r.ids.map(() => 0) : logpQ), // π_φ = 1
  /** With shaping on, expert rows use the off-policy objective; off, the clipped ratio π_θ/1. */
  offPolicy: (c, r) => r.source === 'expert' && c.luffyShaping,
  update: policyGradient,
};
