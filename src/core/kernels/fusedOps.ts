// Layer norm, bias + GELU and RoPE for GPT.forward, fused or not. On webgpu (WGSL, rowKernelsWebGPU.ts) and
// cpu (its JS twin, rowKernelsJs.ts) each is one kernel forward and 1–3 in its gradient, where tfjs's ops
// take ~10 and ~20 (layer norm), ~7 and ~12 (bias + GELU) or ~7 and ~4 (RoPE): on WebGPU every kernel is a dispatch
// (docs/DESIGN.md §8.10). wasm does not use these: its training records must stay bit-identical to the
// published runs (made on wasm), so it runs the unfused ops, or our wasm kernels that reproduce their bits
// (wasmSimd/, §8.14). All paths compute the same function.
import * as tf from '@tensorflow/tfjs';
import { swapHalves } from '../ops';
import { biasGeluSimd } from '../wasmSimd/gelu';
import { layerNormSimd, layerNormSkipSimd } from '../wasmSimd/layerNorm';
import { wasmSimdActive } from '../wasmSimd/module';
import { COLUMN_SUM_KERNEL, GELU_A, GELU_C2, GELU_DX_KERNEL, GELU_KERNEL, LN_DGAMMA_KERNEL, LN_DX_KERNEL, LN_EPS, LN_KERNEL, ROPE_KERNEL } from './fusedOpNames';
import { registerJsRowKernels } from './rowKernelsJs';
import { registerWebGPURowKernels } from './rowKernelsWebGPU';

/** Backends whose GPT.forward uses the fused kernels. Not wasm: see the header. */
const FUSED_BACKENDS = ['webgpu', 'cpu'];
let enabled = true;
let registered = false;

/** Whether the fused kernels are used where available (tests and bench compare both in one process). */
export function setFusedOps(on: boolean): void {
  enabled = on;
}

/** Whether GPT.forward on the current backend runs the fused kernels. */
export function fusedOpsActive(): boolean {
  return enabled && FUSED_BACKENDS.includes(tf.getBackend());
}

function run(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number> = {}): tf.Tensor {
  if (!registered) {
    registerJsRowKernels();
    registerWebGPURowKernels();
    registered = true;
  }
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs) as tf.Tensor;
}
type Op3 = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.Tensor;
type Op2 = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** Fused layer norm over the last axis: x [..., C], gamma [C], beta [C]. Saves x and gamma; the backward
 *  kernels recompute each row's mean and deviation from x (C values) rather than store them. */
export const layerNormFused = tf.customGrad(((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, gamma]);
  return {
    value: run(LN_KERNEL, { x, gamma, beta }),
    gradFunc: (dy: tf.Tensor, [sx, sg]: tf.Tensor[]) => [
      run(LN_DX_KERNEL, { x: sx, gamma: sg, dy }), // [..., C]
      run(LN_DGAMMA_KERNEL, { x: sx, dy }), // [C]
      run(COLUMN_SUM_KERNEL, { a: dy }), // [C]
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Op3;

/** Fused gelu(x + b): x [R, F], b [F]. dL/db is the column sum of dL/dx (b broadcasts over rows). */
export const biasGeluFused = tf.customGrad(((x: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, b]);
  return {
    value: run(GELU_KERNEL, { x, b }),
    gradFunc: (dy: tf.Tensor, [sx, sb]: tf.Tensor[]) => {
      const dx = run(GELU_DX_KERNEL, { x: sx, b: sb, dy }); // [R, F]
      return [dx, run(COLUMN_SUM_KERNEL, { a: dx })];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Op2;

/** Fused RoPE of x [N, H, S, D] with tables cos, sin [S, D/2]: one kernel, and one for its gradient (the
 *  inverse rotation). The tables are constants, so they are saved rather than inputs that need a gradient. */
export function ropeFused(x: tf.Tensor4D, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor4D {
  const f = tf.customGrad(((xx: tf.Tensor, save: tf.GradSaveFunc) => {
    save([cos, sin]);
    return {
      value: run(ROPE_KERNEL, { x: xx, cos, sin }, { sign: 1 }),
      gradFunc: (dy: tf.Tensor, [c, s]: tf.Tensor[]) => run(ROPE_KERNEL, { x: dy, cos: c, sin: s }, { sign: -1 }),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;
  return f(x) as tf.Tensor4D;
}

/** tfjs's ops, as GPT.forward always ran them (wasm runs exactly these). x [N, S, C]. */
export function layerNormUnfused(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LN_EPS))), g), b);
}

export function biasGeluUnfused(x: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return gelu(tf.add(x, b));
}

function gelu(x: tf.Tensor): tf.Tensor {
  // The tanh approximation, written as x·σ(2z) (= x·½(1 + tanh z), z = c(x + 0.044715x³)): the same
  // function, and wasm's Sigmoid is vectorised while its Tanh is scalar (~15× slower on [2624, 256]).
  return tf.mul(x, tf.sigmoid(tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), GELU_A)), GELU_C2)));
}

/** Rotary embedding on [N, H, S, dh] with the half-split convention; cos/sin [S, dh/2].
 *  x·[cos, cos] + [x2, x1]·[−sin, sin] = [x1·cos − x2·sin, x2·cos + x1·sin]: the same values, bit for bit,
 *  as splitting x and concatenating, without wasm's slow SplitV and Concat of x. */
export function ropeUnfused(x: tf.Tensor4D, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor4D {
  const c = tf.concat([cos, cos], 1); // [S, dh]
  const s = tf.concat([tf.neg(sin), sin], 1);
  return tf.add(tf.mul(x, c), tf.mul(swapHalves(x), s)) as tf.Tensor4D;
}

/** Layer norm over the last axis, fused where the backend has the kernels. Call inside tf.tidy. */
export function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (fusedOpsActive()) return layerNormFused(x, g, b);
  return wasmSimdActive() ? layerNormSimd(x, g, b) : layerNormUnfused(x, g, b); // the same bits
}

/** [layer norm of x, x]: the model adds its residual to the second. On wasm with our module the second is
 *  an output of the layer-norm kernel, so that x's gradient sums in the order the tape sums it for the
 *  unfused ops (wasmSimd/layerNorm.ts); elsewhere it is x. Call inside tf.tidy. */
export function layerNormSkip(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return !fusedOpsActive() && wasmSimdActive() ? layerNormSkipSimd(x, g, b) : [layerNorm(x, g, b), x];
}

/** gelu(x + b) for x [R, F] and b [F], fused where the backend has the kernels. Call inside tf.tidy. */
export function biasGelu(x: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (fusedOpsActive()) return biasGeluFused(x, b);
  return wasmSimdActive() && x.dtype === 'float32' ? biasGeluSimd(x, b) : biasGeluUnfused(x, b); // the same bits
}

/** RoPE of x [N, H, S, dh] (cos, sin [S, dh/2]), fused where the backend has the kernel. Call inside tf.tidy. */
export function rope(x: tf.Tensor4D, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor4D {
  return fusedOpsActive() ? ropeFused(x, cos, sin) : ropeUnfused(x, cos, sin);
}
