// GRPO (docs/DESIGN.md §4): on-policy only. Each question gets G rollouts; advantages compare them
// within the group, so a group where every rollout fails has zero advantage and teaches nothing.
import { advScale, baseLoss, noInjection, policyGradient, type Algorithm } from './algorithm';

export const grpo: Algorithm = {
  name: 'grpo',
  summary: 'on-policy group-relative policy optimisation: the policy learns only from its own rollouts',
  describe: (c) => ({ objective: 'policy-gradient', gate: null, injects: null, slot: null, verifier: false, rephraser: null, trainsRephrasePrompt: false, oldLogpOfInjected: null, loss: baseLoss(c), advScale: advScale(c, 'group') }),
  rolloutsPerGroup: (c) => c.groupSize,
  inject: noInjection,
  update: policyGradient,
};
