// Shared by the cpu and WebGPU tests of the fused RL loss: the fused loss (fusedLoss.ts) against the tfjs ops
// (loss.ts unfusedLossTensors) on the current backend, values and gradients w.r.t. the logits.
import * as tf from '@tensorflow/tfjs';
import { randomRows } from '../../test/setup';
import { Rng } from '../rng';
import { tokenLogProbs } from '../sampler';
import { VOCAB_SIZE } from '../vocab';
import { fusedLossTensors, fusedTokenLogProbs } from './fusedLoss';
import { unfusedLossTensors, type LossBatch, type LossTensors } from './loss';
import type { Aggregation, LossConfig } from './objective';

export const AGGREGATIONS: Aggregation[] = ['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum-norm'];
export const VARIANTS = ['plain', 'luffy', 'luffy-clip', 'kl'] as const;
export type Variant = (typeof VARIANTS)[number];

export function lossConfig(aggregation: Aggregation, variant: Variant): LossConfig {
  const luffy = variant === 'luffy' ? { shapingGamma: 0.1, noClip: true } : {};
  return { epsLow: 0.2, epsHigh: 0.28, beta: variant === 'kl' ? 0.05 : 0, aggregation, maxNewTokens: 8, ...luffy };
}

/** Random logits [n, L, V] and a batch whose old/ref log-probs sit near the current ones (ratios around
 *  1, some clipped) and hold garbage (1e30, NaN) where masked; LUFFY variants get two off-policy rows. */
export async function lossFixture(seed: number, variant: Variant) {
  const rng = new Rng(seed);
  const n = 6;
  const { packed } = randomRows(rng, n);
  const L = packed.contWidth;
  const logits = tf.tidy(() => tf.mul(tf.randomNormal([n, L, VOCAB_SIZE], 0, 1, 'float32', seed), 3)) as tf.Tensor3D;
  const lp = tf.tidy(() => tokenLogProbs(logits, tf.tensor2d(packed.targets, [n, L], 'int32')));
  const now = await lp.data(); // no dataSync on webgpu
  lp.dispose();
  const logpOld = new Float32Array(n * L).fill(1e30);
  const logpRef = new Float32Array(n * L).fill(NaN);
  for (let j = 0; j < n * L; j++) {
    if (!packed.contMask[j]) continue;
    logpOld[j] = now[j] + (rng.float() - 0.5) * 0.8;
    logpRef[j] = now[j] + (rng.float() - 0.5) * 0.4;
  }
  const advantages = Float32Array.from({ length: n }, (_, i) => (i === 3 ? 0 : rng.float() * 2 - 1));
  const offPolicy = Float32Array.from({ length: n }, (_, i) => (variant.startsWith('luffy') && i >= 4 ? 1 : 0));
  const batch: LossBatch = { packed, logpOld, logpRef, advantages, offPolicy };
  return { logits, batch };
}

type LossFn = (logits: tf.Tensor3D, b: LossBatch, c: LossConfig) => LossTensors;

/** [loss, stats, logpNew, clipped, dL/dlogits] as arrays. */
async function evaluate(fn: LossFn, logits: tf.Tensor3D, b: LossBatch, c: LossConfig): Promise<Float32Array[]> {
  const outs = tf.tidy(() => {
    const r = fn(logits, b, c);
    const g = tf.grad((x: tf.Tensor) => fn(x as tf.Tensor3D, b, c).loss)(logits);
    return [r.loss, r.stats, r.logpNew, r.clipped, g];
  });
  const values = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outs);
  return values;
}

/** Largest |fused − unfused| over max |unfused| per output; NaN if any fused value is not finite. */
export async function lossAgreement(seed: number, aggregation: Aggregation, variant: Variant): Promise<{ worst: number; names: string[]; errors: number[] }> {
  const { logits, batch } = await lossFixture(seed, variant);
  const c = lossConfig(aggregation, variant);
  const [fused, ref] = [await evaluate(fusedLossTensors, logits, batch, c), await evaluate(unfusedLossTensors, logits, batch, c)];
  logits.dispose();
  const errors = fused.map((f, k) => {
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < f.length; i++) {
      if (!Number.isFinite(f[i])) return NaN;
      scale = Math.max(scale, Math.abs(ref[k][i]));
      diff = Math.max(diff, Math.abs(f[i] - ref[k][i]));
    }
    return scale > 0 ? diff / scale : diff;
  });
  return { worst: Math.max(...errors.map((e) => (Number.isNaN(e) ? Infinity : e))), names: ['loss', 'stats', 'logpNew', 'clipped', 'grad'], errors };
}

/** Largest |fused − tfjs| / max |tfjs| of log π(target) over every position (padding included). */
export async function tokenLogProbsAgreement(seed: number): Promise<number> {
  const { logits, batch } = await lossFixture(seed, 'plain');
  const { n, contWidth: L, targets } = batch.packed;
  const [f, r] = tf.tidy(() => [fusedTokenLogProbs(logits, targets), tokenLogProbs(logits, tf.tensor2d(targets, [n, L], 'int32'))]);
  const [fv, rv] = [await f.data(), await r.data()];
  tf.dispose([f, r, logits]);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < fv.length; i++) {
    const d = Math.abs(fv[i] - rv[i]);
    diff = Math.max(diff, Number.isNaN(d) ? Infinity : d); // a NaN fails the comparison
    scale = Math.max(scale, Math.abs(rv[i]));
  }
  return diff / scale;
}
