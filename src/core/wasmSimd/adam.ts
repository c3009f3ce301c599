// FusedAdam's step on wasm through our module (asm/adam.ts): tfjs 4.22's AdamOptimizer op for op, with
// the same bits, as one kernel per variable instead of 15.
import * as tf from '@tensorflow/tfjs';
import { simdFor } from './module';

const KERNEL = 'SimdAdam';

export interface SimdAdamAttrs {
  scale: number; // the clipping factor; 1 skips the multiply, as tfjsStep does
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

const config: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { grad, m, v, w, om1, om2 } = inputs as Record<string, tf.TensorInfo>;
    const a = attrs as unknown as SimdAdamAttrs;
    const mod = simdFor(backend, KERNEL);
    const [mOut, vOut, wOut] = [m, v, w].map((t) => mod.be.makeOutput(t.shape, 'float32'));
    // The scalars as tfjs's ops make them: JS numbers, rounded to float32 at the call (1 − β in float64 first).
    mod.fn.adamStep(mod.ptr(grad), mod.ptr(m), mod.ptr(v), mod.ptr(w), mod.ptr(om1), mod.ptr(om2), mod.ptr(mOut), mod.ptr(vOut), mod.ptr(wOut), tf.util.sizeFromShape(w.shape),
      a.scale, a.scale === 1 ? 0 : 1, a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.epsilon, -a.learningRate);
    return [mOut, vOut, wOut];
  },
};

export function registerAdamKernel(): void {
  tf.registerKernel(config);
}

/** [m', v', w'] for one variable; om1, om2 are the float32 tensors 1 − β1ᵗ and 1 − β2ᵗ. */
export function simdAdamStep(grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, w: tf.Tensor, om1: tf.Tensor, om2: tf.Tensor, attrs: SimdAdamAttrs): tf.Tensor[] {
  return tf.engine().runKernel(KERNEL, { grad, m, v, w, om1, om2 }, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
}
