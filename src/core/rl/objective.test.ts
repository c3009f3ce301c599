import { describe, expect, it } from 'vitest';
import { groupAdvantages, policyLoss, tokenLoss, type LossConfig } from './objective';

// Reference numbers computed by hand (Python, float64) from docs/DESIGN.md §4's formulas.
const rewards = [1, 0, 0.25, 1, 0.5, 0.5];

describe('groupAdvantages', () => {
  it('group scale: (R − mean) / (unbiased group std + 1e-4); all-equal group → 0', () => {
    const a = groupAdvantages(rewards, 2, 'group');
    [0.7070067953266834, -0.7070067953266834, -0.7069734729900489, 0.7069734729900489, 0, 0].forEach((v, i) => expect(a[i]).toBeCloseTo(v, 12));
  });
  it('batch scale divides by the whole batch std', () => {
    const a = groupAdvantages(rewards, 2, 'batch');
    [1.2480639573544197, -1.2480639573544197, -0.9360479680158148, 0.9360479680158148, 0, 0].forEach((v, i) => expect(a[i]).toBeCloseTo(v, 12));
  });
  it('none: plain R − mean (Dr. GRPO)', () => {
    expect(groupAdvantages(rewards, 2, 'none')).toEqual([0.5, -0.5, -0.375, 0.375, 0, 0]);
  });
  it('NaN → 0 (a group of one has no std)', () => {
    expect(groupAdvantages([1, 0], 1, 'group')).toEqual([0, 0]);
    expect(groupAdvantages([1, 1, 1], 3, 'batch')).toEqual([0, 0, 0]);
  });
});

describe('policyLoss', () => {
  const G = NaN; // garbage in masked positions must not leak
  const inputs = {
    logpNew: [[-1, -2, G], [-0.5, 99, G], [Math.log(1.5), G, G], [Math.log(0.5), G, G], [G, G, G]],
    logpOld: [[-1.1, -1.5, 1e30], [-0.5, G, G], [0, G, G], [0, G, G], [G, G, G]],
    mask: [[1, 1, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 0, 0]], // the last row is all masked
    advantages: [1, -1, 1, -1, 0.3],
  };
  const cfg = (aggregation: LossConfig['aggregation']): LossConfig => ({ epsLow: 0.2, epsHigh: 0.2, beta: 0, aggregation, maxNewTokens: 4 });

  it('token-mean', () => {
    const r = policyLoss(inputs, cfg('token-mean'));
    expect(r.loss).toBeCloseTo(-0.2223403155576562, 12);
    expect(r.clipFracLow).toBeCloseTo(0.2, 12); // ratio 0.5 with A < 0
    expect(r.clipFracHigh).toBeCloseTo(0.2, 12); // ratio 1.5 with A > 0
    expect(r.clipFracRegion).toBeCloseTo(0.4, 12);
    expect(r.kl).toBe(0);
  });
  it('seq-mean-token-mean (the all-masked row counts as a zero-loss sequence)', () => {
    expect(policyLoss(inputs, cfg('seq-mean-token-mean')).loss).toBeCloseTo(-0.05117015777882812, 12);
  });
  it('seq-mean-token-sum-norm divides by N · maxNewTokens', () => {
    expect(policyLoss(inputs, cfg('seq-mean-token-sum-norm')).loss).toBeCloseTo(-0.05558507888941405, 12);
  });
  it('k3 KL towards the reference with beta', () => {
    const logpRef = [[-1.2, -2, G], [-0.4, G, G], [0, G, G], [Math.log(0.5), G, G], [G, G, G]];
    const r = policyLoss({ ...inputs, logpRef }, { ...cfg('token-mean'), beta: 0.1 });
    expect(r.kl).toBeCloseTo(0.019206689185692127, 12);
    expect(r.loss).toBeCloseTo(-0.220419646639087, 12);
  });
  it('all-equal rewards give zero advantages and zero loss', () => {
    const a = groupAdvantages([0.25, 0.25, 0.25, 0.25], 4, 'group');
    const r = policyLoss({ logpNew: [[-1], [-2], [-3], [-4]], logpOld: [[-1.5], [-2], [-2], [-4]], mask: [[1], [1], [1], [1]], advantages: a }, cfg('token-mean'));
    expect(a).toEqual([0, 0, 0, 0]);
    expect(Math.abs(r.loss)).toBe(0);
  });
});

describe('LUFFY token loss', () => {
  const c: LossConfig = { epsLow: 0.2, epsHigh: 0.2, beta: 0, aggregation: 'token-mean', maxNewTokens: 4, shapingGamma: 0.1 };
  it('off-policy tokens use −A·p/(p+γ) with no clip', () => {
    expect(tokenLoss(-2, 0, 0.5, c, true).l).toBeCloseTo(-0.2875371711698301, 12);
    // A large π_θ stays unclipped: f(0.99) = 0.99/1.09 whatever ε is.
    const r = tokenLoss(Math.log(0.99), 0, 1, { ...c, epsHigh: 0 }, true);
    expect(r.l).toBeCloseTo(-0.99 / 1.09, 12);
    expect(r.high).toBe(false);
  });
  it('shaping off: f(p) = p', () => {
    expect(tokenLoss(-2, 0, 0.5, { ...c, shapingGamma: 0 }, true).l).toBeCloseTo(-0.5 * Math.exp(-2), 12);
  });
  it('removeClip: on-policy −r·A with no clip', () => {
    expect(tokenLoss(Math.log(2), 0, 1, { ...c, noClip: true }, false).l).toBeCloseTo(-2, 12);
    expect(tokenLoss(Math.log(2), 0, 1, c, false).l).toBeCloseTo(-1.2, 12);
  });
});
