// Our wasm matmuls, Sum, Slice and Concat (src/core/wasmSimd/) must give tfjs-wasm's values bit for bit, so wasm
// training records do not change, and must actually run where they are meant to (a counter, not only equal
// values). The fused ops are in fusedKernels.test.ts.
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { simdStats } from './module';
import { simdMatMul } from './bmm';
import { mm, mmSimd, mmT, mmTSimd } from '../ops';
import { bits, both, firstDifference, pick, rng, sz, values, withTfjsKernel } from './testing';

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
      expect(ran, label).toBe(1);
      expect(firstDifference(got, want), label).toBe(-1);
    }
  });

  it('NaN, ±Infinity and -0 come out as in tfjs-wasm', () => {
    const { got, want, ran } = product([3, 9, 50], [3, 50, 13], false, false, true);
    expect(ran).toBe(1);
    expect(firstDifference(got, want)).toBe(-1);
  });

  it.each([
    ['the model forward, K in one cache block', [2432, 64], [64, 256], false],
    ['K over two cache blocks, ragged rows and columns', [37, 600], [600, 45], false],
    ['batch 1 with a batch axis', [1, 6, 8], [1, 8, 5], false],
    ['NaN, ±Infinity and -0', [9, 70], [70, 13], true],
  ])('batch-1 flag-free products (XNNPACK in tfjs-wasm), %s: ours ran, same bits', (_name, aShape, bShape, special) => {
    const { got, want, ran } = product(aShape as number[], bShape as number[], false, false, special as boolean);
    expect(ran).toBe(1);
    expect(firstDifference(got, want)).toBe(-1);
  });

  it('broadcast batches stay on tfjs', () => {
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

describe('Concat', () => {
  it('random concats of 1-4 inputs along every axis up to rank 4, float32 and int32, empty inputs; ours ran', () => {
    for (let t = 0; t < 60; t++) {
      const rank = 1 + (t % 4);
      const shape = Array.from({ length: rank }, () => pick([1, 2, 3, 5, 8]));
      const axis = t % rank;
      const parts = Array.from({ length: 1 + (t % 4) }, (_, i) => shape.map((d, a) => (a === axis ? (i === 1 && t % 5 === 0 ? 0 : pick([1, 2, 4])) : d)));
      const int = t % 3 === 0;
      const make = (s: number[]) => {
        const x = values(sz(s));
        return int ? tf.tensor(Int32Array.from(x, (v) => Math.round(v * 100)), s, 'int32') : tf.tensor(x, s);
      };
      const seeds = parts.map((s) => make(s));
      const { got, want, ran } = both('Concat', () => tf.concat(seeds.map((x) => x.clone()), axis));
      seeds.forEach((x) => x.dispose());
      const nonEmpty = parts.filter((s) => sz(s) > 0).length;
      expect(firstDifference(got, want), `${JSON.stringify(parts)} axis ${axis}`).toBe(-1);
      expect(ran, `${JSON.stringify(parts)} axis ${axis}`).toBe(nonEmpty >= 2 ? 1 : 0);
    }
  });

  it('the KV cache of a decode step: [64, 4, t, 16] + [64, 4, 1, 16] along axis 2', () => {
    const past = tf.tensor(values(64 * 4 * 20 * 16), [64, 4, 20, 16]);
    const next = tf.tensor(values(64 * 4 * 16), [64, 4, 1, 16]);
    const { got, want, ran } = both('Concat', () => tf.concat([past, next], 2));
    expect(ran).toBe(1);
    expect(firstDifference(got, want)).toBe(-1);
    tf.dispose([past, next]);
  });
});

describe('the module', () => {
  it('the committed binary is what asm/*.ts compile to', () => {
    expect(execFileSync(process.execPath, ['asm/build.mjs', '--check'], { encoding: 'utf8' })).toContain('up to date');
  });
});
