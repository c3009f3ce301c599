// The fused row kernels (fusedOpNames.ts) in plain JS for the cpu backend: the same math as the WGSL
// programs (rowKernelsWebGPU.ts) and as the unfused tfjs ops they replace (fusedOps.ts), one pass per
// row; accumulations in float64, so they sit at least as close to exact as tfjs's float32 kernels.
import * as tf from '@tensorflow/tfjs';
import { COLUMN_SUM_KERNEL, GELU_A, GELU_C2, GELU_DX_KERNEL, GELU_KERNEL, LN_DGAMMA_KERNEL, LN_DX_KERNEL, LN_EPS, LN_KERNEL, ROPE_KERNEL } from './fusedOpNames';
import { cpuInputs } from './backendTypes';

/** Mean and standard deviation √(var + ε) of row `r` of x [R, C]. */
function rowStats(x: Float32Array, r: number, C: number): { mean: number; sd: number } {
  const o = r * C;
  let mean = 0;
  for (let c = 0; c < C; c++) mean += x[o + c];
  mean /= C;
  let v = 0;
  for (let c = 0; c < C; c++) v += (x[o + c] - mean) ** 2;
  return { mean, sd: Math.sqrt(v / C + LN_EPS) };
}

/** y [R, C] = x̂ · gamma + beta, x̂ = (x − mean) / sd per row. */
export function layerNormJs(x: Float32Array, g: Float32Array, b: Float32Array, C: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let r = 0; r < x.length / C; r++) {
    const { mean, sd } = rowStats(x, r, C);
    for (let c = r * C, j = 0; j < C; c++, j++) y[c] = ((x[c] - mean) / sd) * g[j] + b[j];
  }
  return y;
}

/** dx [R, C] = (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)) / sd per row, ĝ = dy · gamma: the gradient through the row statistics. */
export function layerNormGradXJs(x: Float32Array, g: Float32Array, dy: Float32Array, C: number): Float32Array {
  const dx = new Float32Array(x.length);
  for (let r = 0; r < x.length / C; r++) {
    const { mean, sd } = rowStats(x, r, C);
    const o = r * C;
    let a = 0;
    let q = 0;
    for (let c = 0; c < C; c++) {
      const gh = dy[o + c] * g[c];
      a += gh;
      q += (gh * (x[o + c] - mean)) / sd;
    }
    a /= C;
    q /= C;
    for (let c = 0; c < C; c++) dx[o + c] = (dy[o + c] * g[c] - a - ((x[o + c] - mean) / sd) * q) / sd;
  }
  return dx;
}

/** dgamma [C] = Σ_rows dy · x̂. */
export function layerNormGradGammaJs(x: Float32Array, dy: Float32Array, C: number): Float32Array {
  const acc = new Float64Array(C);
  for (let r = 0; r < x.length / C; r++) {
    const { mean, sd } = rowStats(x, r, C);
    for (let c = 0; c < C; c++) acc[c] += (dy[r * C + c] * (x[r * C + c] - mean)) / sd;
  }
  return Float32Array.from(acc);
}

export function columnSumJs(a: Float32Array, C: number): Float32Array {
  const acc = new Float64Array(C);
  for (let i = 0; i < a.length; i++) acc[i % C] += a[i];
  return Float32Array.from(acc);
}

/** σ(2z) for the tanh-GELU, in a form whose exp never overflows; 2z = GELU_C2·(u + GELU_A·u³). */
function sigma2z(u: number): number {
  const z2 = GELU_C2 * (u + GELU_A * u * u * u);
  if (z2 >= 0) return 1 / (1 + Math.exp(-z2));
  const e = Math.exp(z2);
  return e / (1 + e);
}

/** y [R, F] = u · σ(2z), u = x + b (added in float32, as tf.add does). */
export function biasGeluJs(x: Float32Array, b: Float32Array, F: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const u = Math.fround(x[i] + b[i % F]);
    y[i] = u * sigma2z(u);
  }
  return y;
}

/** du [R, F] = dy · (s + u · s(1 − s) · GELU_C2 · (1 + 3·GELU_A·u²)), s = σ(2z): d(u·σ(2z))/du. */
export function biasGeluGradJs(x: Float32Array, b: Float32Array, dy: Float32Array, F: number): Float32Array {
  const du = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const u = Math.fround(x[i] + b[i % F]);
    const s = sigma2z(u);
    du[i] = dy[i] * (s + u * s * (1 - s) * GELU_C2 * (1 + 3 * GELU_A * u * u));
  }
  return du;
}

/** Half-split RoPE of x [..., S, D] with tables cos, sin [S, D/2]: [x1·c − x2·s, x2·c + x1·s], s = sign·sin
 *  (sign −1 rotates back: the gradient). */
export function ropeJs(x: Float32Array, cos: Float32Array, sin: Float32Array, S: number, D: number, sign: number): Float32Array {
  const y = new Float32Array(x.length);
  const half = D / 2;
  for (let row = 0; row < x.length / D; row++) {
    const t = (row % S) * half;
    for (let i = 0, o = row * D; i < half; i++, o++) {
      const c = cos[t + i];
      const n = sign * sin[t + i];
      y[o] = x[o] * c - x[o + half] * n;
      y[o + half] = x[o + half] * c + x[o] * n;
    }
  }
  return y;
}

/** Registers `fn` on cpu: it gets the inputs' values in `order`, the last axis of the first (C), its shape and the attrs. */
function registerCpu(name: string, order: string[], outShape: (first: number[]) => number[], fn: (v: Float32Array[], C: number, shape: number[], attrs: tf.NamedAttrMap) => Float32Array): void {
  tf.registerKernel({
    kernelName: name,
    backendName: 'cpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { b, infos, values } = cpuInputs(backend, inputs, order);
      const first = infos[0].shape;
      return b.makeTensorInfo(outShape(first), 'float32', fn(values, first[first.length - 1], first, attrs ?? {}));
    },
  });
}

export function registerJsRowKernels(): void {
  const same = (s: number[]) => s;
  const columns = (s: number[]) => [s[s.length - 1]];
  registerCpu(LN_KERNEL, ['x', 'gamma', 'beta'], same, ([x, g, b], C) => layerNormJs(x, g, b, C));
  registerCpu(LN_DX_KERNEL, ['x', 'gamma', 'dy'], same, ([x, g, dy], C) => layerNormGradXJs(x, g, dy, C));
  registerCpu(LN_DGAMMA_KERNEL, ['x', 'dy'], columns, ([x, dy], C) => layerNormGradGammaJs(x, dy, C));
  registerCpu(COLUMN_SUM_KERNEL, ['a'], columns, ([a], C) => columnSumJs(a, C));
  registerCpu(GELU_KERNEL, ['x', 'b'], same, ([x, b], F) => biasGeluJs(x, b, F));
  registerCpu(GELU_DX_KERNEL, ['x', 'b', 'dy'], same, ([x, b, dy], F) => biasGeluGradJs(x, b, dy, F));
  registerCpu(ROPE_KERNEL, ['x', 'cos', 'sin'], same, ([x, c, s], D, shape, attrs) => ropeJs(x, c, s, shape[shape.length - 2], D, attrs.sign as number));
}
