// Attention weights softmax(scores·scale + bias) of GPT.forward as one kernel, with the causal and padding
// bias built inside it from the key mask, and one kernel for its gradient. tfjs's ops take a Multiply, an
// Add and a Softmax forward (plus ~4 kernels per forward building the bias) and ~5 back (docs/DESIGN.md
// §8.10: on WebGPU every dispatch costs ~0.1 ms of host time). webgpu (WGSL) and cpu (JS twin) only; wasm
// keeps tfjs's ops (fusedOps.ts header). The bias is the same finite −1e9 per masked key (−2e9 for a key
// both in the future and padding) added in float32 as model.ts does, so masked weights are exactly 0.
import * as tf from '@tensorflow/tfjs';
import { cpuValues, type Program, type WebGPULike, type CpuLike } from './backendTypes';

/** scores [N, H, S, T], keyMask [N, T], attrs start, scale → softmax over T of scores·scale + bias. */
export const ATTN_SOFTMAX_KERNEL = 'RepoAttnSoftmax';
/** y [N, H, S, T] (the forward's output), dy [N, H, S, T], attr scale → dL/dscores. */
export const ATTN_SOFTMAX_GRAD_KERNEL = 'RepoAttnSoftmaxGrad';
export const NEG = -1e9; // model.ts's finite mask value: WGSL may assume no Inf/NaN

const WG = 64;
const f = (x: number) => (Number.isInteger(x) ? `${x}.0` : `${x}`);

/** One thread per row (n, h, i): query position start + i over T keys. Three passes over the row as tfjs's
 *  Softmax (max, Σ exp, divide); the logit is recomputed rather than stored. */
const FORWARD_CODE = `
fn logit(o : i32, n : i32, i : i32, k : i32) -> f32 {
  var causal = 0.0;
  if (k > uniforms.start + i) { causal = ${f(NEG)}; }
  let bias = causal + (1.0 - mask[n * uniforms.keys + k]) * ${f(NEG)};
  return scores[o + k] * uniforms.scale + bias;
}
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let T = uniforms.keys;
  let o = index * T;
  let i = index % uniforms.seq;
  let n = index / (uniforms.seq * uniforms.heads);
  var mx = logit(o, n, i, 0);
  for (var k = 1; k < T; k++) { mx = max(mx, logit(o, n, i, k)); }
  var sum = 0.0;
  for (var k = 0; k < T; k++) { let e = exp(logit(o, n, i, k) - mx); result[o + k] = e; sum += e; }
  for (var k = 0; k < T; k++) { result[o + k] = result[o + k] / sum; }
}`;

/** dL/dscores = scale · y · (dy − Σ_k dy·y), one thread per row. */
const GRAD_CODE = `
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let T = uniforms.keys;
  let o = index * T;
  var dot = 0.0;
  for (var k = 0; k < T; k++) { dot += dy[o + k] * ys[o + k]; }
  for (var k = 0; k < T; k++) { result[o + k] = (dy[o + k] * ys[o + k] - dot * ys[o + k]) * uniforms.scale; }
}`;

function program(key: string, names: string[], shape: number[], uniforms: string, code: string): Program {
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return { variableNames: names, outputShape: shape, shaderKey: key, dispatchLayout: { x: [0] }, dispatch: [Math.ceil(rows / WG), 1, 1], workgroupSize: [WG, 1, 1], uniforms, size: false, getUserCode: () => code };
}

const fr = Math.fround;

/** JS twin of FORWARD_CODE. scores flat [N, H, S, T], mask flat [N, T]. */
export function attnSoftmaxJs(scores: Float32Array, mask: Float32Array, shape: number[], start: number, scale: number): Float32Array {
  const [N, H, S, T] = shape;
  const out = new Float32Array(scores.length);
  const row = new Float32Array(T);
  for (let r = 0; r < N * H * S; r++) {
    const o = r * T;
    const i = r % S;
    const n = Math.floor(r / (S * H));
    let mx = -Infinity;
    for (let k = 0; k < T; k++) {
      const bias = fr((k > start + i ? NEG : 0) + fr((1 - mask[n * T + k]) * NEG));
      row[k] = fr(fr(scores[o + k] * fr(scale)) + bias);
      mx = Math.max(mx, row[k]);
    }
    let sum = 0;
    for (let k = 0; k < T; k++) sum = fr(sum + (out[o + k] = fr(Math.exp(fr(row[k] - mx)))));
    for (let k = 0; k < T; k++) out[o + k] = fr(out[o + k] / sum);
  }
  return out;
}

/** JS twin of GRAD_CODE. */
export function attnSoftmaxGradJs(y: Float32Array, dy: Float32Array, T: number, scale: number): Float32Array {
  const out = new Float32Array(y.length);
  for (let o = 0; o < y.length; o += T) {
    let dot = 0;
    for (let k = 0; k < T; k++) dot = fr(dot + fr(dy[o + k] * y[o + k]));
    for (let k = 0; k < T; k++) out[o + k] = fr(fr(fr(dy[o + k] * y[o + k]) - fr(dot * y[o + k])) * fr(scale));
  }
  return out;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: ATTN_SOFTMAX_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { scores, mask } = inputs as Record<string, tf.TensorInfo>;
      const [N, H, S, T] = scores.shape;
      const p = program(`${ATTN_SOFTMAX_KERNEL}_${WG}`, ['scores', 'mask'], scores.shape, 'count : i32, seq : i32, heads : i32, keys : i32, start : i32, scale : f32,', FORWARD_CODE);
      const u = [N * H * S, S, H, T, attrs!.start as number].map((v) => ({ type: 'int32', data: [v] }));
      return (backend as unknown as WebGPULike).runWebGPUProgram(p, [scores, mask], 'float32', [...u, { type: 'float32', data: [attrs!.scale as number] }]);
    },
  });
  tf.registerKernel({
    kernelName: ATTN_SOFTMAX_GRAD_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { y, dy } = inputs as Record<string, tf.TensorInfo>;
      const T = y.shape[y.shape.length - 1];
      const rows = y.shape.reduce((a, b) => a * b, 1) / T;
      const p = program(`${ATTN_SOFTMAX_GRAD_KERNEL}_${WG}`, ['ys', 'dy'], y.shape, 'count : i32, keys : i32, scale : f32,', GRAD_CODE);
      return (backend as unknown as WebGPULike).runWebGPUProgram(p, [y, dy], 'float32', [{ type: 'int32', data: [rows] }, { type: 'int32', data: [T] }, { type: 'float32', data: [attrs!.scale as number] }]);
    },
  });
  tf.registerKernel({
    kernelName: ATTN_SOFTMAX_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const b = backend as unknown as CpuLike;
      const { scores, mask } = inputs as Record<string, tf.TensorInfo>;
      return b.makeTensorInfo(scores.shape, 'float32', attnSoftmaxJs(cpuValues(b, scores), cpuValues(b, mask), scores.shape, attrs!.start as number, attrs!.scale as number));
    },
  });
  tf.registerKernel({
    kernelName: ATTN_SOFTMAX_GRAD_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const b = backend as unknown as CpuLike;
      const { y, dy } = inputs as Record<string, tf.TensorInfo>;
      return b.makeTensorInfo(y.shape, 'float32', attnSoftmaxGradJs(cpuValues(b, y), cpuValues(b, dy), y.shape[y.shape.length - 1], attrs!.scale as number));
    },
  });
}

/**
 * softmax(scores·scale + bias) over the last axis, scores [N, H, S, T] for queries at positions
 * start..start+S−1; bias −1e9 on keys after the query (causal) and on padding keys (keyMask [N, T], 1 = real).
 * The gradient goes to scores only (the mask is data). webgpu and cpu only. Call inside tf.tidy.
 */
export function attnSoftmax(scores: tf.Tensor4D, keyMask: tf.Tensor2D, start: number, scale: number): tf.Tensor4D {
  register();
  const run = (name: string, inputs: Record<string, tf.Tensor>) => tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, { start, scale }) as tf.Tensor;
  const op = tf.customGrad(((s: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = run(ATTN_SOFTMAX_KERNEL, { scores: s, mask: keyMask });
    save([y]);
    return { value: y, gradFunc: (dy: tf.Tensor, [sy]: tf.Tensor[]) => run(ATTN_SOFTMAX_GRAD_KERNEL, { y: sy, dy }) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (s: tf.Tensor) => tf.Tensor;
  return op(scores) as tf.Tensor4D;
}
