// The attention head split of GPT.forward as one kernel per head tensor, with RoPE folded in: q, k, v
// [N, H, S, dh] straight from the qkv matmul's output [N·S, 3C]. tfjs's ops take a Slice, a Transpose
// and (q, k) a RoPE per head tensor, 8 dispatches forward, and ~10 back (RoPE, Transpose, PadV2 and the
// Adds that merge the three padded gradients); here 3 forward and 1 back (docs/DESIGN.md §8.10: on WebGPU
// every dispatch costs ~0.1 ms of host time). webgpu (WGSL) and cpu (JS twin) only; wasm keeps tfjs's
// ops (fusedOps.ts header). Same rotation, in the same order of operations, as ROPE_KERNEL.
import * as tf from '@tensorflow/tfjs';
import { cpuValues, type Program, type WebGPULike, type CpuLike } from './backendTypes';

/** qkv [N·S, 3C], cos, sin [S, dh/2], attrs n, heads → [q, k, v], each [N, H, S, dh]; q and k rotated. */
export const QKV_HEADS_KERNEL = 'RepoQkvHeads';
/** dq, dk, dv [N, H, S, dh], cos, sin [S, dh/2] → dL/dqkv [N·S, 3C] (q and k rotated back). */
export const QKV_HEADS_GRAD_KERNEL = 'RepoQkvHeadsGrad';

const WG = 64;

/** Index helpers shared by both programs: element `index` of a head tensor [N, H, S, dh] sits at row
 *  n·S + s, column part·C + h·dh + d of qkv. */
const LAYOUT = (H: number, D: number) => `
const H = ${H};
const D = ${D};
const HALF = ${D / 2};
const C = ${H * D};`;

/** One thread per element of head tensor `part` (0 q, 1 k: rotated; 2 v: copied). */
const HEADS_CODE = (H: number, D: number) => `${LAYOUT(H, D)}
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let j = index % D;
  let s = (index / D) % uniforms.seq;
  let h = (index / (D * uniforms.seq)) % H;
  let n = index / (D * uniforms.seq * H);
  let at = (n * uniforms.seq + s) * 3 * C + uniforms.part * C + h * D; // start of this head's dh values
  if (uniforms.part == 2) { result[index] = qkv[at + j]; return; }
  let i = j % HALF;
  let c = cs[s * HALF + i];
  let sn0 = sn[s * HALF + i];
  if (j < HALF) { result[index] = qkv[at + i] * c - qkv[at + i + HALF] * sn0; } else { result[index] = qkv[at + i + HALF] * c + qkv[at + i] * sn0; }
}`;

/** One thread per element of dL/dqkv [N·S, 3C]: reads its head tensor's gradient, rotating q and k back. */
const GRAD_CODE = (H: number, D: number) => `${LAYOUT(H, D)}
fn pick(part : i32, at : i32) -> f32 {
  if (part == 0) { return dq[at]; }
  if (part == 1) { return dk[at]; }
  return dv[at];
}
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let col = index % (3 * C);
  let r = index / (3 * C);
  let s = r % uniforms.seq;
  let n = r / uniforms.seq;
  let part = col / C;
  let h = (col % C) / D;
  let j = col % D;
  let at = ((n * H + h) * uniforms.seq + s) * D; // start of the head row in dq/dk/dv
  if (part == 2) { result[index] = dv[at + j]; return; }
  let i = j % HALF;
  let c = cs[s * HALF + i];
  let m = -sn[s * HALF + i]; // the inverse rotation: ROPE_KERNEL with sign −1
  if (j < HALF) { result[index] = pick(part, at + i) * c - pick(part, at + i + HALF) * m; } else { result[index] = pick(part, at + i + HALF) * c + pick(part, at + i) * m; }
}`;

function program(key: string, names: string[], out: number[], uniforms: string, code: string): Program {
  const count = out.reduce((a, b) => a * b, 1);
  return { variableNames: names, outputShape: out, shaderKey: key, dispatchLayout: { x: [0] }, dispatch: [Math.ceil(count / WG), 1, 1], workgroupSize: [WG, 1, 1], uniforms, size: false, getUserCode: () => code };
}

/** Rotates (sign 1) or rotates back (sign −1) the pair (x1, x2) at column i of a row, as ROPE_KERNEL does. */
function rot(x1: number, x2: number, c: number, s: number, first: boolean): number {
  return first ? Math.fround(Math.fround(x1 * c) - Math.fround(x2 * s)) : Math.fround(Math.fround(x2 * c) + Math.fround(x1 * s));
}

/** JS twin of HEADS_CODE (all three parts). qkv [N·S, 3C] → [q, k, v] flat [N, H, S, D]. */
export function qkvHeadsJs(qkv: Float32Array, cos: Float32Array, sin: Float32Array, N: number, S: number, H: number, D: number): Float32Array[] {
  const C = H * D;
  const half = D / 2;
  return [0, 1, 2].map((part) => {
    const out = new Float32Array(N * H * S * D);
    for (let n = 0; n < N; n++)
      for (let h = 0; h < H; h++)
        for (let s = 0; s < S; s++) {
          const at = (n * S + s) * 3 * C + part * C + h * D;
          const o = ((n * H + h) * S + s) * D;
          for (let j = 0; j < D; j++) {
            const i = j % half;
            out[o + j] = part === 2 ? qkv[at + j] : rot(qkv[at + i], qkv[at + i + half], cos[s * half + i], sin[s * half + i], j < half);
          }
        }
    return out;
  });
}

/** JS twin of GRAD_CODE: dq, dk, dv flat [N, H, S, D] → dL/dqkv [N·S, 3C]. */
export function qkvHeadsGradJs(d: Float32Array[], cos: Float32Array, sin: Float32Array, N: number, S: number, H: number, D: number): Float32Array {
  const C = H * D;
  const half = D / 2;
  const out = new Float32Array(N * S * 3 * C);
  for (let part = 0; part < 3; part++)
    for (let n = 0; n < N; n++)
      for (let h = 0; h < H; h++)
        for (let s = 0; s < S; s++) {
          const at = (n * S + s) * 3 * C + part * C + h * D;
          const o = ((n * H + h) * S + s) * D;
          const g = d[part];
          for (let j = 0; j < D; j++) {
            const i = j % half;
            out[at + j] = part === 2 ? g[o + j] : rot(g[o + i], g[o + i + half], cos[s * half + i], -sin[s * half + i], j < half);
          }
        }
  return out;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  const dims = (qkvShape: number[], cosShape: number[], attrs: tf.NamedAttrMap) => {
    const N = attrs.n as number;
    const H = attrs.heads as number;
    return { N, S: qkvShape[0] / N, H, D: (2 * cosShape[1]) as number };
  };
  tf.registerKernel({
    kernelName: QKV_HEADS_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { qkv, cos, sin } = inputs as Record<string, tf.TensorInfo>;
      const { N, S, H, D } = dims(qkv.shape, cos.shape, attrs ?? {});
      const out = [N, H, S, D];
      const p = program(`${QKV_HEADS_KERNEL}_${H}_${D}_${WG}`, ['qkv', 'cs', 'sn'], out, 'count : i32, seq : i32, part : i32,', HEADS_CODE(H, D));
      const u = (part: number) => [{ type: 'int32', data: [N * H * S * D] }, { type: 'int32', data: [S] }, { type: 'int32', data: [part] }];
      return [0, 1, 2].map((part) => (backend as unknown as WebGPULike).runWebGPUProgram(p, [qkv, cos, sin], 'float32', u(part)));
    },
  });
  tf.registerKernel({
    kernelName: QKV_HEADS_GRAD_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const { dq, dk, dv, cos, sin } = inputs as Record<string, tf.TensorInfo>;
      const [N, H, S, D] = dq.shape;
      const p = program(`${QKV_HEADS_GRAD_KERNEL}_${H}_${D}_${WG}`, ['dq', 'dk', 'dv', 'cs', 'sn'], [N * S, 3 * H * D], 'count : i32, seq : i32,', GRAD_CODE(H, D));
      return (backend as unknown as WebGPULike).runWebGPUProgram(p, [dq, dk, dv, cos, sin], 'float32', [{ type: 'int32', data: [N * S * 3 * H * D] }, { type: 'int32', data: [S] }]);
    },
  });
  tf.registerKernel({
    kernelName: QKV_HEADS_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const b = backend as unknown as CpuLike;
      const { qkv, cos, sin } = inputs as Record<string, tf.TensorInfo>;
      const { N, S, H, D } = dims(qkv.shape, cos.shape, attrs ?? {});
      return qkvHeadsJs(cpuValues(b, qkv), cpuValues(b, cos), cpuValues(b, sin), N, S, H, D).map((v) => b.makeTensorInfo([N, H, S, D], 'float32', v));
    },
  });
  tf.registerKernel({
    kernelName: QKV_HEADS_GRAD_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as CpuLike;
      const { dq, dk, dv, cos, sin } = inputs as Record<string, tf.TensorInfo>;
      const [N, H, S, D] = dq.shape;
      const g = qkvHeadsGradJs([dq, dk, dv].map((t) => cpuValues(b, t)), cpuValues(b, cos), cpuValues(b, sin), N, S, H, D);
      return b.makeTensorInfo([N * S, 3 * H * D], 'float32', g);
    },
  });
  // A registered gradient (not tf.customGrad, which allows one output only): the tape hands the three
  // heads' gradients together (zeros for an unused one) and gets dL/dqkv from one kernel.
  tf.registerGradient({
    kernelName: QKV_HEADS_KERNEL,
    inputsToSave: ['cos', 'sin'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [dq, dk, dv] = dy as tf.Tensor[];
      const [cos, sin] = saved;
      return {
        qkv: () => tf.engine().runKernel(QKV_HEADS_GRAD_KERNEL, { dq, dk, dv, cos, sin } as unknown as tf.NamedTensorMap) as tf.Tensor,
        cos: () => tf.zerosLike(cos), // constant tables: never on a gradient path in GPT.forward
        sin: () => tf.zerosLike(sin),
      };
    },
  });
}

/** q, k (rotated) and v [N, H, S, dh] from qkv [N·S, 3C] with rotary tables cos, sin [S, dh/2]. webgpu and cpu only. */
export function qkvHeads(qkv: tf.Tensor2D, cos: tf.Tensor2D, sin: tf.Tensor2D, n: number, heads: number): tf.Tensor4D[] {
  register();
  return tf.engine().runKernel(QKV_HEADS_KERNEL, { qkv, cos, sin } as unknown as tf.NamedTensorMap, { n, heads }) as unknown as tf.Tensor4D[];
}
