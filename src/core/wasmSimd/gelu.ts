// gelu(x + b) on wasm through our module (asm/gelu.ts): the same bits as biasGeluUnfused's tfjs ops and
// their autodiff gradient, in 2 of our kernels plus tfjs's Sigmoid, Multiply and the bias gradient's Sum.
import * as tf from '@tensorflow/tfjs';
import { GELU_A, GELU_C2 } from '../kernels/fusedOpNames';
import { simdFor } from './module';

const FORWARD = 'SimdGeluForward';
const BACKWARD = 'SimdGeluBackward';

/** x [.., F], b [F] → h = x + b and inner = (h + h³·A)·C2, both [.., F]. */
const forwardConfig: tf.KernelConfig = {
  kernelName: FORWARD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { x, b } = inputs as { x: tf.TensorInfo; b: tf.TensorInfo };
    const mod = simdFor(backend, FORWARD);
    const cols = x.shape[x.shape.length - 1];
    const h = mod.be.makeOutput(x.shape, 'float32');
    const inner = mod.be.makeOutput(x.shape, 'float32');
    mod.fn.geluForward(mod.ptr(x), mod.ptr(b), mod.ptr(h), mod.ptr(inner), tf.util.sizeFromShape(x.shape) / cols, cols, GELU_A, GELU_C2);
    return [h, inner];
  },
};

/** dy, h, s = σ(inner) → dL/dh. */
const backwardConfig: tf.KernelConfig = {
  kernelName: BACKWARD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { dy, h, s } = inputs as { dy: tf.TensorInfo; h: tf.TensorInfo; s: tf.TensorInfo };
    const mod = simdFor(backend, BACKWARD);
    const dh = mod.be.makeOutput(h.shape, 'float32');
    mod.fn.geluBackward(mod.ptr(dy), mod.ptr(h), mod.ptr(s), mod.ptr(dh), tf.util.sizeFromShape(h.shape), GELU_A, GELU_C2);
    return dh;
  },
};

export function registerGeluKernels(): void {
  tf.registerKernel(forwardConfig);
  tf.registerKernel(backwardConfig);
}

/** gelu(x + b), x [.., F] and b [F] float32, on wasm with our module (wasmSimdActive). Call inside tf.tidy. */
export const biasGeluSimd = tf.customGrad(((x: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  const [h, inner] = tf.engine().runKernel(FORWARD, { x, b }) as tf.Tensor[];
  const s = tf.sigmoid(inner); // tfjs-wasm's own, as in the unfused chain
  inner.dispose();
  save([h, s]);
  return {
    value: tf.mul(h, s),
    gradFunc: (dy: tf.Tensor, [sh, ss]: tf.Tensor[]) => {
      const dh = tf.engine().runKernel(BACKWARD, { dy, h: sh, s: ss }) as tf.Tensor;
      // Add's gradient, as tfjs takes it: dx is dh; db sums dh over the broadcast (leading) axes.
      return [dh, tf.reshape(tf.sum(dh, [...Array(dh.rank - 1).keys()]), b.shape)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor, b: tf.Tensor) => tf.Tensor;
