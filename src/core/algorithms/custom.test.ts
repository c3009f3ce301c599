// Adding a method is one file and a registry line: a test-only fifth method, defined here, trains
// through the unchanged trainer. "best-of-expert": when every rollout of a group fails, the expert
// solution replaces the last one as an ordinary on-policy row (old log-probs under q, clipped ratio).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, tinyModel } from '../../test/setup';
import { defaultConfig, type Config } from '../config';
import type { GPT } from '../model';
import { addition } from '../tasks/addition';
import { Trainer } from '../trainer';
import { responseIds } from '../vocab';
import { baseLoss, displace, policyGradient, type Algorithm } from './algorithm';
import { failureRate } from './gate';
import { registerAlgorithm } from './registry';

const expertWhenAllFail: Algorithm = {
  name: 'expert-when-all-fail',
  summary: 'test-only: the expert replaces the last rollout of an all-fail group, trained on-policy',
  describe: (c) => ({ objective: 'policy-gradient', gate: { rho: 1, delta: c.delta }, injects: 'expert', slot: 'last', verifier: false, rephraser: null, trainsRephrasePrompt: false, oldLogpOfInjected: 'question', loss: baseLoss(c), advScale: 'group' }),
  rolloutsPerGroup: (c) => c.groupSize,
  async inject(ctx, groups) {
    for (const g of groups) {
      g.decision = failureRate(g.rollouts.map((r) => r.reward), ctx.cfg.delta) === 1 ? 'injected' : 'gate-closed';
      if (g.decision !== 'injected') continue;
      const ids = responseIds(g.expert);
      displace(g, g.rollouts.length - 1, { ids, text: g.expert, source: 'expert', reward: ctx.task.reward(g.problem, g.expert), style: ctx.task.style(g.expert) });
    }
    return 0;
  },
  update: policyGradient,
};

describe('a fifth method from outside the algorithms folder', () => {
  let base: GPT;
  let unregister: () => void;
  beforeAll(async () => {
    await backend('wasm');
    base = tinyModel(11);
    unregister = registerAlgorithm(expertWhenAllFail);
  });
  afterAll(() => (unregister(), base.dispose()));

  it('trains through the trainer, and its records carry its own settings and decisions', async () => {
    // A random tiny policy fails everything, so every group gets the expert.
    const cfg = { ...defaultConfig(), algo: 'expert-when-all-fail', batchSize: 2, groupSize: 3, maxNewTokens: 12, evalEvery: 0, evalSize: 10 } as unknown as Config;
    const t = new Trainer(addition, base, cfg);
    const r = await t.trainStep({ skipEval: true });
    t.dispose();
    expect(r.settings.method).toMatchObject({ injects: 'expert', slot: 'last', oldLogpOfInjected: 'question' });
    for (const g of r.groups) {
      expect(g.decision).toBe('injected');
      expect(g.rollouts[2].source).toBe('expert');
      expect(g.rollouts[2].text).toBe(g.expert);
    }
    // on-policy style rows: the expert's old log-probs are π_θold(k|q) (< 0), not LUFFY's 0
    expect(r.groups[0].rollouts[2].logpOld.every((x) => x < 0)).toBe(true);
    expect(r.metrics.updates).toBe(cfg.mu);
  });

  it('an unknown name is one clear error', () => {
    expect(() => new Trainer(addition, base, { ...defaultConfig(), algo: 'nope' as never })).toThrow('unknown algorithm "nope"');
  });
});
