// GRPO (docs/DESIGN.md §4): on-policy only. Each question gets G rollouts; advantages compare them
// within the group, so a group where every rollout fails has zero advantage and teaches nothing.
import { baseLoss, noInjection, policyGradient, type Algorithm } from './algorithm';

export const grpo: Algorithm = {
  name: 'grpo',
  summary: 'on-policy group-relative policy optimisation: the policy learns only from its own rollouts',
  describe: (c) => ({ objective: 'policy-gradient', gate: null, injects: null, slot: null, verifier: false, rephraser: null, trainsRephrasePrompt: false, oldLogpOfInjected: null, loss: baseLoss(c) }),
  rolloutsPerGroup: (c) => c.groupSize,
  inject: noInjection,
  update: (ctx, rows, rewards) => policyGradient(ctx, rows, rewards, baseLoss(ctx.cfg)),
};
