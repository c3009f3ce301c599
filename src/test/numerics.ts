// One clipped RL update from a fixed model and batch, on whichever backend is current: the same
// numbers must come out on webgpu, wasm and cpu (docs/DESIGN.md §8.9: a > 7-input AddN once made WebGPU
// drop the whole step). Used by the Node WebGPU test and by the browser page e2e/numerics.html.
import * as tf from '@tensorflow/tfjs';
import { checkedOnWebGPU } from '../core/backend';
import { GPT, type GPTConfig } from '../core/model';
import { FusedAdam } from '../core/optim/fusedAdam';
import { update } from '../core/rl/loss';
import { Rng } from '../core/rng';
import { VOCAB_SIZE } from '../core/vocab';
import { randomRows } from './setup';

const CFG: GPTConfig = { vocabSize: VOCAB_SIZE, dModel: 32, nLayer: 2, nHead: 4, dFF: 64, maxLen: 64 };

export interface UpdateProbe {
  backend: string;
  loss: number;
  gradNorm: number;
  skipped: boolean;
  numWeights: number; // trainable tensors: the global norm sums this many gradients
  weights: number[]; // every trainable weight after the update, flattened in checkpoint order
  delta: number[]; // weights after − before
}

/**
 * Builds the tiny model from `seed` (tf.randomNormal draws in JS, so every backend starts from the
 * same weights) and a fixed batch of 6 rows, and applies one Adam update (lr 1e-3) clipped to norm
 * 0.5 (the batch's is ≈ 1). WebGPU errors during it throw (checkedOnWebGPU).
 */
export async function probeUpdate(seed = 11): Promise<UpdateProbe> {
  const model = new GPT(CFG, seed);
  const rng = new Rng(seed);
  const n = 6;
  const { packed } = randomRows(rng, n);
  const L = packed.contWidth;
  // Old log-probs as fixed numbers (not the model's): ratios away from 1, some clipped.
  const logpOld = Float32Array.from({ length: n * L }, () => -2.5 + (rng.float() - 0.5));
  const advantages = Float32Array.from({ length: n }, () => rng.float() * 2 - 1);
  const batch = { packed, logpOld, advantages, offPolicy: new Float32Array(n) };
  const before = await flat(model);
  const opt = new FusedAdam(1e-3, 0.9, 0.999, 1e-8); // the trainer's optimiser; the config allows 1e-6 … 1e-2; default 1e-4
  try {
    const r = await checkedOnWebGPU(() => update(model, opt, batch, { epsLow: 0.2, epsHigh: 0.28, beta: 0, aggregation: 'token-mean', maxNewTokens: 8 }, 0.5));
    const after = await flat(model);
    return {
      backend: tf.getBackend(),
      loss: r.loss,
      gradNorm: r.gradNorm,
      skipped: r.skipped,
      numWeights: model.trainable().length,
      weights: Array.from(after),
      delta: Array.from(after, (v, i) => v - before[i]),
    };
  } finally {
    opt.dispose();
    model.dispose();
  }
}

async function flat(model: GPT): Promise<Float32Array> {
  const parts = await Promise.all(model.trainable().map((w) => w.data() as Promise<Float32Array>));
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** ‖a − b‖₂ / ‖b‖₂: 0 when equal, scale-free. */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/**
 * Relative differences of `a` from the reference `b`: loss, grad norm, weights after the update, and
 * the update itself. The update is the loosest: Adam's first step is lr·g/(|g| + ε), which turns
 * float32 summation-order noise in gradient entries near 1e-7 into visible differences there.
 */
export function compareProbes(a: UpdateProbe, b: UpdateProbe) {
  return {
    loss: Math.abs(a.loss - b.loss) / Math.max(Math.abs(b.loss), 1e-12),
    gradNorm: Math.abs(a.gradNorm - b.gradNorm) / Math.max(Math.abs(b.gradNorm), 1e-12),
    weights: relDiff(a.weights, b.weights),
    delta: relDiff(a.delta, b.delta),
  };
}
