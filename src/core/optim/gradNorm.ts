// The global gradient norm √(Σ over all gradients of Σ g²), for clipping.
// On WebGPU: one RepoSumSquares dispatch per ≤ 7 gradients, then the ≤ 7-input sum tree and a sqrt
// (7 dispatches for 33 gradients instead of ~73; each costs ~85 µs on a real GPU, docs/DESIGN.md §8.10).
// Elsewhere: exactly the ops update() always used, so cpu and wasm records stay bit-identical.
import * as tf from '@tensorflow/tfjs';
import { MAX_KERNEL_INPUTS, sumN } from '../ops';
import { fusedOptimAvailable, SUM_SQUARES_KERNEL } from './adamWebGPU';

/** The global L2 norm of `grads` as a scalar tensor (the caller disposes it). */
export function globalNorm(grads: tf.Tensor[]): tf.Scalar {
  if (grads.length === 0) throw new Error('globalNorm of no gradients');
  const fused = fusedOptimAvailable();
  return tf.tidy(() => {
    if (!fused) return tf.sqrt(sumN(grads.map((g) => tf.sum(tf.square(g))))); // sumN: ≤ 7 inputs per kernel (§8.9)
    const partial: tf.Tensor[] = [];
    for (let i = 0; i < grads.length; i += MAX_KERNEL_INPUTS) {
      const inputs = Object.fromEntries(grads.slice(i, i + MAX_KERNEL_INPUTS).map((g, k) => [`x${k}`, g]));
      partial.push(tf.engine().runKernel(SUM_SQUARES_KERNEL, inputs) as tf.Tensor);
    }
    return tf.sqrt(sumN(partial));
  }) as tf.Scalar;
}
