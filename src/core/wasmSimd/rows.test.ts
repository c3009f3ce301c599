// SimdMatMulRows (asm bmmRows, ops.ts mmRowsSimd): the dense layers over a padded batch skip the padding
// rows. On the real rows the values, and all the gradients, must be mmSimd's bit for bit.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { mmRowsSimd, mmSimd, mmTSimd } from '../ops';
import { DEFAULT_GPT, GPT, denseOptions, packBatch } from '../model';
import { FusedAdam } from '../optim/fusedAdam';
import { update } from '../rl/loss';
import { scoreLogProbs } from '../sampler';
import { Rng } from '../rng';
import { rowRuns, simdMatMul, simdMatMulRows } from './bmm';
import { simdStats } from './module';
import { bits, firstDifference, values } from './testing';

beforeAll(async () => {
  await useBackend('wasm');
});

/** A padded batch's row mask: n sequences of width w, each with left and right padding (some none). */
function paddedMask(n: number, w: number): Float32Array {
  const m = new Float32Array(n * w);
  for (let i = 0; i < n; i++) {
    const left = i % 5 === 0 ? 0 : i % 4;
    const len = i % 7 === 1 ? 2 : Math.min(w - left, 3 + ((i * 5) % w)); // some runs shorter than a 4-row tile
    m.fill(1, i * w + left, i * w + left + len);
  }
  return m;
}

/** dy with its padding rows ±0 (as the gradients of padding rows are), real rows random. */
function padZeroed(rows: number, cols: number, mask: Float32Array): tf.Tensor2D {
  const v = values(rows * cols);
  for (let r = 0; r < rows; r++) if (!mask[r]) for (let c = 0; c < cols; c++) v[r * cols + c] = c % 2 ? -0 : 0;
  return tf.tensor2d(v, [rows, cols]);
}

describe('SimdMatMulRows: products over the real rows of a padded batch', () => {
  it('rowRuns gives the [start, end) runs of 1s', () => {
    expect([...rowRuns([0, 1, 1, 0, 1, 0, 0, 1, 1, 1])]).toEqual([1, 3, 4, 5, 7, 10]);
    expect([...rowRuns([0, 0])]).toEqual([]);
    expect([...rowRuns([1, 1])]).toEqual([0, 2]);
  });

  it.each([
    ['the model shape', 12, 38, 64, 256],
    ['K over a 256 cache block, ragged N', 9, 31, 300, 45],
    ['tiny', 3, 5, 4, 3],
  ])('%s: rows as mmSimd on real rows, +0 elsewhere; dX and dW bit-identical', (_n, n, w, K, N) => {
    const mask = paddedMask(n, w);
    const runs = rowRuns(mask);
    const R = n * w;
    const x = tf.tensor2d(values(R * K), [R, K]);
    const W = tf.tensor2d(values(K * N), [K, N]);
    const dy = padZeroed(R, N, mask);
    const ran = simdStats.SimdMatMulRows ?? 0;
    const fwd = bits(simdMatMulRows(x, W, false, false, runs).dataSync());
    const full = bits(simdMatMul(x, W, false, false).dataSync());
    for (let r = 0; r < R; r++) {
      const got = fwd.slice(r * N, (r + 1) * N);
      expect(firstDifference(got, mask[r] ? full.slice(r * N, (r + 1) * N) : new Array(N).fill(0)), `row ${r}`).toBe(-1);
    }
    expect(firstDifference(bits(simdMatMulRows(dy, W, false, true, runs).dataSync()), bits(simdMatMul(dy, W, false, true).dataSync()))).toBe(-1);
    expect(firstDifference(bits(simdMatMulRows(x, dy, true, false, runs).dataSync()), bits(simdMatMul(x, dy, true, false).dataSync()))).toBe(-1);
    expect((simdStats.SimdMatMulRows ?? 0) - ran).toBe(3);
    tf.dispose([x, W, dy]);
  });

  it('no real rows: a zero product; a run that is every row: the full product', () => {
    const x = tf.tensor2d(values(6 * 5), [6, 5]);
    const W = tf.tensor2d(values(5 * 7), [5, 7]);
    expect(simdMatMulRows(x, W, false, false, new Int32Array()).dataSync().every((v) => Object.is(v, 0))).toBe(true);
    expect(simdMatMulRows(x, x, true, false, new Int32Array()).dataSync().every((v) => Object.is(v, 0))).toBe(true);
    expect(bits(simdMatMulRows(x, W, false, false, Int32Array.from([0, 6])).dataSync())).toEqual(bits(simdMatMul(x, W, false, false).dataSync()));
    tf.dispose([x, W]);
  });

  it('refuses runs out of order or out of range', () => {
    const x = tf.zeros([6, 5]);
    const W = tf.zeros([5, 7]);
    expect(() => simdMatMulRows(x, W, false, false, Int32Array.from([3, 5, 1, 2]))).toThrow(/ascending row runs/);
    expect(() => simdMatMulRows(x, W, false, false, Int32Array.from([0, 7]))).toThrow(/ascending row runs/);
    tf.dispose([x, W]);
  });

  it('mmRowsSimd under autodiff: the masked loss, its value and both gradients equal mmSimd/mmTSimd bit for bit', () => {
    const n = 8, w = 19, K = 64, N = 48;
    const mask = paddedMask(n, w);
    const rows = mmRowsSimd(rowRuns(mask));
    const m = tf.tensor2d(mask, [n * w, 1]);
    const x0 = tf.tensor2d(values(n * w * K), [n * w, K]);
    const w0 = tf.tensor2d(values(K * N), [K, N]);
    const wT = tf.tensor2d(values(32 * N), [32, N]); // the head: mmT(h, wT) = h · wTᵀ
    // Padding rows never reach the loss (the model masks them), so their gradients are ±0 on both paths.
    const loss = (mm: typeof mmSimd, mmT: typeof mmTSimd) => (x: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.square(mmT(mm(x, a), b)), m));
    const run = (mm: typeof mmSimd, mmT: typeof mmTSimd) => tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads(loss(mm, mmT))([x0, w0, wT]);
      return [bits(value.dataSync()), ...grads.map((g) => bits(g.dataSync()))];
    });
    const want = run(mmSimd, mmTSimd);
    const got = run(rows.mm, rows.mmT);
    expect(got.map((g, i) => firstDifference(g, want[i]))).toEqual([-1, -1, -1, -1]);
    tf.dispose([m, x0, w0, wT]);
  });

  it('the RL update of a padded batch: loss, grad norm, stats and new weights equal with and without the skip', async () => {
    const rng = new Rng(4);
    const n = 12;
    const prompts = Array.from({ length: n }, (_, i) => Array.from({ length: 3 + (i % 5) }, () => 3 + Math.floor(rng.float() * 18)));
    const responses = Array.from({ length: n }, (_, i) => Array.from({ length: 1 + ((i * 7) % 13) }, () => 3 + Math.floor(rng.float() * 18)));
    const packed = packBatch(prompts, responses);
    const model0 = new GPT(DEFAULT_GPT, 3);
    const old = await scoreLogProbs(model0, prompts, responses);
    const logpOld = new Float32Array(n * packed.contWidth);
    old.forEach((r, i) => logpOld.set(r.map((v) => v - 0.05 * (i % 3)), i * packed.contWidth)); // ratios ≠ 1: the clip acts
    const batch = { packed, logpOld, logpRef: logpOld.map((v) => v + 0.02), advantages: Float32Array.from({ length: n }, (_, i) => (i % 4) - 1.5), offPolicy: new Float32Array(n) };
    const loss = { epsLow: 0.2, epsHigh: 0.28, beta: 0.1, aggregation: 'token-mean' as const, maxNewTokens: 16 };
    const run = async (skip: boolean) => {
      denseOptions.skipPaddingRows = skip;
      const model = new GPT(DEFAULT_GPT, 3);
      const opt = new FusedAdam(1e-3);
      const rows = simdStats.SimdMatMulRows ?? 0;
      const results = [await update(model, opt, batch, loss, 1), await update(model, opt, batch, loss, 1)];
      const ran = (simdStats.SimdMatMulRows ?? 0) - rows;
      const weights = [...model.weights.values()].map((w) => bits(w.dataSync()));
      model.dispose();
      opt.dispose();
      return { results: results.map((r) => [r.loss, r.gradNorm, r.kl, r.entropy, r.clipFracLow, r.clipFracHigh]), weights, ran };
    };
    try {
      const skipped = await run(true);
      const full = await run(false);
      expect(skipped.ran).toBeGreaterThan(0);
      expect(full.ran).toBe(0);
      expect(skipped.results).toEqual(full.results);
      expect(skipped.weights.map((w, i) => firstDifference(w, full.weights[i]))).toEqual(full.weights.map(() => -1));
    } finally {
      denseOptions.skipPaddingRows = true;
      model0.dispose();
    }
  });
});
