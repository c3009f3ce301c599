import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backend, randomRows, tinyModel } from '../../test/setup';
import { Rng } from '../rng';
import { scoreLogProbs } from '../sampler';
import { lossTensors, update, type LossBatch } from './loss';
import { policyLoss, type Aggregation, type LossConfig } from './objective';

beforeAll(() => backend('wasm'));

/** A batch of random prompts/responses with garbage old log-probs in masked positions. */
async function fixture(seed: number) {
  const model = tinyModel(seed);
  const rng = new Rng(seed);
  const n = 6;
  const { prompts, responses, packed } = randomRows(rng, n);
  const L = packed.contWidth;
  const logpNew = await scoreLogProbs(model, prompts, responses);
  // Old log-probs near the new ones (ratios around 1, some clipped), garbage where masked.
  const logpOld = new Float32Array(n * L).fill(1e30);
  const logpRef = new Float32Array(n * L).fill(NaN);
  responses.forEach((r, i) => r.forEach((_, t) => {
    logpOld[i * L + t] = logpNew[i][t] + (rng.float() - 0.5) * 0.8;
    logpRef[i * L + t] = logpNew[i][t] + (rng.float() - 0.5) * 0.4;
  }));
  const advantages = Float32Array.from({ length: n }, () => rng.float() * 2 - 1);
  const offPolicy = Float32Array.from([0, 0, 0, 0, 1, 1]);
  const batch: LossBatch = { packed, logpOld, logpRef, advantages, offPolicy };
  const rows = (a: Float32Array) => Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * L, (i + 1) * L)));
  const mask = rows(packed.contMask);
  const newPadded = mask.map((m, i) => m.map((_, t) => (t < logpNew[i].length ? logpNew[i][t] : NaN)));
  const pure = { logpNew: newPadded, logpOld: rows(logpOld), logpRef: rows(logpRef), mask, advantages: Array.from(advantages), offPolicy: Array.from(offPolicy, (v) => v > 0) };
  return { model, batch, pure };
}

describe('tensor loss equals objective.ts', () => {
  const aggs: Aggregation[] = ['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum-norm'];
  for (const aggregation of aggs) {
    for (const variant of ['plain', 'luffy', 'kl'] as const) {
      it(`${aggregation}, ${variant}`, async () => {
        const { model, batch, pure } = await fixture(aggregation.length + variant.length);
        const c: LossConfig = { epsLow: 0.2, epsHigh: 0.28, beta: variant === 'kl' ? 0.05 : 0, aggregation, maxNewTokens: 8, ...(variant === 'luffy' ? { shapingGamma: 0.1, noClip: true } : {}) };
        const offPolicy = variant === 'luffy' ? pure.offPolicy : pure.offPolicy.map(() => false);
        const b = { ...batch, offPolicy: variant === 'luffy' ? batch.offPolicy : new Float32Array(batch.offPolicy.length) };
        const ref = policyLoss({ ...pure, offPolicy, logpRef: variant === 'kl' ? pure.logpRef : undefined }, c);
        const t = tf.tidy(() => {
          const r = lossTensors(model, b, c);
          return tf.concat([r.loss.reshape([1]), r.stats]);
        });
        const [loss, low, high, region, kl] = await t.data();
        t.dispose();
        expect(loss).toBeCloseTo(ref.loss, 5);
        expect(low).toBeCloseTo(ref.clipFracLow, 6);
        expect(high).toBeCloseTo(ref.clipFracHigh, 6);
        expect(region).toBeCloseTo(ref.clipFracRegion, 6);
        expect(kl).toBeCloseTo(ref.kl, 5);
        if (variant === 'plain') expect(ref.clipFracRegion).toBeGreaterThan(0); // the fixture exercises the clip
        model.dispose();
      });
    }
  }
});

describe('guarded update', () => {
  it('a NaN loss skips the update and leaves every weight unchanged', async () => {
    const { model, batch } = await fixture(3);
    const before = model.trainable().map((w) => w.dataSync().slice());
    const opt = tf.train.adam(1e-2);
    const bad = { ...batch, advantages: batch.advantages.map((a, i) => (i === 0 ? NaN : a)) };
    const r = await update(model, opt, bad, { epsLow: 0.2, epsHigh: 0.2, beta: 0, aggregation: 'token-mean', maxNewTokens: 8 }, 1);
    expect(r.skipped).toBe(true);
    model.trainable().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(before[i])));
    const good = await update(model, opt, batch, { epsLow: 0.2, epsHigh: 0.2, beta: 0, aggregation: 'token-mean', maxNewTokens: 8 }, 1);
    expect(good.skipped).toBe(false);
    expect(Array.from(model.trainable()[0].dataSync())).not.toEqual(Array.from(before[0]));
    opt.dispose();
    model.dispose();
  });
});
