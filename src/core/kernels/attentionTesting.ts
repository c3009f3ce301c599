// Test helper shared by the cpu and the WebGPU tests of the fused attention kernels (attnSoftmax.ts,
// qkvHeads.ts): how far they are from model.ts's unfused ops, values and gradients.
import * as tf from '@tensorflow/tfjs';
import { ropeUnfused } from './fusedOps';
import { relDiff } from './fusedOpsTesting';
import { attnSoftmax, NEG } from './attnSoftmax';
import { qkvHeads } from './qkvHeads';

/** Value and gradient of Σ f(x)·w, flat. */
async function valueAndGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, w: tf.Tensor): Promise<Float32Array[]> {
  const out = tf.tidy(() => [f(x), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), w)))(x)]);
  const data = await Promise.all(out.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(out);
  return data;
}

/**
 * Fused vs unfused attention softmax (queries at positions 2.., a fully padded row whose queries see only
 * masked keys) and qkv head split + RoPE (the k head's gradient zero, as for an unused output). Returns the
 * worst relative differences and the largest fused weight on a masked key of a row with a real key.
 */
export async function attentionAgreement(seed: number): Promise<{ softmax: number; softmaxGrad: number; maskedWeight: number; heads: number; headsGrad: number }> {
  const [N, H, S, T, start] = [3, 2, 4, 6, 2];
  const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0], [N, T]); // row 3: all padding
  const scores = tf.tidy(() => tf.mul(tf.randomNormal([N, H, S, T], 0, 1, 'float32', seed), 30));
  const w = tf.randomNormal([N, H, S, T], 0, 1, 'float32', seed + 1);
  const scale = 1 / Math.sqrt(8);
  const unfused = (x: tf.Tensor) => {
    const causal = tf.where(tf.lessEqual(tf.range(0, T).reshape([1, T]), tf.range(start, start + S).reshape([S, 1])), tf.scalar(0), tf.scalar(NEG));
    const bias = tf.add(causal.reshape([1, 1, S, T]), tf.mul(tf.sub(1, mask), NEG).reshape([N, 1, 1, T]));
    return tf.softmax(tf.add(tf.mul(x, scale), bias));
  };
  const [fv, fg] = await valueAndGrad((x) => attnSoftmax(x as tf.Tensor4D, mask as tf.Tensor2D, start, scale), scores, w);
  const [uv, ug] = await valueAndGrad(unfused, scores, w);
  const m = await mask.data();
  let maskedWeight = 0;
  for (let r = 0; r < N * H * S; r++) {
    const n = Math.floor(r / (H * S));
    if (n === 2) continue; // no real key: uniform weights, as the unfused ops give
    for (let k = 0; k < T; k++) if (m[n * T + k] === 0 || k > start + (r % S)) maskedWeight = Math.max(maskedWeight, fv[r * T + k]);
  }
  tf.dispose([mask, scores, w]);

  // Heads: qkv [N·S, 3C] with C = H·D, D = 8.
  const D = 8;
  const C = H * D;
  const [qkv, cos, sin, wq, wv] = tf.tidy(() => {
    const ang = tf.outerProduct(tf.range(start, start + S), tf.tensor1d([1, 0.3, 0.1, 0.03]));
    return [tf.randomNormal([N * S, 3 * C], 0, 1, 'float32', seed + 2), tf.cos(ang), tf.sin(ang), tf.randomNormal([N, H, S, D], 0, 1, 'float32', seed + 3), tf.randomNormal([N, H, S, D], 0, 1, 'float32', seed + 4)];
  });
  const heads = (x: tf.Tensor, fused: boolean) => {
    if (fused) return qkvHeads(x as tf.Tensor2D, cos as tf.Tensor2D, sin as tf.Tensor2D, N, H);
    const h = (i: number) => x.slice([0, i * C], [N * S, C]).reshape([N, S, H, D]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
    return [ropeUnfused(h(0), cos as tf.Tensor2D, sin as tf.Tensor2D), ropeUnfused(h(1), cos as tf.Tensor2D, sin as tf.Tensor2D), h(2)];
  };
  // q and v weighted, k unused: its gradient reaches the fused kernel as zeros.
  const both = async (fused: boolean) => {
    const out = tf.tidy(() => {
      const [q, k, v] = heads(qkv, fused);
      const g = tf.grad((x: tf.Tensor) => {
        const [q2, , v2] = heads(x, fused);
        return tf.add(tf.sum(tf.mul(q2, wq)), tf.sum(tf.mul(v2, wv)));
      })(qkv);
      return [tf.concat([q.flatten(), k.flatten(), v.flatten()]), g];
    });
    const data = await Promise.all(out.map(async (t) => Float32Array.from(await t.data())));
    tf.dispose(out);
    return data;
  };
  const [hf, hfg] = await both(true);
  const [hu, hug] = await both(false);
  tf.dispose([qkv, cos, sin, wq, wv]);
  return { softmax: relDiff(fv, uv), softmaxGrad: relDiff(fg, ug), maskedWeight, heads: relDiff(hf, hu), headsGrad: relDiff(hfg, hug) };
}
