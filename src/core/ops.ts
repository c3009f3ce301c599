// Small differentiable building blocks shared by the model and the losses.
import * as tf from '@tensorflow/tfjs';
import { simdMatMul, simdMatMulRows } from './wasmSimd/bmm';

/** Swaps the last two axes. */
function swapLast(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

/**
 * a · b for rank-2 or batched rank-4 operands, whose gradient uses explicit transposes and plain
 * matmuls. tfjs-backend-wasm runs transposed BatchMatMul (what matMul's own gradient emits) about
 * 10× slower than a transpose followed by an untransposed matmul, and that dominated training time.
 */
export const mm = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [tf.matMul(dy as tf.Tensor2D, swapLast(sb) as tf.Tensor2D), tf.matMul(swapLast(sa) as tf.Tensor2D, dy as tf.Tensor2D)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** a · bᵀ on the last two axes (e.g. queries · keysᵀ), through `mm`. */
export function mmT(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return mm(a, swapLast(b));
}

type Mat = tf.Tensor2D; // matMul's typing; rank-4 batched operands work the same way
type MatMul = (a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean) => tf.Tensor;

/** a · b's gradients, dL/da = dy·bᵀ and dL/db = aᵀ·dy, through transpose flags. */
const productGrads = (matMul: MatMul, dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => [matMul(dy, b, false, true), matMul(a, dy, true, false)];

/** `mm` and `mmT` whose gradients dy·bᵀ and aᵀ·dy use transpose flags instead of Transpose kernels. */
function flagged(matMul: MatMul) {
  const grad = <F>(f: F) => tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  return {
    /** a · b. */
    mm: grad((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
      save([a, b]);
      return { value: matMul(a, b, false, false), gradFunc: (dy: tf.Tensor, [sa, sb]: tf.Tensor[]) => productGrads(matMul, dy, sa, sb) };
    }),
    /** a · bᵀ: a [.., M, K], b [.., P, K] → [.., M, P]; dL/da = dy·b, dL/db = dyᵀ·a. */
    mmT: grad((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
      save([a, b]);
      return { value: matMul(a, b, false, true), gradFunc: (dy: tf.Tensor, [sa, sb]: tf.Tensor[]) => [matMul(dy, sb, false, false), matMul(dy, sa, true, false)] };
    }),
  };
}

/**
 * For backends whose BatchMatMul reads transposed operands natively (webgpu, cpu: GPT.forward picks these
 * where the fused kernels run). On WebGPU each Transpose is a dispatch (~0.1 ms of host time) for no arithmetic.
 */
const matMulFlags: MatMul = (a, b, tA, tB) => tf.matMul(a as Mat, b as Mat, tA, tB);
export const { mm: mmFlags, mmT: mmTFlags } = flagged(matMulFlags);

/**
 * a · b + c in one kernel where mmFlags runs (c: [M, N] or [N]; tfjs's fused matMul adds it as the
 * product's epilogue, the same float operation as a separate Add). Folds a bias or a residual into the
 * product: one dispatch fewer on WebGPU. Gradients: dy·bᵀ, aᵀ·dy, and dy summed to c's shape.
 */
export const mmAddFlags = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.fused.matMul({ a: a as Mat, b: b as Mat, bias: c }),
    gradFunc: (dy: tf.Tensor, [sa, sb]: tf.Tensor[]) => [...productGrads(matMulFlags, dy, sa, sb), c.rank === dy.rank ? dy : tf.sum(dy, 0)],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.Tensor;

/**
 * For wasm with our SIMD module: transposed products go to SimdMatMul, which gives the values tfjs-wasm
 * computes for the explicit-transpose form above (`mm`, `mmT`), so records do not change, with no
 * Transpose kernels (wasmSimd/bmm.ts).
 */
export const { mm: mmSimd, mmT: mmTSimd } = flagged((a, b, tA, tB) => (tA || tB ? simdMatMul(a, b, tA, tB) : tf.matMul(a as Mat, b as Mat)));

/**
 * For wasm with our module, a full forward over a padded batch: the dense layers' products and their
 * gradients skip the padding rows (~40 % of a default batch's rows), through SimdMatMulRows. On the real
 * rows the values, and the weight gradients, are mmSimd's bit for bit (wasmSimd/bmm.ts, asm bmmRows);
 * padding rows come out +0, and every gradient flowing from them was ±0 already. `runs` from rowRuns.
 */
export const mmRowsSimd = (runs: Int32Array) => flagged((a, b, tA, tB) => simdMatMulRows(a, b, tA, tB, runs));

/** [x1, x2] → [x2, x1] on the last axis, as a 2-D matmul with a 0/1 permutation: exact (each output is
 *  one input times 1 plus zeros). Used by rope: on wasm this one XNNPACK matmul is several times faster
 *  than the SplitV and Concat it replaces. */
function permuteHalves(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const d = x.shape[x.rank - 1];
    const p = new Float32Array(d * d);
    for (let i = 0; i < d; i++) p[i * d + ((i + d / 2) % d)] = 1; // symmetric: swapping twice is the identity
    return tf.matMul(x.reshape([-1, d]) as tf.Tensor2D, tf.tensor2d(p, [d, d])).reshape(x.shape);
  });
}

/** Swaps the two halves of the last axis; its gradient is the same swap (the permutation is symmetric). */
export const swapHalves = tf.customGrad(((x: tf.Tensor) => ({
  value: permuteHalves(x),
  gradFunc: (dy: tf.Tensor) => permuteHalves(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as <T extends tf.Tensor>(x: T) => T;

/**
 * Most tensors one kernel may take as inputs. tfjs-backend-webgpu binds every input as a storage
 * buffer and creates its device with the default limit of 8 per shader stage (one goes to the
 * output); a kernel over the limit makes an invalid pipeline and WebGPU silently drops the whole
 * submitted batch of work (docs/DESIGN.md §8.9). Every many-input op in src/ stays at or under this.
 */
export const MAX_KERNEL_INPUTS = 7;

/**
 * Combines many tensors with a many-input op (AddN, Concat) as a tree of kernels that each take at most
 * MAX_KERNEL_INPUTS inputs. Returns xs[0] itself when there is only one. Call inside tf.tidy.
 */
export function treeReduce(xs: tf.Tensor[], combine: (chunk: tf.Tensor[]) => tf.Tensor): tf.Tensor {
  let level = xs;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += MAX_KERNEL_INPUTS) {
      const chunk = level.slice(i, i + MAX_KERNEL_INPUTS);
      next.push(chunk.length === 1 ? chunk[0] : combine(chunk)); // ≤ MAX_KERNEL_INPUTS inputs
    }
    level = next;
  }
  return level[0];
}

/**
 * Element-wise sum of same-shaped tensors, as a tree of AddN kernels with at most
 * MAX_KERNEL_INPUTS inputs each (33 gradients: 5 + 1 kernels). Use this, never a raw many-input addN.
 */
export function sumN<T extends tf.Tensor>(xs: T[]): T {
  if (xs.length === 0) throw new Error('sumN of no tensors');
  return tf.tidy(() => {
    const sum = treeReduce(xs, (chunk) => tf.addN(chunk));
    return sum === xs[0] ? tf.clone(sum) : sum;
  }) as T;
}
