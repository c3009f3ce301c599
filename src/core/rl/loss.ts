// The same objective as objective.ts, in tensors, for training. Tested against the pure version.
import * as tf from '@tensorflow/tfjs';
import type { GPT, PackedBatch } from '../model';
import { applyScaled, type Optimiser } from '../optim/apply';
import { globalNorm } from '../optim/gradNorm';
import { fusedOpsActive } from '../kernels/fusedOps';
import { tokenLogProbs } from '../sampler';
import { fusedLossTensors } from './fusedLoss';
import type { LossConfig } from './objective';

export interface LossBatch {
  packed: PackedBatch; // prompt + response rows; contMask is the response mask
  logpOld: Float32Array; // [n, L]
  advantages: Float32Array; // [n]
  offPolicy: Float32Array; // [n] 1 = LUFFY off-policy row
  logpRef?: Float32Array; // [n, L]
}

export interface LossTensors {
  loss: tf.Scalar;
  logpNew: tf.Tensor2D; // [n, L]
  clipped: tf.Tensor2D; // [n, L] 1 where the clip was active
  stats: tf.Tensor1D; // [clipFracLow, clipFracHigh, clipFracRegion, kl, entropy]
}

/** Builds the loss from the model's current weights. Call inside tf.tidy or tf.variableGrads. */
export function lossTensors(model: GPT, b: LossBatch, c: LossConfig): LossTensors {
  const logits = model.continuationLogits(b.packed); // [n, L, V]
  // webgpu, cpu: 5 kernels forward + 1 for the gradient; wasm: the tfjs ops below (bit-identical records).
  return fusedOpsActive() ? fusedLossTensors(logits, b, c) : unfusedLossTensors(logits, b, c);
}

/** The loss from logits [n, L, V] in tfjs ops, as it always ran (wasm; the reference fusedLoss.ts is tested against). */
export function unfusedLossTensors(logits: tf.Tensor3D, b: LossBatch, c: LossConfig): LossTensors {
  const { n, contWidth: L } = b.packed;
  const targets = tf.tensor2d(b.packed.targets, [n, L], 'int32');
  const mask = tf.tensor2d(b.packed.contMask, [n, L]);
  const on = tf.greater(mask, 0);
  const zeros = tf.zerosLike(mask);
  // Inputs at masked positions may be garbage: replace them before any arithmetic so neither the
  // value nor the gradient (0 × Inf) can turn into NaN.
  const old = tf.where(on, tf.tensor2d(b.logpOld, [n, L]), zeros);
  const logpNew = tf.where(on, tokenLogProbs(logits, targets), zeros) as tf.Tensor2D;
  const A = tf.tensor2d(b.advantages, [n, 1]);
  const offRow = tf.tensor2d(b.offPolicy, [n, 1]);

  const ratio = tf.exp(tf.sub(logpNew, old));
  const clippedRatio = tf.clipByValue(ratio, 1 - c.epsLow, 1 + c.epsHigh);
  const onSurr = c.noClip ? tf.mul(ratio, A) : tf.minimum(tf.mul(ratio, A), tf.mul(clippedRatio, A));
  const p = tf.exp(logpNew);
  const f = c.shapingGamma ? tf.div(p, tf.add(p, c.shapingGamma)) : p;
  const surr = tf.add(tf.mul(offRow, tf.mul(f, A)), tf.mul(tf.sub(1, offRow), onSurr));

  let k3: tf.Tensor = zeros;
  if (b.logpRef && c.beta > 0) {
    const x = tf.sub(tf.where(on, tf.tensor2d(b.logpRef, [n, L]), zeros), logpNew);
    k3 = tf.sub(tf.sub(tf.exp(x), x), 1);
  }
  const perToken = tf.mul(tf.add(tf.neg(surr), tf.mul(k3, c.beta)), mask); // [n, L]
  const tokens = tf.maximum(tf.sum(mask), 1);
  let loss: tf.Tensor;
  if (c.aggregation === 'token-mean') loss = tf.div(tf.sum(perToken), tokens);
  else if (c.aggregation === 'seq-mean-token-mean') loss = tf.mean(tf.div(tf.sum(perToken, 1), tf.maximum(tf.sum(mask, 1), 1)));
  else loss = tf.div(tf.sum(perToken), Math.max(n * c.maxNewTokens, 1));

  // Diagnostics (no gradient needed, but cheap to build here from the same tensors).
  const onPolicyTok = tf.mul(mask, tf.sub(1, offRow));
  const lowF = c.noClip ? zeros : tf.mul(tf.cast(tf.logicalAnd(tf.less(ratio, 1 - c.epsLow), tf.less(A, 0)), 'float32'), onPolicyTok);
  const highF = c.noClip ? zeros : tf.mul(tf.cast(tf.logicalAnd(tf.greater(ratio, 1 + c.epsHigh), tf.greater(A, 0)), 'float32'), onPolicyTok);
  const logp = tf.logSoftmax(logits);
  const entropy = tf.div(tf.sum(tf.mul(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), -1)), mask)), tokens);
  const frac = (x: tf.Tensor) => tf.div(tf.sum(x), tokens);
  const stats = tf.stack([frac(lowF), frac(highF), frac(tf.add(lowF, highF)), frac(tf.mul(k3, mask)), entropy]) as tf.Tensor1D;
  return { loss: loss as tf.Scalar, logpNew, clipped: tf.add(lowF, highF) as tf.Tensor2D, stats };
}

export interface UpdateResult {
  loss: number;
  gradNorm: number;
  skipped: boolean; // true when the loss or a gradient was NaN/Inf: weights left untouched
  clipFracLow: number;
  clipFracHigh: number;
  clipFracRegion: number;
  kl: number;
  entropy: number;
  logpNew: Float32Array; // [n, L] at this update
  clipped: Float32Array; // [n, L]
}

/** One optimiser step on the loss, with global-norm clipping and a NaN/Inf guard. */
export async function update(model: GPT, opt: Optimiser, b: LossBatch, c: LossConfig, maxGradNorm: number): Promise<UpdateResult> {
  let aux: Omit<LossTensors, 'loss'> | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const r = lossTensors(model, b, c);
    aux = { logpNew: tf.keep(r.logpNew), clipped: tf.keep(r.clipped), stats: tf.keep(r.stats) };
    return r.loss;
  }, model.trainable());
  const norm = globalNorm(Object.values(grads)); // ≤ 7 inputs per kernel (docs/DESIGN.md §8.9)
  // One readback for everything the host needs: on a GPU each is a round trip that drains the queue.
  const size = aux!.logpNew.size;
  const head = 2 + aux!.stats.size; // loss, grad norm, then the stats
  const all = tf.tidy(() => tf.concat([tf.stack([value, norm]), aux!.stats, aux!.logpNew.reshape([-1]), aux!.clipped.reshape([-1])]));
  const values = (await all.data()) as Float32Array;
  tf.dispose([value, norm, all, aux!.logpNew, aux!.clipped, aux!.stats]);
  const [loss, gradNorm, clipFracLow, clipFracHigh, clipFracRegion, kl, entropy] = values;
  const logpNew = values.slice(head, head + size);
  const clipped = values.slice(head + size, head + 2 * size);
  const skipped = !Number.isFinite(loss) || !Number.isFinite(gradNorm);
  if (!skipped) {
    const scale = maxGradNorm > 0 ? Math.min(1, maxGradNorm / (gradNorm + 1e-6)) : 1;
    applyScaled(opt, grads, scale); // the clipping multiply is part of FusedAdam's kernels
  }
  tf.dispose(Object.values(grads));
  return { loss, gradNorm, skipped, clipFracLow, clipFracHigh, clipFracRegion, kl, entropy, logpNew, clipped };
}
