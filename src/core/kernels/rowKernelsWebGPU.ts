// The fused row kernels (fusedOpNames.ts) as WGSL programs for tfjs-backend-webgpu, one dispatch each
// where tfjs runs ~7–20 (docs/DESIGN.md §8.10: dispatch, not arithmetic, sets WebGPU's speed for this
// model). Same math and order of operations as rowKernelsJs.ts; float32 throughout. The last axis (C or
// F) is baked into the code (it is a model size); the row count is a uniform.
import * as tf from '@tensorflow/tfjs';
import { COLUMN_SUM_KERNEL, GELU_A, GELU_C2, GELU_DX_KERNEL, GELU_KERNEL, LN_DGAMMA_KERNEL, LN_DX_KERNEL, LN_EPS, LN_KERNEL, ROPE_KERNEL } from './fusedOpNames';
import type { Program, WebGPULike } from './backendTypes';

const WG = 64; // threads per workgroup

const f = (x: number) => (Number.isInteger(x) ? `${x}.0` : `${x}`);

/** Mean and √(var + ε) of the row starting at `o` of `xs` (the same two passes as tf.moments). */
const STATS = (C: number) => `
const C = ${C};
fn rowStats(o : i32) -> vec2<f32> {
  var mean = 0.0;
  for (var c = 0; c < C; c++) { mean += xs[o + c]; }
  mean = mean / f32(C);
  var v = 0.0;
  for (var c = 0; c < C; c++) { let d = xs[o + c] - mean; v += d * d; }
  return vec2<f32>(mean, sqrt(v / f32(C) + ${f(LN_EPS)}));
}`;

const SIGMA_2Z = (F: number) => `
const F = ${F};
// σ(2z), 2z = c2·(u + a·u³), in a form whose exp never overflows (WGSL may assume no Inf).
fn sigma2z(u : f32) -> f32 {
  let z2 = ${f(GELU_C2)} * (u + ${f(GELU_A)} * u * u * u);
  if (z2 >= 0.0) { return 1.0 / (1.0 + exp(-z2)); }
  let e = exp(z2);
  return e / (1.0 + e);
}`;

/** The row kernels: one thread per row (layer norm) or per element (GELU); `count` threads do work. */
const ROW_CODE: Record<string, (C: number) => string> = {
  [LN_KERNEL]: (C) => `${STATS(C)}
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let o = index * C;
  let s = rowStats(o);
  for (var c = 0; c < C; c++) { result[o + c] = (xs[o + c] - s.x) / s.y * gamma[c] + beta[c]; }
}`,
  [LN_DX_KERNEL]: (C) => `${STATS(C)}
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let o = index * C;
  let s = rowStats(o);
  var a = 0.0;
  var q = 0.0;
  for (var c = 0; c < C; c++) {
    let gh = dy[o + c] * gamma[c];
    a += gh;
    q += gh * (xs[o + c] - s.x) / s.y;
  }
  a = a / f32(C);
  q = q / f32(C);
  for (var c = 0; c < C; c++) { result[o + c] = (dy[o + c] * gamma[c] - a - (xs[o + c] - s.x) / s.y * q) / s.y; }
}`,
  [GELU_KERNEL]: (F) => `${SIGMA_2Z(F)}
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let u = xs[index] + bias[index % F];
  result[index] = u * sigma2z(u);
}`,
  [GELU_DX_KERNEL]: (F) => `${SIGMA_2Z(F)}
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let u = xs[index] + bias[index % F];
  let s = sigma2z(u);
  result[index] = dy[index] * (s + u * s * (1.0 - s) * ${f(GELU_C2)} * (1.0 + ${f(3 * GELU_A)} * u * u));
}`,
};

/** RoPE (half-split) on x [N, H, S, D], tables cs, sn [S, D/2]: one thread per element. sign −1 rotates
 *  back, which is the gradient (the rotation's transpose). */
const ROPE_CODE = (D: number) => `
const D = ${D};
const HALF = ${D / 2};
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let j = index % D;
  let i = j % HALF;
  let at = index - j + i; // x1 of this pair; x2 is HALF further
  let s = (index / D) % uniforms.seq;
  let c = cs[s * HALF + i];
  let n = sn[s * HALF + i] * uniforms.sign;
  if (j < HALF) { result[index] = xs[at] * c - xs[at + HALF] * n; } else { result[index] = xs[at + HALF] * c + xs[at] * n; }
}`;

/** Column sums over rows: one workgroup per column, WG threads striding the rows, then a tree in workgroup memory. */
const COLUMN_CODE: Record<string, (C: number) => string> = {
  [LN_DGAMMA_KERNEL]: (C) => columnSum(`let s = rowStats(r * C);\n    acc += dy[r * C + col] * (xs[r * C + col] - s.x) / s.y;`, STATS(C)),
  [COLUMN_SUM_KERNEL]: (C) => columnSum(`acc += a[r * C + col];`, `const C = ${C};`),
};

function columnSum(term: string, prelude: string): string {
  return `${prelude}
var<workgroup> part : array<f32, ${WG}>;
fn main(index : i32) {
  let col = i32(workgroupId.x);
  let t = i32(localId.x);
  var acc = 0.0;
  for (var r = t; r < uniforms.count; r += ${WG}) {
    ${term}
  }
  part[t] = acc;
  workgroupBarrier();
  for (var h = ${WG / 2}; h > 0; h = h / 2) {
    if (t < h) { part[t] = part[t] + part[t + h]; }
    workgroupBarrier();
  }
  if (t == 0) { result[col] = part[0]; }
}`;
}

type Uniform = { type: string; data: number[] };

/** How each kernel runs: its inputs (kernel input → WGSL buffer; 'cos', 'b', 'x' would shadow WGSL names
 *  or read badly), what one thread does, and any uniforms beyond the thread count. */
interface Spec {
  inputs: [string, string][];
  kind: 'row' | 'element' | 'column';
  code: (last: number) => string;
  uniforms?: { decl: string; data: (shape: number[], attrs: tf.NamedAttrMap) => Uniform[] };
}

const SPECS: Record<string, Spec> = {
  [LN_KERNEL]: { inputs: [['x', 'xs'], ['gamma', 'gamma'], ['beta', 'beta']], kind: 'row', code: ROW_CODE[LN_KERNEL] },
  [LN_DX_KERNEL]: { inputs: [['x', 'xs'], ['gamma', 'gamma'], ['dy', 'dy']], kind: 'row', code: ROW_CODE[LN_DX_KERNEL] },
  [LN_DGAMMA_KERNEL]: { inputs: [['x', 'xs'], ['dy', 'dy']], kind: 'column', code: COLUMN_CODE[LN_DGAMMA_KERNEL] },
  [COLUMN_SUM_KERNEL]: { inputs: [['a', 'a']], kind: 'column', code: COLUMN_CODE[COLUMN_SUM_KERNEL] },
  [GELU_KERNEL]: { inputs: [['x', 'xs'], ['b', 'bias']], kind: 'element', code: ROW_CODE[GELU_KERNEL] },
  [GELU_DX_KERNEL]: { inputs: [['x', 'xs'], ['b', 'bias'], ['dy', 'dy']], kind: 'element', code: ROW_CODE[GELU_DX_KERNEL] },
  [ROPE_KERNEL]: {
    inputs: [['x', 'xs'], ['cos', 'cs'], ['sin', 'sn']],
    kind: 'element',
    code: ROPE_CODE,
    // One entry per scalar: tfjs aligns a multi-value entry as a vector, the struct declares scalars.
    uniforms: { decl: 'seq : i32, sign : f32,', data: (shape, attrs) => [{ type: 'int32', data: [shape[shape.length - 2]] }, { type: 'float32', data: [attrs.sign as number] }] },
  },
};

function program(name: string, spec: Spec, shape: number[]): { p: Program; count: number } {
  const last = shape[shape.length - 1];
  const rows = shape.reduce((a, b) => a * b, 1) / last;
  const column = spec.kind === 'column';
  const count = spec.kind === 'element' ? rows * last : rows;
  const p: Program = {
    variableNames: spec.inputs.map(([, v]) => v),
    outputShape: column ? [last] : shape,
    shaderKey: `${name}_${last}_${WG}`,
    dispatchLayout: { x: [0] },
    dispatch: [column ? last : Math.ceil(count / WG), 1, 1],
    workgroupSize: [WG, 1, 1],
    uniforms: `count : i32, ${spec.uniforms?.decl ?? ''}`,
    size: false,
    getUserCode: () => spec.code(last),
  };
  return { p, count };
}

export function registerWebGPURowKernels(): void {
  for (const [name, spec] of Object.entries(SPECS)) {
    tf.registerKernel({
      kernelName: name,
      backendName: 'webgpu',
      kernelFunc: ({ inputs, attrs, backend }) => {
        const ins = spec.inputs.map(([k]) => inputs[k] as tf.TensorInfo);
        const { p, count } = program(name, spec, ins[0].shape);
        const uniforms = [{ type: 'int32', data: [count] }, ...(spec.uniforms?.data(ins[0].shape, attrs ?? {}) ?? [])];
        return (backend as unknown as WebGPULike).runWebGPUProgram(p, ins, 'float32', uniforms);
      },
    });
  }
}
