// Our wasm versions of the model's op chains (bias + GELU, layer norm, the q/k/v heads with RoPE, attention's
// arithmetic around softmax, the attention bias) must give the tfjs ops' values and autodiff gradients bit
// for bit, and must actually run (a counter).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { simdStats } from './module';
import { biasGeluUnfused, layerNormUnfused, ropeUnfused } from '../kernels/fusedOps';
import { qkvHeadsSimd } from './qkvHeads';
import { attentionSoftmaxSimd } from './attention';
import { attentionBias, attentionBiasJs } from '../model';
import { layerNormSimd, layerNormSkipSimd } from './layerNorm';
import { biasGeluSimd } from './gelu';
import { bits, firstDifference, rng, sz, values } from './testing';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('bias + GELU (asm/gelu.ts)', () => {
  it.each([
    ['the MLP shape', [300, 256]],
    ['rank 3', [3, 7, 20]],
    ['columns not a multiple of 4', [9, 13]],
  ])('%s: value, dx and db bit-identical to the tfjs chain and its autodiff; ours ran', (_name, shape) => {
    const F = shape[shape.length - 1];
    const [x, b, w] = [values(sz(shape)), values(F), values(sz(shape))];
    const run = (gelu: (x: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
      tf.tidy(() => {
        const [xt, bt, wt] = [tf.tensor(x, shape), tf.tensor(b, [F]), tf.tensor(w, shape)];
        const { value, grads } = tf.valueAndGrads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(gelu(p, q), wt)))([xt, bt]);
        return [bits(gelu(xt, bt).dataSync()), bits(value.dataSync()), ...grads.map((g) => bits(g.dataSync()))];
      });
    const [f0, b0] = [simdStats.SimdGeluForward ?? 0, simdStats.SimdGeluBackward ?? 0];
    const got = run(biasGeluSimd);
    expect(simdStats.SimdGeluForward - f0).toBe(2);
    expect(simdStats.SimdGeluBackward - b0).toBe(1);
    const want = run(biasGeluUnfused);
    got.forEach((g, i) => expect(firstDifference(g, want[i]), `output ${i}`).toBe(-1));
  });
});

describe('layer norm (asm/layerNorm.ts)', () => {
  // As in the model: x feeds the layer norm and a residual add (h = x + f(ln(x))), and the last layer norm
  // alone. x's gradient must sum in the tape's order in both cases.
  it.each([
    ['with the residual', [5, 7, 64], true],
    ['the final one (no residual)', [5, 7, 64], false],
    ['rank 2, C not a multiple of 4', [9, 13], true],
  ] as const)('%s: value, dx, dg and db bit-identical to the tfjs chain and its autodiff; ours ran', (_name, shape, residual) => {
    const C = shape[shape.length - 1];
    const [x, g, b, w, w2] = [values(sz([...shape])), values(C), values(C), values(sz([...shape])), values(sz([...shape]))];
    const run = (ln: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => [tf.Tensor, tf.Tensor]) =>
      tf.tidy(() => {
        const [xt, gt, bt, wt, w2t] = [tf.tensor(x, [...shape]), tf.tensor(g, [C]), tf.tensor(b, [C]), tf.tensor(w, [...shape]), tf.tensor(w2, [...shape])];
        const loss = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => {
          const [y, skip] = ln(p, q, r);
          return tf.sum(tf.mul(residual ? tf.add(skip, tf.mul(y, wt)) : y, w2t));
        };
        const { value, grads } = tf.valueAndGrads(loss)([xt, gt, bt]);
        return [bits(ln(xt, gt, bt)[0].dataSync()), bits(value.dataSync()), ...grads.map((t) => bits(t.dataSync()))];
      });
    const [f0, b0] = [simdStats.SimdLayerNorm ?? 0, simdStats.SimdLayerNormGrad ?? 0];
    const got = run((p, q, r) => (residual ? layerNormSkipSimd(p, q, r) : [layerNormSimd(p, q, r), p]));
    expect(simdStats.SimdLayerNorm - f0).toBe(2);
    expect(simdStats.SimdLayerNormGrad - b0).toBe(1);
    const want = run((p, q, r) => [layerNormUnfused(p, q, r), p]);
    got.forEach((t, i) => expect(firstDifference(t, want[i]), `output ${i}`).toBe(-1));
  });
});

describe('attention heads with RoPE (asm/qkvHeads.ts)', () => {
  // model.ts's unfused heads: slice q/k/v out of qkv, to [N, H, S, dh], RoPE on q and k.
  const unfused = (qkv: tf.Tensor2D, cos: tf.Tensor, sin: tf.Tensor, N: number, H: number) => {
    const C = qkv.shape[1] / 3;
    const S = qkv.shape[0] / N;
    const heads = (i: number) => qkv.slice([0, i * C], [N * S, C]).reshape([N, S, H, C / H]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
    return [ropeUnfused(heads(0), cos as tf.Tensor2D, sin as tf.Tensor2D), ropeUnfused(heads(1), cos as tf.Tensor2D, sin as tf.Tensor2D), heads(2)];
  };
  it.each([
    ['the model shape', 6, 4, 9, 16, false],
    ['dh 8, one head', 3, 1, 5, 8, false],
    ['dh 4: the scalar path', 3, 2, 5, 4, false],
    ['with NaN, ±∞ and ±0 in qkv and in the upstream gradient', 2, 4, 7, 16, true],
  ] as const)('%s: q, k, v and dqkv bit-identical to the tfjs ops and their autodiff; ours ran', (_name, N, H, S, dh, special) => {
    const C = H * dh;
    const qkv = values(N * S * 3 * C, special);
    const [cos, sin] = [values(S * dh / 2), values(S * dh / 2)];
    const ws = [0, 1, 2].map(() => Float32Array.from(values(N * H * S * dh), (v, i) => (special && i % 5 === 0 ? (i % 10 ? -0 : 0) : v)));
    const run = (f: typeof unfused) =>
      tf.tidy(() => {
        const [x, c, sn] = [tf.tensor2d(qkv, [N * S, 3 * C]), tf.tensor(cos, [S, dh / 2]), tf.tensor(sin, [S, dh / 2])];
        const w = ws.map((v) => tf.tensor(v, [N, H, S, dh]));
        const out = f(x, c, sn, N, H).map((t) => bits(t.dataSync()));
        const g = tf.grad((p: tf.Tensor) => {
          const [q, k, v] = f(p as tf.Tensor2D, c, sn, N, H);
          return tf.add(tf.add(tf.sum(tf.mul(q, w[0])), tf.sum(tf.mul(k, w[1]))), tf.sum(tf.mul(v, w[2])));
        })(x);
        return [...out, bits(g.dataSync())];
      });
    const [f0, b0] = [simdStats.SimdQkvHeads ?? 0, simdStats.SimdQkvHeadsGrad ?? 0];
    const got = run((x, c, sn, n, h) => qkvHeadsSimd(x, c, sn, n, h));
    expect(simdStats.SimdQkvHeads - f0).toBe(2);
    expect(simdStats.SimdQkvHeadsGrad - b0).toBe(1);
    const want = run(unfused);
    got.forEach((t, i) => expect(firstDifference(t, want[i]), `output ${i}`).toBe(-1));
  });
});

describe('attention softmax arithmetic (asm/attention.ts)', () => {
  it.each([
    ['the model shape, causal and padding bias', [6, 4, 9, 9], false],
    ['decoding one position over a cache, T not a multiple of 4', [5, 4, 1, 11], false],
    ['with NaN, ±∞ and −0 in the scores', [2, 4, 5, 7], true],
  ] as const)('%s: value and gradient bit-identical to tfjs softmax(scores·scale + bias); ours ran', (_name, shape, special) => {
    const [N, H, S, T] = shape;
    const scores = values(N * H * S * T, special);
    const bias = Float32Array.from({ length: N * S * T }, (_, i) => (i % 7 === 2 ? -1e9 : 0)); // masked keys
    const w = values(N * H * S * T);
    const scale = 1 / Math.sqrt(16);
    const run = (f: (x: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
      tf.tidy(() => {
        const [x, b, wt] = [tf.tensor(scores, [...shape]), tf.tensor(bias, [N, 1, S, T]), tf.tensor(w, [...shape])];
        const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => tf.sum(tf.mul(f(p, b), wt)))(x);
        return [bits(f(x, b).dataSync()), bits(value.dataSync()), bits(grad.dataSync())];
      });
    const [f0, b0] = [simdStats.SimdScaleBias ?? 0, simdStats.SimdSoftmaxGrad ?? 0];
    const got = run((x, b) => attentionSoftmaxSimd(x, b, scale));
    expect(simdStats.SimdScaleBias - f0).toBe(2);
    expect(simdStats.SimdSoftmaxGrad - b0).toBe(1);
    const want = run((x, b) => tf.softmax(tf.add(tf.mul(x, scale), b)));
    got.forEach((t, i) => expect(firstDifference(t, want[i]), `output ${i}`).toBe(-1));
  });
});

describe('attention bias built in JS (model.ts attentionBiasJs)', () => {
  it.each([
    ['a training batch', 5, 9, 0, 9],
    ['one decoded position over a cache', 4, 1, 11, 12],
    ['a prompt chunk after a cache', 3, 4, 6, 10],
  ])('%s: the same bits as the tfjs ops', (_name, N, S, start, total) => {
    const mask = Float32Array.from({ length: N * total }, () => (rng.float() < 0.3 ? 0 : 1));
    const run = (f: typeof attentionBias) => tf.tidy(() => bits(f(tf.tensor2d(mask, [N, total]), N, S, start, total).dataSync()));
    expect(firstDifference(run(attentionBiasJs), run(attentionBias))).toBe(-1);
  });
});

