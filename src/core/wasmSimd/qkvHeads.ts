// q, k (with RoPE) and v heads on wasm through our module (asm/qkvHeads.ts), forward and gradient, with
// the bits of model.ts's unfused heads() + ropeUnfused on tfjs ops and of their autodiff.
import * as tf from '@tensorflow/tfjs';
import { simdFor } from './module';

const FORWARD = 'SimdQkvHeads';
const BACKWARD = 'SimdQkvHeadsGrad';
type Attrs = { N: number; H: number };

/** qkv [N·S, 3C], cos and sin [S, dh/2] → q, k, v [N, H, S, dh]. */
const forwardConfig: tf.KernelConfig = {
  kernelName: FORWARD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { qkv, cos, sin } = inputs as Record<string, tf.TensorInfo>;
    const { N, H } = attrs as unknown as Attrs;
    const mod = simdFor(backend, FORWARD);
    const S = qkv.shape[0] / N;
    const dh = qkv.shape[1] / 3 / H;
    const [q, k, v] = [0, 1, 2].map(() => mod.be.makeOutput([N, H, S, dh], 'float32'));
    mod.fn.qkvForward(mod.ptr(qkv), mod.ptr(cos), mod.ptr(sin), mod.ptr(q), mod.ptr(k), mod.ptr(v), N, S, H, dh);
    return [q, k, v];
  },
};

/** dq, dk, dv [N, H, S, dh], cos, sin → dqkv [N·S, 3C]. */
const backwardConfig: tf.KernelConfig = {
  kernelName: BACKWARD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dq, dk, dv, cos, sin } = inputs as Record<string, tf.TensorInfo>;
    const { N, H } = attrs as unknown as Attrs;
    const mod = simdFor(backend, BACKWARD);
    const [, , S, dh] = dq.shape;
    const dqkv = mod.be.makeOutput([N * S, 3 * H * dh], 'float32');
    const tmp = mod.scratchFor(4 * dh);
    mod.fn.qkvBackward(mod.ptr(dq), mod.ptr(dk), mod.ptr(dv), mod.ptr(cos), mod.ptr(sin), mod.ptr(dqkv), tmp, N, S, H, dh);
    return dqkv;
  },
};

const gradConfig: tf.GradConfig = {
  kernelName: FORWARD,
  inputsToSave: ['cos', 'sin'],
  gradFunc: (dys: tf.Tensor | tf.Tensor[], [cos, sin]: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [dq, dk, dv] = dys as tf.Tensor[];
    return {
      qkv: () => tf.engine().runKernel(BACKWARD, { dq, dk, dv, cos, sin }, attrs) as tf.Tensor,
      cos: () => tf.zerosLike(cos), // the rope tables are constants: never asked for
      sin: () => tf.zerosLike(sin),
    };
  },
};

export function registerQkvHeadsKernels(): void {
  tf.registerKernel(forwardConfig);
  tf.registerKernel(backwardConfig);
  tf.registerGradient(gradConfig);
}

/** [q, k, v] [N, H, S, dh] from qkv [N·S, 3C] with RoPE (cos, sin [S, dh/2]) on q and k, on wasm with our
 *  module (wasmSimdActive). */
export function qkvHeadsSimd(qkv: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor, N: number, H: number): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  return tf.engine().runKernel(FORWARD, { qkv, cos, sin }, { N, H }) as unknown as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
}
