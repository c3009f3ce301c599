// Test helpers shared by the cpu/wasm and the WebGPU tests of the fused row kernels: how far the fused
// layer norm, bias + GELU and RoPE (values and gradients) are from tfjs's unfused ops, alone and inside GPT.forward.
import * as tf from '@tensorflow/tfjs';
import { packBatch, type GPT } from '../model';
import { Rng } from '../rng';
import { biasGeluFused, biasGeluUnfused, layerNormFused, layerNormUnfused, ropeFused, ropeUnfused, setFusedOps } from './fusedOps';

/** max|got − want| / max|want|: the worst difference relative to the reference's scale. */
export function relDiff(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return diff / scale;
}

/** Value and gradients (w.r.t. every input) of Σ f(inputs) · weights, as flat arrays. */
async function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], weights: tf.Tensor): Promise<Float32Array[]> {
  const out = tf.tidy(() => {
    const value = f(...inputs);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights)))(inputs);
    return [value, ...grads];
  });
  const data = await Promise.all(out.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(out);
  return data;
}

/**
 * Fused vs unfused layer norm, bias + GELU and RoPE on random rows whose means and scales vary (and GELU
 * inputs out to ±12, where σ saturates). Returns the worst relative difference of the value and of
 * each gradient, by name.
 */
export async function opAgreement(seed: number, rows = 37, C = 64, F = 96): Promise<Record<string, number>> {
  const [x, g, b, wc, xf, bf, wf] = tf.tidy(() => {
    const shift = tf.randomUniform([rows, 1], -3, 3, 'float32', seed);
    const spread = tf.randomUniform([rows, 1], 0.01, 4, 'float32', seed + 1);
    return [
      tf.add(tf.mul(tf.randomNormal([rows, C], 0, 1, 'float32', seed + 2), spread), shift), // [R, C]
      tf.randomNormal([C], 1, 0.3, 'float32', seed + 3),
      tf.randomNormal([C], 0, 0.3, 'float32', seed + 4),
      tf.randomNormal([rows, C], 0, 1, 'float32', seed + 5),
      tf.randomUniform([rows, F], -12, 12, 'float32', seed + 6), // [R, F]
      tf.randomNormal([F], 0, 0.5, 'float32', seed + 7),
      tf.randomNormal([rows, F], 0, 1, 'float32', seed + 8),
    ];
  });
  const ln = [await valueAndGrads(layerNormFused, [x, g, b], wc), await valueAndGrads(layerNormUnfused, [x, g, b], wc)];
  const ge = [await valueAndGrads(biasGeluFused, [xf, bf], wf), await valueAndGrads(biasGeluUnfused, [xf, bf], wf)];
  tf.dispose([x, g, b, wc, xf, bf, wf]);
  // RoPE on [2, 3, S, 8] with real rotary tables (angles up to ~S radians) for S = 7 positions.
  const [xr, cos, sin, wr] = tf.tidy(() => {
    const ang = tf.outerProduct(tf.range(5, 12), tf.tensor1d([1, 0.3, 0.1, 0.03])); // [S, D/2]
    return [tf.randomNormal([2, 3, 7, 8], 0, 1, 'float32', seed + 9), tf.cos(ang), tf.sin(ang), tf.randomNormal([2, 3, 7, 8], 0, 1, 'float32', seed + 10)];
  });
  const rope = (f: typeof ropeFused) => (t: tf.Tensor) => f(t as tf.Tensor4D, cos as tf.Tensor2D, sin as tf.Tensor2D);
  const ro = [await valueAndGrads(rope(ropeFused), [xr], wr), await valueAndGrads(rope(ropeUnfused), [xr], wr)];
  tf.dispose([xr, cos, sin, wr]);
  const names = { ln: ['value', 'dx', 'dgamma', 'dbeta'], gelu: ['value', 'dx', 'db'], rope: ['value', 'dx'] };
  const r: Record<string, number> = {};
  names.ln.forEach((n, i) => (r[`layerNorm ${n}`] = relDiff(ln[0][i], ln[1][i])));
  names.gelu.forEach((n, i) => (r[`biasGelu ${n}`] = relDiff(ge[0][i], ge[1][i])));
  names.rope.forEach((n, i) => (r[`rope ${n}`] = relDiff(ro[0][i], ro[1][i])));
  return r;
}

/** A ragged packed batch of `n` random rows (left-padded prompts, so masks are in play). */
export function randomBatch(seed: number, n: number) {
  const rng = new Rng(seed);
  const prompts = Array.from({ length: n }, () => Array.from({ length: rng.int(2, 9) }, () => rng.int(3, 20)));
  const conts = Array.from({ length: n }, () => Array.from({ length: rng.int(1, 8) }, () => rng.int(3, 20)));
  return packBatch(prompts, conts);
}

/** Logits of GPT.forward and the gradient of Σ logits · W w.r.t. every weight (W fixed random), fused or not. */
async function forwardAndGrads(model: GPT, seed: number, n: number, fused: boolean): Promise<Float32Array[]> {
  const b = randomBatch(seed, n);
  setFusedOps(fused);
  try {
    const out = tf.tidy(() => {
      const tokens = tf.tensor2d(b.inputs, [b.n, b.width], 'int32');
      const mask = tf.tensor2d(b.keyMask, [b.n, b.width]);
      const w = tf.randomNormal([b.n, b.width, model.cfg.vocabSize], 0, 1, 'float32', seed);
      const logits = model.forward(tokens, mask).logits;
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(model.forward(tokens, mask).logits, w)) as tf.Scalar, model.trainable());
      return [logits, ...model.trainable().map((v) => grads[v.name])];
    });
    const data = await Promise.all(out.map(async (t) => Float32Array.from(await t.data())));
    tf.dispose(out);
    return data;
  } finally {
    setFusedOps(true);
  }
}

/** Fused vs unfused GPT.forward: the worst relative difference of the logits and of any weight's gradient (and which). */
export async function modelAgreement(model: GPT, seed: number, n: number): Promise<{ logits: number; grads: number; worst: string }> {
  const fused = await forwardAndGrads(model, seed, n, true);
  const ref = await forwardAndGrads(model, seed, n, false);
  const names = [...model.weights.keys()];
  let grads = 0;
  let worst = '';
  for (let i = 1; i < fused.length; i++) {
    const d = relDiff(fused[i], ref[i]);
    if (d > grads) [grads, worst] = [d, names[i - 1]];
  }
  return { logits: relDiff(fused[0], ref[0]), grads, worst };
}
