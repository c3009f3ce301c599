// The optimiser's WGSL programs for tfjs-backend-webgpu, registered as kernels of their own (as
// kernels/decodeWebGPU.ts does): on a real GPU each tfjs kernel costs ~85 µs of dispatch whatever it
// computes (docs/DESIGN.md §8.10), and tfjs's Adam spends ~15 of them per variable per update.
//  - RepoAdam: one elementwise program per output (new m, new v, new weight). A tfjs program writes
//    one output buffer, so the three come from three dispatches; the weight's program recomputes the
//    new moments from the old ones instead of waiting for them, so the three are independent.
//  - RepoSumSquares: Σ x² over up to MAX_KERNEL_INPUTS tensors in one workgroup, for the global
//    gradient norm (one dispatch per 7 gradients instead of a square and a sum per gradient).
// Same formulas and order of operations as tfjs 4.22's AdamOptimizer (fusedAdam.ts), in float32.
import * as tf from '@tensorflow/tfjs';
import { MAX_KERNEL_INPUTS } from '../ops';
import type { Program, WebGPULike } from '../kernels/backendTypes';

export const ADAM_KERNEL = 'RepoAdam';
export const SUM_SQUARES_KERNEL = 'RepoSumSquares';

/** Which output a RepoAdam dispatch writes, and the inputs it reads (the fewer, the fewer bindings). */
export const ADAM_OUTPUTS = {
  m: ['grad', 'mom1'],
  v: ['grad', 'mom2'],
  w: ['grad', 'mom1', 'mom2', 'weight', 'pow1', 'pow2'],
} as const;
export type AdamOutput = keyof typeof ADAM_OUTPUTS;

/** RepoAdam's attributes: the clipping scale and Adam's hyper-parameters (uniforms, so one pipeline per output). */
export interface AdamAttrs {
  which: AdamOutput;
  scale: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

const WG = 64; // threads per workgroup of the elementwise programs
const RED = 256; // threads of the one reduction workgroup (a power of two: the tree halves it)

// The moments' and the weight's formulas, each line one tfjs op of AdamOptimizer.applyGradients (the
// clipping scale first, as update() applied it). Only what `which` needs is emitted: a binding the
// code never reads is dropped from the pipeline's automatic layout, and binding it anyway is invalid.
function adamCode(which: AdamOutput): string {
  const m1 = 'let m1 = mom1[index] * uniforms.beta1 + g * uniforms.oneMinusBeta1;';
  const v1 = 'let v1 = mom2[index] * uniforms.beta2 + (g * g) * uniforms.oneMinusBeta2;';
  const body = {
    m: `${m1}\n setOutputAtIndex(index, m1);`,
    v: `${v1}\n setOutputAtIndex(index, v1);`,
    w: `${m1}\n ${v1}
      let mHat = m1 / (1.0 - pow1[0]);
      let vHat = v1 / (1.0 - pow2[0]);
      setOutputAtIndex(index, (mHat / (sqrt(vHat) + uniforms.eps)) * uniforms.negLr + weight[index]);`,
  }[which];
  return `
fn main(index : i32) {
  if (index < uniforms.size) {
    let g = grad[index] * uniforms.scale;
    ${body}
  }
}`;
}

function adamProgram(which: AdamOutput, shape: number[]): Program {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    variableNames: [...ADAM_OUTPUTS[which]],
    outputShape: shape,
    shaderKey: `repoAdam_${which}`,
    dispatchLayout: { x: shape.map((_, i) => i) }, // flat: main() gets the element's index
    dispatch: [Math.ceil(size / WG), 1, 1], // tfjs reshapes it past the per-dimension limit
    workgroupSize: [WG, 1, 1],
    uniforms: 'scale : f32, beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, eps : f32, negLr : f32,',
    size: true,
    getUserCode: () => adamCode(which),
  };
}

// Every thread sums the squares of a strided share of every input, then the workgroup halves its
// partial sums in shared memory. A different summation order from tf.sum, so the norm agrees with
// the unfused one to float32 rounding, not bit for bit (WebGPU only).
function sumSquaresProgram(n: number): Program {
  const names = Array.from({ length: n }, (_, i) => `x${i}`);
  const loops = names.map((x, i) => `for (var i = tid; i < uniforms.n${i}; i += ${RED}) { let a = ${x}[i]; acc += a * a; }`).join('\n  ');
  return {
    variableNames: names,
    outputShape: [],
    shaderKey: `repoSumSquares_${n}_${RED}`,
    dispatchLayout: { x: [] },
    dispatch: [1, 1, 1],
    workgroupSize: [RED, 1, 1],
    uniforms: names.map((_, i) => `n${i} : i32,`).join(' '),
    size: false,
    getUserCode: () => `
var<workgroup> part : array<f32, ${RED}>;
fn main(index : i32) {
  let tid = i32(localId.x);
  var acc = 0.0;
  ${loops}
  part[tid] = acc;
  workgroupBarrier();
  for (var s = ${RED / 2}; s > 0; s = s / 2) {
    if (tid < s) { part[tid] = part[tid] + part[tid + s]; }
    workgroupBarrier();
  }
  if (tid == 0) { result[0] = part[0]; }
}`,
  };
}

let registered = false;

/** Registers both kernels for the webgpu backend (once; harmless where webgpu never starts). */
export function registerWebGPUOptim(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: ADAM_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const a = attrs as unknown as AdamAttrs;
      const ins = ADAM_OUTPUTS[a.which].map((k) => inputs[k] as tf.TensorInfo);
      // One entry per scalar (a 4-value entry would be aligned as a vec4); the JS doubles 1 − β and
      // −lr become float32 on upload, as tfjs's scalar operands do.
      const uniforms = [a.scale, a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.epsilon, -a.learningRate].map((x) => ({ type: 'float32', data: [x] }));
      return (backend as unknown as WebGPULike).runWebGPUProgram(adamProgram(a.which, ins[0].shape), ins, 'float32', uniforms);
    },
  });
  tf.registerKernel({
    kernelName: SUM_SQUARES_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const xs = Object.keys(inputs).map((k) => inputs[k] as tf.TensorInfo);
      if (xs.length === 0 || xs.length > MAX_KERNEL_INPUTS) throw new Error(`${SUM_SQUARES_KERNEL}: ${xs.length} inputs, 1 to ${MAX_KERNEL_INPUTS} allowed`);
      const sizes = xs.map((x) => ({ type: 'int32', data: [x.shape.reduce((a, b) => a * b, 1)] }));
      return (backend as unknown as WebGPULike).runWebGPUProgram(sumSquaresProgram(xs.length), xs, 'float32', sizes);
    },
  });
}

/** Whether the optimiser's fused kernels serve the current backend (webgpu only). */
export function fusedOptimAvailable(): boolean {
  registerWebGPUOptim();
  return tf.getBackend() === 'webgpu' && tf.getKernel(ADAM_KERNEL, 'webgpu') !== undefined;
}
