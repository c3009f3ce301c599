// Our wasm kernels (src/core/wasmSimd/) must give tfjs-wasm's values bit for bit, so wasm training records
// do not change, and must actually run where they are meant to (a counter, not only equal values).
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { simdStats, tfjsKernels } from './module';
import { simdMatMul } from './bmm';
import { mm, mmSimd, mmT, mmTSimd } from '../ops';
import { biasGeluUnfused, layerNormUnfused, ropeUnfused } from '../kernels/fusedOps';
import { qkvHeadsSimd } from './qkvHeads';
import { attentionSoftmaxSimd } from './attention';
import { attentionBias, attentionBiasJs } from '../model';
import { layerNormSimd, layerNormSkipSimd } from './layerNorm';
import { biasGeluSimd } from './gelu';
import { Rng } from '../rng';

/** Runs fn with tfjs-wasm's own kernel `name` registered instead of ours. */
function withTfjsKernel<T>(name: string, fn: () => T): T {
  const ours = tf.getKernel(name, 'wasm')!;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(tfjsKernels.get(name)!);
  try {
    return fn();
  } finally {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(ours);
  }
}

/** The bits of each value; every NaN as one NaN (wasm leaves a NaN's sign and payload to the CPU). */
const bits = (x: tf.TypedArray) =>
  x instanceof Float32Array ? Array.from(new Uint32Array(x.slice().buffer), (u) => ((u & 0x7f800000) === 0x7f800000 && u & 0x7fffff ? 0x7fc00000 : u)) : Array.from(x);

/** The first index where two results differ, -1 if none (a readable failure for big arrays). */
const firstDifference = (got: number[], want: number[]) => (got.length !== want.length ? -2 : got.findIndex((g, i) => g !== want[i]));

/** fn's result with our kernel and with tfjs's, and how many times ours ran. */
function both(name: string, fn: () => tf.Tensor) {
  const run = () => tf.tidy(() => bits(fn().dataSync()));
  const before = simdStats[name] ?? 0;
  const got = run();
  const ran = (simdStats[name] ?? 0) - before;
  return { got, want: withTfjsKernel(name, run), ran };
}

const rng = new Rng(11);
const values = (n: number, special = false) =>
  Float32Array.from({ length: n }, (_, i) => (special && i % 17 === 3 ? [NaN, Infinity, -Infinity, -0][i % 4] : (rng.float() - 0.5) * 6));
const sz = (s: number[]) => s.reduce((x, y) => x * y, 1);
const pick = <T>(xs: T[]) => xs[Math.floor(rng.float() * xs.length)];

beforeAll(async () => {
  await useBackend('wasm');
});

describe('BatchMatMul (asm/matmul.ts)', () => {
  const product = (aShape: number[], bShape: number[], tA = false, tB = false, special = false) => {
    const a = values(sz(aShape), special);
    const b = values(sz(bShape), special);
    return both('BatchMatMul', () => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), tA, tB));
  };

  it.each([
    ['attention scores', [64, 4, 38, 16], [64, 4, 16, 38]],
    ['attention values', [64, 4, 38, 38], [64, 4, 38, 16]],
    ['k crosses the 48-block twice', [3, 5, 97], [3, 97, 7]],
    ['every tail: 4 rows + 3, 8 + 4 + 3 columns', [2, 7, 49], [2, 49, 15]],
    ['one row, one column', [5, 1, 3], [5, 3, 1]],
  ])('%s: bit-identical, ours ran', (_name, aShape, bShape) => {
    const { got, want, ran } = product(aShape, bShape);
    expect(ran).toBe(1);
    expect(firstDifference(got, want)).toBe(-1);
  });

  it('bit-identical under every transpose flag, batched and not, on random shapes', () => {
    const dims = [1, 2, 3, 4, 5, 8, 9, 16, 17, 47, 48, 49, 95, 96, 97];
    for (let t = 0; t < 40; t++) {
      const [B, M, K, N] = [pick([2, 3]), pick(dims), pick(dims), pick(dims)];
      const [tA, tB] = [t % 2 === 1, t % 4 >= 2];
      const batch = t % 8 >= 4 ? [B] : [];
      const aShape = [...batch, ...(tA ? [K, M] : [M, K])];
      const bShape = [...batch, ...(tB ? [N, K] : [K, N])];
      const { got, want, ran } = product(aShape, bShape, tA, tB);
      const label = `${aShape} × ${bShape} tA=${tA} tB=${tB}`;
      expect(ran, label).toBe(batch.length || tA || tB ? 1 : 0);
      expect(firstDifference(got, want), label).toBe(-1);
    }
  });

  it('NaN, ±Infinity and -0 come out as in tfjs-wasm', () => {
    const { got, want, ran } = product([3, 9, 50], [3, 50, 13], false, false, true);
    expect(ran).toBe(1);
    expect(firstDifference(got, want)).toBe(-1);
  });

  it('batch-1 flag-free products stay on XNNPACK; broadcast batches stay on tfjs', () => {
    expect(product([1, 6, 8], [1, 8, 5]).ran).toBe(0);
    expect(product([6, 8], [8, 5]).ran).toBe(0);
    const { got, want, ran } = product([3, 6, 8], [1, 8, 5]);
    expect(ran).toBe(0);
    expect(firstDifference(got, want)).toBe(-1);
  });

  it('its gradient (transpose flags) matches tfjs-wasm bit for bit', () => {
    const a = values(4 * 11 * 20);
    const b = values(4 * 20 * 13);
    const grads = () => tf.tidy(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y))))([tf.tensor(a, [4, 11, 20]), tf.tensor(b, [4, 20, 13])]).map((g) => bits(g.dataSync())));
    expect(grads()).toEqual(withTfjsKernel('BatchMatMul', grads));
  });
});

describe('SimdMatMul: transposed products with the values of the explicit-transpose form', () => {
  it('equals tfjs-wasm on explicitly transposed operands (XNNPACK order for batch 1, the scalar loop for batches)', () => {
    const dims = [1, 3, 4, 8, 9, 17, 47, 48, 49, 97, 300];
    const fixed: [number, number, number, boolean, boolean, number[]][] = [
      [64, 2432, 256, true, false, []], // a weight gradient xᵀ·dy: K spans many cache blocks of 256
      [37, 600, 45, false, true, []],
      [13, 513, 6, true, true, []],
    ];
    for (let t = 0; t < 43; t++) {
      const [M, K, N, tA, tB, batch] = fixed[t - 40] ?? [pick(dims), pick(dims), pick(dims), t % 2 === 1, t % 4 >= 2, t % 8 >= 4 ? [pick([2, 3])] : []];
      const aShape = [...batch, ...(tA ? [K, M] : [M, K])];
      const bShape = [...batch, ...(tB ? [N, K] : [K, N])];
      const [a, b] = [values(sz(aShape)), values(sz(bShape))];
      const label = `${aShape} × ${bShape} tA=${tA} tB=${tB}`;
      const swap = (x: tf.Tensor, on: boolean) => (on ? tf.transpose(x, [...batch.keys(), batch.length + 1, batch.length]) : x);
      const before = simdStats.SimdMatMul ?? 0;
      const got = tf.tidy(() => bits(simdMatMul(tf.tensor(a, aShape), tf.tensor(b, bShape), tA, tB).dataSync()));
      expect(simdStats.SimdMatMul - before, label).toBe(1);
      const want = withTfjsKernel('BatchMatMul', () => tf.tidy(() => bits(tf.matMul(swap(tf.tensor(a, aShape), tA), swap(tf.tensor(b, bShape), tB)).dataSync())));
      expect(firstDifference(got, want), label).toBe(-1);
    }
  });

  it('upcasts int32 operands as tf.matMul does (one-hot embedding gradients)', () => {
    const a = Int32Array.from({ length: 30 * 7 }, (_, i) => (i % 7 === i % 3 ? 1 : 0));
    const b = values(30 * 5);
    const got = tf.tidy(() => bits(simdMatMul(tf.tensor(a, [30, 7], 'int32'), tf.tensor(b, [30, 5]), true, false).dataSync()));
    const want = tf.tidy(() => bits(tf.matMul(tf.transpose(tf.tensor(a, [30, 7], 'int32')), tf.tensor(b, [30, 5])).dataSync()));
    expect(firstDifference(got, want)).toBe(-1);
  });

  it.each([
    ['a linear layer', [37, 64], [64, 96], 'mm'],
    ['attention values', [3, 4, 11, 11], [3, 4, 11, 16], 'mm'],
    ['attention scores', [3, 4, 11, 16], [3, 4, 11, 16], 'mmT'],
    ['a 2-D a·bᵀ', [21, 64], [50, 64], 'mmT'],
  ] as const)('%s: mmSimd/mmTSimd give the values and gradients of the explicit-transpose mm/mmT', (_name, aShape, bShape, which) => {
    const [a, b] = [values(sz([...aShape])), values(sz([...bShape]))];
    const plain = which === 'mm' ? mm : mmT;
    const simd = which === 'mm' ? mmSimd : mmTSimd;
    const outShape = [...aShape.slice(0, -1), which === 'mm' ? bShape[bShape.length - 1] : bShape[bShape.length - 2]];
    const wv = values(sz(outShape));
    const run = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) =>
      tf.tidy(() => {
        const [x, y] = [tf.tensor(a, [...aShape]), tf.tensor(b, [...bShape])];
        const w = tf.tensor(wv, outShape);
        const { value, grads } = tf.valueAndGrads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(f(p, q), w)))([x, y]);
        return [bits(f(x, y).dataSync()), bits(value.dataSync()), ...grads.map((g) => bits(g.dataSync()))];
      });
    const got = run(simd);
    const want = withTfjsKernel('BatchMatMul', () => run(plain));
    got.forEach((g, i) => expect(firstDifference(g, want[i]), `output ${i}`).toBe(-1));
  });
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

describe('Sum over leading axes (asm/reduce.ts)', () => {
  it('random shapes and axes, keepDims or not: bit-identical; ours ran only on leading axes', () => {
    for (let t = 0; t < 40; t++) {
      const rank = 1 + (t % 4);
      const shape = Array.from({ length: rank }, () => pick([1, 2, 3, 5, 13, 64, 97]));
      const axes = [...Array(rank).keys()].filter(() => rng.float() < 0.5);
      const keepDims = t % 3 === 0;
      const x = values(sz(shape), t % 5 === 0);
      const { got, want, ran } = both('Sum', () => tf.sum(tf.tensor(x, shape), axes.length ? axes : undefined, keepDims));
      const label = `${shape} axes ${axes} keepDims ${keepDims}`;
      expect(firstDifference(got, want), label).toBe(-1);
      expect(ran, label).toBe(axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i) ? 1 : 0);
    }
    const big = values(2432 * 256);
    const { got, want, ran } = both('Sum', () => tf.sum(tf.tensor(big, [2432, 256]), 0));
    expect(ran).toBe(1);
    expect(firstDifference(got, want)).toBe(-1);
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

describe('Slice', () => {
  it('random slices up to rank 5, float32 and int32, with -1 sizes; ours ran', () => {
    for (let t = 0; t < 60; t++) {
      const rank = 1 + (t % 5);
      const shape = Array.from({ length: rank }, () => pick([1, 2, 3, 5, 8, 17]));
      const begin = shape.map((d) => Math.floor(rng.float() * d));
      const size = shape.map((d, i) => (rng.float() < 0.2 ? -1 : Math.floor(rng.float() * (d - begin[i] + 1))));
      const x = values(sz(shape));
      const int = t % 3 === 0;
      const make = () => (int ? tf.tensor(Int32Array.from(x, (v) => Math.round(v * 100)), shape, 'int32') : tf.tensor(x, shape));
      const { got, want, ran } = both('Slice', () => tf.slice(make(), begin, size));
      expect(firstDifference(got, want), `${shape} begin ${begin} size ${size}`).toBe(-1);
      expect(ran <= 1).toBe(true);
    }
    const big = values(2432 * 192);
    const { got, want, ran } = both('Slice', () => tf.slice(tf.tensor(big, [2432, 192]), [0, 64], [2432, 64]));
    expect(ran).toBe(1);
    expect(firstDifference(got, want)).toBe(-1);
  });
});

describe('the module', () => {
  it('the committed binary is what asm/*.ts compile to', () => {
    expect(execFileSync(process.execPath, ['asm/build.mjs', '--check'], { encoding: 'utf8' })).toContain('up to date');
  });
});
