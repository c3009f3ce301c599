// softmax(scores·scale + bias) on wasm with our module (asm/attention.ts) around tfjs-wasm's own Softmax:
// the bits of the tfjs ops model.ts runs there, and of their autodiff, in 2 kernels of ours instead of 7.
import * as tf from '@tensorflow/tfjs';
import { simdFor } from './module';

const SCALE_BIAS = 'SimdScaleBias';
const SOFTMAX_GRAD = 'SimdSoftmaxGrad';

/** scores [N, H, S, T], bias [N, 1, S, T] → scores·scale + bias. */
const scaleBiasConfig: tf.KernelConfig = {
  kernelName: SCALE_BIAS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { scores, bias } = inputs as Record<string, tf.TensorInfo>;
    const mod = simdFor(backend, SCALE_BIAS);
    const [N, H, S, T] = scores.shape;
    const z = mod.be.makeOutput(scores.shape, 'float32');
    mod.fn.scaleBias(mod.ptr(scores), mod.ptr(bias), mod.ptr(z), N, H, S * T, (attrs as { scale: number }).scale);
    return z;
  },
};

/** dy, y (the softmax) [.., T] → the gradient of the scores. */
const softmaxGradConfig: tf.KernelConfig = {
  kernelName: SOFTMAX_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, y } = inputs as Record<string, tf.TensorInfo>;
    const mod = simdFor(backend, SOFTMAX_GRAD);
    const T = y.shape[y.shape.length - 1];
    const out = mod.be.makeOutput(y.shape, 'float32');
    mod.fn.softmaxGrad(mod.ptr(dy), mod.ptr(y), mod.ptr(out), mod.scratchFor(4 * T), tf.util.sizeFromShape(y.shape) / T, T, (attrs as { scale: number }).scale);
    return out;
  },
};

export function registerAttentionKernels(): void {
  tf.registerKernel(scaleBiasConfig);
  tf.registerKernel(softmaxGradConfig);
}

/** softmax(scores·scale + bias) over the last axis: scores [N, H, S, T] float32, bias [N, 1, S, T] (a
 *  constant: no gradient). On wasm with our module (wasmSimdActive). Call inside tf.tidy. */
export function attentionSoftmaxSimd(scores: tf.Tensor, bias: tf.Tensor, scale: number): tf.Tensor {
  const f = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const z = tf.engine().runKernel(SCALE_BIAS, { scores: x, bias }, { scale }) as tf.Tensor;
    const y = tf.softmax(z); // tfjs-wasm's own
    z.dispose();
    save([y]);
    return { value: y, gradFunc: (dy: tf.Tensor, [sy]: tf.Tensor[]) => tf.engine().runKernel(SOFTMAX_GRAD, { dy, y: sy }, { scale }) as tf.Tensor };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;
  return f(scores);
}
