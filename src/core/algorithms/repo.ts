// RePO (arXiv 2602.10819; docs/DESIGN.md §4): when a group fails often enough (γ_fail ≥ ρ), the policy
// reads the expert solution k and rewrites it in its own words, o_rep ~ π_θ(·|P(q,k)); a verified o_rep
// replaces the group's worst rollout; then plain GRPO.
import type { Config } from '../config';
import type { Decision } from '../record';
import type { TrainRow } from '../rl/groupUpdate';
import { promptIds, responseText } from '../vocab';
import { advScale, baseLoss, displace, policyGradient, type Algorithm } from './algorithm';
import { gateOpen, type Gate } from './gate';

export interface RepoSwitches extends Gate {
  verify: boolean;
}

/** The rollout o_rep replaces: the lowest reward; ties go to the last such index. */
export function lowestRewardIndex(rewards: number[]): number {
  let idx = 0;
  for (let i = 1; i < rewards.length; i++) if (rewards[i] <= rewards[idx]) idx = i;
  return idx;
}

/**
 * The whole rule for one group, given the reward of its rephrasing (null when none was sampled):
 * gate on γ_fail ≥ ρ, then (if the verifier is on) on R(o_rep) ≥ δ, then replace the worst rollout.
 */
export function repoDecision(rewards: number[], repReward: number | null, c: RepoSwitches): { decision: Decision; replacedIndex: number | null } {
  if (!gateOpen(rewards, c) || repReward === null) return { decision: 'gate-closed', replacedIndex: null };
  if (c.verify && repReward < c.delta) return { decision: 'verifier-rejected', replacedIndex: null };
  return { decision: 'injected', replacedIndex: lowestRewardIndex(rewards) };
}

const switches = (c: Config): RepoSwitches => ({ rho: c.rho, delta: c.delta, verify: c.repoVerify });

export const repo: Algorithm = {
  name: 'repo',
  summary: 'rephrase the expert solution in the policy’s own words when a group fails, replace its worst rollout, then GRPO',
  describe: (c) => ({
    objective: 'policy-gradient',
    gate: { rho: c.rho, delta: c.delta },
    injects: 'rephrase',
    slot: 'lowest-reward',
    verifier: c.repoVerify,
    rephraser: c.repoRephraser,
    trainsRephrasePrompt: c.repoTrainPrompt,
    oldLogpOfInjected: c.repoScoreUnder,
    loss: baseLoss(c),
    advScale: advScale(c, 'group'),
  }),
  rolloutsPerGroup: (c) => c.groupSize,

  /** Sample o_rep ~ π(·|P(q,k)) for the groups whose gate opens, verify, replace the worst rollout. */
  async inject(ctx, groups) {
    const c = ctx.cfg;
    const sw = switches(c);
    for (const g of groups) g.decision = 'gate-closed';
    const asking = groups.filter((g) => gateOpen(g.rollouts.map((r) => r.reward), sw));
    if (asking.length === 0) return 0;
    const rephraser = c.repoRephraser === 'frozen' ? ctx.start : ctx.policy;
    const prompts = asking.map((g) => ctx.task.rephrasePrompt(g.problem, g.expert));
    const out = await ctx.sample(rephraser, prompts.map(promptIds));
    const behaviour = await ctx.score(rephraser, prompts.map(promptIds), out.tokens); // log μ(o_rep)
    asking.forEach((g, i) => {
      const text = responseText(out.tokens[i]);
      const reward = ctx.task.reward(g.problem, text);
      const d = repoDecision(g.rollouts.map((r) => r.reward), reward, sw);
      g.decision = d.decision;
      g.rephrase = { prompt: prompts[i], text, reward, accepted: d.decision === 'injected' };
      if (d.replacedIndex !== null) displace(g, d.replacedIndex, { ids: out.tokens[i], text, source: 'rephrase', reward, style: ctx.task.style(text), behaviourLogp: behaviour[i] });
    });
    return out.generated;
  },

  /** The paper scores o_rep under q alone; `rephrasePrompt` uses the prompt that really produced it. */
  oldLogp: (c, r, logpQ) => (r.source === 'rephrase' && c.repoScoreUnder === 'rephrasePrompt' ? r.behaviourLogp! : logpQ),

  // repoTrainPrompt (not in the paper): o_rep also as a response to the prompt that produced it, with o_rep's
  // advantage. Its old log-probs are its behaviour log-probs: π_θold(·|P(q,k)) for the policy rephraser (ratio
  // 1 at the first update); with a frozen rephraser, the frozen model's (the honest behaviour ratio).
  async extraRows(ctx, groups, rows) {
    const c = ctx.cfg;
    if (!c.repoTrainPrompt) return [];
    const reps = groups.flatMap((g) => g.rollouts.map((r) => ({ g, r }))).map((x, i) => ({ ...x, i })).filter(({ r }) => r.source === 'rephrase');
    if (reps.length === 0) return [];
    const prompts = reps.map(({ g }) => promptIds(ctx.task.rephrasePrompt(g.problem, g.expert)));
    const ref = c.beta > 0 ? await ctx.score(ctx.start, prompts, reps.map(({ r }) => r.ids)) : undefined;
    return reps.map(({ r, i }, k): TrainRow => ({ group: rows[i].group, prompt: prompts[k], response: r.ids, logpOld: r.behaviourLogp!, logpQ: r.behaviourLogp!, logpRef: ref?.[k], offPolicy: false, like: i }));
  },

  update: policyGradient,
};
