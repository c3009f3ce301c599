// Layer norm on wasm through our module (asm/layerNorm.ts): the same bits as layerNormUnfused's tfjs ops
// and their autodiff gradient. A kernel of our own with a registered gradient, not a customGrad: with
// `skip`, it also returns x itself as a second output for the residual add. x's gradient then reaches
// our gradient as one more input, and we add it first, as the tape adds the residual path's share first
// when x feeds both the layer norm and the residual add. The sums then match bit for bit.
import * as tf from '@tensorflow/tfjs';
import { LN_EPS } from '../kernels/fusedOpNames';
import { shareBuffer, simdFor } from './module';

const FORWARD = 'SimdLayerNorm';
const BACKWARD = 'SimdLayerNormGrad';
type Attrs = { skip: boolean };

const rowsOf = (t: tf.TensorInfo) => tf.util.sizeFromShape(t.shape) / t.shape[t.shape.length - 1];

/** x [.., C], g [C], b [C] → y [.., C] (and x itself, shared, with `skip`). */
const forwardConfig: tf.KernelConfig = {
  kernelName: FORWARD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, g, b } = inputs as { x: tf.TensorInfo; g: tf.TensorInfo; b: tf.TensorInfo };
    const mod = simdFor(backend, FORWARD);
    const C = x.shape[x.shape.length - 1];
    const y = mod.be.makeOutput(x.shape, 'float32');
    mod.fn.lnForward(mod.ptr(x), mod.ptr(g), mod.ptr(b), mod.ptr(y), mod.scratchFor(8), rowsOf(x), C, LN_EPS);
    if (!(attrs as unknown as Attrs).skip) return y;
    return [y, shareBuffer(x, backend)]; // the skip output shares x's buffer
  },
};

/** dy, (dskip), x, g → [dx, q = (x − mean)/r]. */
const backwardConfig: tf.KernelConfig = {
  kernelName: BACKWARD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { dy, dskip, x, g } = inputs as { dy: tf.TensorInfo; dskip?: tf.TensorInfo; x: tf.TensorInfo; g: tf.TensorInfo };
    const mod = simdFor(backend, BACKWARD);
    const C = x.shape[x.shape.length - 1];
    const dx = mod.be.makeOutput(x.shape, 'float32');
    const q = mod.be.makeOutput(x.shape, 'float32');
    const scratch = mod.scratchFor(8 * C);
    mod.fn.lnBackward(mod.ptr(dy), dskip ? mod.ptr(dskip) : 0, mod.ptr(x), mod.ptr(g), mod.ptr(dx), mod.ptr(q), scratch, rowsOf(x), C, LN_EPS, dskip ? 1 : 0);
    return [dx, q];
  },
};

const gradConfig: tf.GradConfig = {
  kernelName: FORWARD,
  inputsToSave: ['x', 'g'],
  gradFunc: (dys: tf.Tensor | tf.Tensor[], [x, g]: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [dy, dskip] = (attrs as unknown as Attrs).skip ? (dys as tf.Tensor[]) : [dys as tf.Tensor];
    // Run here, not inside the input functions below: tfjs calls each of those in its own tidy, which would
    // dispose q before g's uses it. The backward pass's own tidy disposes both.
    const [dx, q] = tf.engine().runKernel(BACKWARD, dskip ? { dy, dskip, x, g } : { dy, x, g }) as tf.Tensor[];
    const lead = [...Array(x.rank - 1).keys()]; // g and b broadcast over these axes
    return {
      x: () => dx,
      g: () => tf.reshape(tf.sum(tf.mul(dy, q), lead), g.shape), // Mul's, then Add's gradient, as tfjs takes them
      b: () => tf.reshape(tf.sum(dy, lead), g.shape),
    };
  },
};

export function registerLayerNormKernels(): void {
  tf.registerKernel(forwardConfig);
  tf.registerKernel(backwardConfig);
  tf.registerGradient(gradConfig);
}

/** Layer norm of x [.., C] (float32) on wasm with our module (wasmSimdActive). */
export function layerNormSimd(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(FORWARD, { x, g, b }, { skip: false }) as tf.Tensor;
}

/** [layer norm of x, x]: use the second for the residual add, so x's gradient sums in tfjs's order. */
export function layerNormSkipSimd(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return tf.engine().runKernel(FORWARD, { x, g, b }, { skip: true }) as unknown as [tf.Tensor, tf.Tensor];
}
