// The optimiser's WGSL programs for tfjs-backend-webgpu, registered as kernels of their own (as
// kernels/decodeWebGPU.ts does): on a real GPU each tfjs kernel costs ~85 µs of dispatch whatever it
// computes (docs/DESIGN.md §8.10), and tfjs's Adam spends ~15 of them per variable per update.
//  - RepoAdamMoments: the new m and v of up to MAX_KERNEL_INPUTS variables in one dispatch, written in
//    place into the packed moments buffer (packedMoments.ts; the program's output binding is that
//    buffer, which is how one tfjs program writes many tensors' worth of state).
//  - RepoAdamWeight: one variable's new weight from the moments just written (one output per program,
//    so one dispatch per variable).
//    Together ⌈n/7⌉ + n dispatches for n variables, where one program per output (m, v, w) took 3n.
//  - RepoSumSquares: Σ x² over up to MAX_KERNEL_INPUTS tensors in one workgroup, for the global
//    gradient norm (one dispatch per 7 gradients instead of a square and a sum per gradient).
// Same formulas and order of operations as tfjs 4.22's AdamOptimizer (fusedAdam.ts), in float32; the
// bias-correction powers come in as uniforms (float32 products kept on the host, as tfjs keeps them).
import * as tf from '@tensorflow/tfjs';
import { MAX_KERNEL_INPUTS } from '../ops';
import type { Program, WebGPULike } from '../kernels/backendTypes';

export const MOMENTS_KERNEL = 'RepoAdamMoments';
export const WEIGHT_KERNEL = 'RepoAdamWeight';
export const SUM_SQUARES_KERNEL = 'RepoSumSquares';

/** Adam's hyper-parameters and the clipping scale (uniforms, so one pipeline serves every value). */
export interface AdamHyper {
  scale: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** RepoAdamMoments: inputs `moments` (updated in place) and x0 … x(k−1), the gradients of `spans`. */
export interface MomentsAttrs extends AdamHyper {
  spans: [offset: number, size: number][]; // per gradient: its m at offset, its v at offset + size
}

/** RepoAdamWeight: inputs `moments` and `weight`; `pow1`, `pow2` = β1ᵗ, β2ᵗ as float32. */
export interface WeightAttrs extends AdamHyper {
  span: [offset: number, size: number];
  pow1: number;
  pow2: number;
}

const WG = 64; // threads per workgroup of the elementwise programs
const RED = 256; // threads of the one reduction workgroup (a power of two: the tree halves it)

// Each gradient's lines are tfjs's AdamOptimizer ops in order, the clipping scale first (as update()
// applied it): m = m·β1 + g·(1 − β1), v = v·β2 + g²·(1 − β2). One thread per element index, for every
// gradient of the dispatch that is that long.
function momentsProgram(k: number, longest: number): Program {
  const lines = Array.from({ length: k }, (_, i) => `
  if (index < uniforms.n${i}) {
    let g = x${i}[index] * uniforms.scale;
    let m = uniforms.o${i} + index;
    let v = m + uniforms.n${i};
    result[m] = result[m] * uniforms.beta1 + g * uniforms.oneMinusBeta1;
    result[v] = result[v] * uniforms.beta2 + (g * g) * uniforms.oneMinusBeta2;
  }`).join('');
  return {
    variableNames: Array.from({ length: k }, (_, i) => `x${i}`),
    outputShape: [longest],
    shaderKey: `repoAdamMoments_${k}`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(longest / WG), 1, 1], // tfjs reshapes it past the per-dimension limit
    workgroupSize: [WG, 1, 1],
    uniforms: 'scale : f32, beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, ' + Array.from({ length: k }, (_, i) => `o${i} : i32, n${i} : i32,`).join(' '),
    size: false,
    getUserCode: () => `
fn main(index : i32) {${lines}
}`,
  };
}

// w = w − lr · m̂ / (√v̂ + ε), m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ), as tfjs's ops compute it.
function weightProgram(shape: number[]): Program {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    variableNames: ['moments', 'weight'],
    outputShape: shape,
    shaderKey: 'repoAdamWeight',
    dispatchLayout: { x: shape.map((_, i) => i) }, // flat: main() gets the element's index
    dispatch: [Math.ceil(size / WG), 1, 1],
    workgroupSize: [WG, 1, 1],
    uniforms: 'o : i32, eps : f32, negLr : f32, pow1 : f32, pow2 : f32,',
    size: true,
    getUserCode: () => `
fn main(index : i32) {
  if (index < uniforms.size) {
    let mHat = moments[uniforms.o + index] / (1.0 - uniforms.pow1);
    let vHat = moments[uniforms.o + uniforms.size + index] / (1.0 - uniforms.pow2);
    setOutputAtIndex(index, (mHat / (sqrt(vHat) + uniforms.eps)) * uniforms.negLr + weight[index]);
  }
}`,
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
    kernelName: MOMENTS_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const a = attrs as unknown as MomentsAttrs;
      const b = backend as unknown as WebGPULike;
      const moments = inputs.moments as tf.TensorInfo;
      const k = a.spans.length;
      if (k === 0 || k > MAX_KERNEL_INPUTS) throw new Error(`${MOMENTS_KERNEL}: ${k} gradients, 1 to ${MAX_KERNEL_INPUTS} allowed`);
      // Flat views of the gradients (the same buffers; only the shape uniforms differ).
      const grads = a.spans.map((_, i) => inputs[`x${i}`] as tf.TensorInfo).map((g) => ({ ...g, shape: [tf.util.sizeFromShape(g.shape)] }));
      a.spans.forEach(([o, n], i) => {
        if (grads[i].shape[0] !== n || o < 0 || o + 2 * n > moments.shape[0]) throw new Error(`${MOMENTS_KERNEL}: gradient ${i} (${grads[i].shape[0]} values) does not fit its span [${o}, ${n}]`);
      });
      const f32 = (x: number) => ({ type: 'float32', data: [x] });
      const uniforms = [f32(a.scale), f32(a.beta1), f32(1 - a.beta1), f32(a.beta2), f32(1 - a.beta2), ...a.spans.flatMap(([o, n]) => [o, n].map((x) => ({ type: 'int32', data: [x] })))];
      b.runWebGPUProgram(momentsProgram(k, Math.max(...a.spans.map(([, n]) => n))), grads, 'float32', uniforms, moments);
      b.incRef(moments.dataId); // the output is the moments buffer, written in place (as Reshape aliases)
      return { dataId: moments.dataId, shape: moments.shape, dtype: moments.dtype };
    },
  });
  tf.registerKernel({
    kernelName: WEIGHT_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const a = attrs as unknown as WeightAttrs;
      const moments = inputs.moments as tf.TensorInfo;
      const weight = inputs.weight as tf.TensorInfo;
      const [o, n] = a.span;
      if (tf.util.sizeFromShape(weight.shape) !== n || o < 0 || o + 2 * n > moments.shape[0]) throw new Error(`${WEIGHT_KERNEL}: a weight of ${weight.shape} does not fit its span [${o}, ${n}]`);
      // One entry per scalar (a 4-value entry would be aligned as a vec4); JS doubles become float32
      // on upload, as tfjs's scalar operands do.
      const uniforms = [{ type: 'int32', data: [o] }, ...[a.epsilon, -a.learningRate, a.pow1, a.pow2].map((x) => ({ type: 'float32', data: [x] }))];
      return (backend as unknown as WebGPULike).runWebGPUProgram(weightProgram(weight.shape), [moments, weight], 'float32', uniforms);
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
  return tf.getBackend() === 'webgpu' && tf.getKernel(MOMENTS_KERNEL, 'webgpu') !== undefined;
}
