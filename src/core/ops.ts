// Small differentiable building blocks shared by the model and the losses.
import * as tf from '@tensorflow/tfjs';

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
