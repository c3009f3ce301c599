// The fused decode kernel as one WGSL program for tfjs-backend-webgpu: one workgroup per row decodes
// `count` positions in turn, each through every layer, the logits and the sampled token, and writes
// its K/V column, the token and the logits into the state buffer in place (the program's output
// binding is the state itself: runWebGPUProgram's `output` argument). One dispatch per generation
// (fusedDecoder.ts) instead of ~300 tfjs kernels per position (docs/DESIGN.md §8.10: dispatch, not
// arithmetic, sets WebGPU's speed for this model).
// Same math and order of operations as decodeJs.ts; float32 throughout.
import * as tf from '@tensorflow/tfjs';
import { EOS_ID, PAD_ID } from '../vocab';
import { DECODE_KERNEL, stateLayout, weightLayout, type DecodeAttrs, type DecodeDims } from './decodeLayout';
import type { Program, WebGPULike } from './backendTypes';

const WG = 64; // threads per row; every loop strides by it, so any model size works

/** Bytes of workgroup memory the program declares (WebGPU guarantees 16,384; more is an invalid pipeline). */
export function workgroupBytes(d: DecodeDims): number {
  return 4 * (6 * d.C + d.F + d.H * d.maxLen + d.V + 1);
}
export const WORKGROUP_BYTES_LIMIT = 16384;

function userCode(d: DecodeDims): string {
  const { C, H, D, F, V, L, maxLen } = d;
  const w = weightLayout(d);
  const lo = w.layer;
  const f = (x: number) => (Number.isInteger(x) ? `${x}.0` : `${x}`);
  return `
const C = ${C}; const H = ${H}; const D = ${D}; const HALF = ${D / 2}; const F = ${F}; const V = ${V}; const L = ${L};
const MAXLEN = ${maxLen}; const WG = ${WG}; const NEG = -1e9; const SCALE = ${f(1 / Math.sqrt(D))};
const LAYER0 = ${w.layer0}; const LSIZE = ${lo.size}; const LNFG = ${w.lnfg}; const LNFB = ${w.lnfb};
var<workgroup> x : array<f32, ${C}>;
var<workgroup> hb : array<f32, ${C}>;
var<workgroup> qkv : array<f32, ${3 * C}>;
var<workgroup> yb : array<f32, ${C}>;
var<workgroup> mb : array<f32, ${F}>;
var<workgroup> att : array<f32, ${H * maxLen}>;
var<workgroup> lg : array<f32, ${V}>;
var<workgroup> rowDone : u32;

// Every thread computes the row's mean and variance itself (C reads of shared memory): no barrier
// between the statistics and their use.
fn layerNorm(g : i32, b : i32, tid : i32) {
  var mean = 0.0;
  for (var c = 0; c < C; c++) { mean += x[c]; }
  mean = mean / f32(C);
  var v = 0.0;
  for (var c = 0; c < C; c++) { let dx = x[c] - mean; v += dx * dx; }
  let sd = sqrt(v / f32(C) + 1e-5);
  for (var c = tid; c < C; c += WG) { hb[c] = (x[c] - mean) / sd * w[g + c] + w[b + c]; }
}

fn gelu(v : f32) -> f32 {
  let z2 = ${f(2 * Math.sqrt(2 / Math.PI))} * (v + 0.044715 * v * v * v);
  if (z2 >= 0.0) { return v / (1.0 + exp(-z2)); }
  let e = exp(z2);
  return v * e / (1.0 + e);
}

fn kvAt(n : i32, l : i32, kv : i32, h : i32, j : i32) -> i32 {
  return ((((n * L + l) * 2 + kv) * H + h) * (uniforms.p + uniforms.maxNew) + j) * D;
}

${'fn main(index : i32)'} {
  let n = i32(workgroupId.x);
  let tid = i32(localId.x);
  let P = uniforms.p;
  let maxNew = uniforms.maxNew;
  let T = P + maxNew;
  let gen = uniforms.n * L * 2 * H * T * D;
  let done = gen + uniforms.n * maxNew;
  let logitsAt = done + uniforms.n;
  // Positions pos0 … pos0 + count − 1, one after another: each reads the token the last one sampled
  // and the K/V columns it wrote (the barriers at the loop's end make them visible to every thread).
  for (var pos = uniforms.pos; pos < uniforms.pos + uniforms.count; pos++) {
    let g = pos - P + 1; // the generated token this position predicts
    // A row that has said EOS is not decoded further (its cache and logits stay as they were): its
    // remaining tokens are PAD. workgroupUniformLoad makes the flag uniform, as the barriers need.
    if (tid == 0) { rowDone = select(0u, 1u, pos >= P && result[done + n] > 0.5); }
    if (workgroupUniformLoad(&rowDone) == 1u) {
      if (tid == 0 && g < maxNew) { result[gen + n * maxNew + g] = ${f(PAD_ID)}; }
      continue;
    }
    var tok : i32;
    if (pos < P) { tok = ids[n * P + pos]; } else { tok = i32(result[gen + n * maxNew + pos - P]); }
    for (var c = tid; c < C; c += WG) { x[c] = w[tok * C + c]; }
    workgroupBarrier();
    for (var l = 0; l < L; l++) {
      let o = LAYER0 + l * LSIZE;
      layerNorm(o + ${lo.ln1g}, o + ${lo.ln1b}, tid);
      workgroupBarrier();
      for (var j = tid; j < 3 * C; j += WG) {
        var acc = 0.0;
        for (var k = 0; k < C; k++) { acc += hb[k] * w[o + ${lo.wqkv} + k * 3 * C + j]; }
        qkv[j] = acc;
      }
      workgroupBarrier();
      // RoPE on q and k: one thread per (part, head, i) pair, which reads both halves before writing.
      for (var r = tid; r < C; r += WG) {
        let part = r / (C / 2);
        let hh = (r % (C / 2)) / HALF;
        let i = r % HALF;
        let at = part * C + hh * D + i;
        let x1 = qkv[at];
        let x2 = qkv[at + HALF];
        let cs = rope[pos * HALF + i];
        let sn = rope[MAXLEN * HALF + pos * HALF + i];
        qkv[at] = x1 * cs - x2 * sn;
        qkv[at + HALF] = x1 * sn + x2 * cs;
      }
      workgroupBarrier();
      for (var r = tid; r < C; r += WG) {
        let hh = r / D;
        let i = r % D;
        result[kvAt(n, l, 0, hh, pos) + i] = qkv[C + r];
        result[kvAt(n, l, 1, hh, pos) + i] = qkv[2 * C + r];
      }
      storageBarrier();
      workgroupBarrier();
      let cnt = pos + 1;
      for (var r = tid; r < H * cnt; r += WG) {
        let hh = r / cnt;
        let j = r % cnt;
        let k0 = kvAt(n, l, 0, hh, j);
        var dot = 0.0;
        for (var i = 0; i < D; i++) { dot += qkv[hh * D + i] * result[k0 + i]; }
        var real = j >= P;
        if (!real) { real = mask[n * P + j] > 0.5; }
        att[hh * MAXLEN + j] = dot * SCALE + select(NEG, 0.0, real);
      }
      workgroupBarrier();
      if (tid < H) {
        var mx = -3.4e38;
        for (var j = 0; j < cnt; j++) { mx = max(mx, att[tid * MAXLEN + j]); }
        var sum = 0.0;
        for (var j = 0; j < cnt; j++) { let e = exp(att[tid * MAXLEN + j] - mx); att[tid * MAXLEN + j] = e; sum += e; }
        for (var j = 0; j < cnt; j++) { att[tid * MAXLEN + j] = att[tid * MAXLEN + j] / sum; }
      }
      workgroupBarrier();
      for (var r = tid; r < C; r += WG) {
        let hh = r / D;
        let i = r % D;
        var acc = 0.0;
        for (var j = 0; j < cnt; j++) { acc += att[hh * MAXLEN + j] * result[kvAt(n, l, 1, hh, j) + i]; }
        yb[r] = acc;
      }
      workgroupBarrier();
      for (var c = tid; c < C; c += WG) {
        var acc = 0.0;
        for (var k = 0; k < C; k++) { acc += yb[k] * w[o + ${lo.wo} + k * C + c]; }
        x[c] = x[c] + acc;
      }
      workgroupBarrier();
      layerNorm(o + ${lo.ln2g}, o + ${lo.ln2b}, tid);
      workgroupBarrier();
      for (var q = tid; q < F; q += WG) {
        var acc = 0.0;
        for (var k = 0; k < C; k++) { acc += hb[k] * w[o + ${lo.w1} + k * F + q]; }
        mb[q] = gelu(acc + w[o + ${lo.b1} + q]);
      }
      workgroupBarrier();
      for (var c = tid; c < C; c += WG) {
        var acc = 0.0;
        for (var k = 0; k < F; k++) { acc += mb[k] * w[o + ${lo.w2} + k * C + c]; }
        x[c] = x[c] + (acc + w[o + ${lo.b2} + c]);
      }
      workgroupBarrier();
    }
    layerNorm(LNFG, LNFB, tid);
    workgroupBarrier();
    for (var v = tid; v < V; v += WG) {
      var acc = 0.0;
      for (var c = 0; c < C; c++) { acc += hb[c] * w[v * C + c]; }
      lg[v] = acc;
      result[logitsAt + n * V + v] = acc;
    }
    workgroupBarrier();
    if (tid == 0 && g >= 0 && g < maxNew) {
      // pickToken (decodeLayout.ts) in float32
      var best = 0;
      for (var i = 1; i < V; i++) { if (lg[i] > lg[best]) { best = i; } }
      var next = best;
      let temp = uniforms.temperature;
      if (temp > 0.0) {
        let m = lg[best];
        var total = 0.0;
        for (var i = 0; i < V; i++) { total += exp((lg[i] - m) / temp); }
        let goal = unif[n * maxNew + g] * total;
        var cum = 0.0;
        next = V - 1;
        for (var i = 0; i < V; i++) {
          cum += exp((lg[i] - m) / temp);
          if (goal < cum) { next = i; break; }
        }
      }
      result[gen + n * maxNew + g] = f32(next);
      if (next == ${EOS_ID}) { result[done + n] = 1.0; }
    }
    storageBarrier();
    workgroupBarrier();
  }
}`;
}

function program(d: DecodeDims, stateSize: number, n: number): Program {
  return {
    variableNames: ['w', 'rope', 'ids', 'mask', 'unif'],
    outputShape: [stateSize],
    // The model's sizes are baked into the code; per-call sizes are uniforms, so one pipeline serves
    // every prompt width and batch.
    shaderKey: `repoDecode_${d.C}_${d.H}_${d.F}_${d.V}_${d.L}_${d.maxLen}_${WG}`,
    dispatchLayout: { x: [0] },
    dispatch: [n, 1, 1],
    workgroupSize: [WG, 1, 1],
    uniforms: 'n : i32, p : i32, maxNew : i32, pos : i32, count : i32, temperature : f32,',
    size: false,
    getUserCode: () => userCode(d),
  };
}

export function registerWebGPUDecode(): void {
  tf.registerKernel({
    kernelName: DECODE_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const a = attrs as unknown as DecodeAttrs;
      const b = backend as unknown as WebGPULike;
      const [w, rope, ids, mask, unif, state] = ['w', 'rope', 'ids', 'mask', 'unif', 'state'].map((k) => inputs[k] as tf.TensorInfo);
      const s = stateLayout(a.dims, a.n, a.p, a.maxNew);
      if (state.shape[0] !== s.size) throw new Error(`${DECODE_KERNEL}: state of ${state.shape[0]} floats, the layout needs ${s.size}`);
      // One entry per scalar: tfjs aligns a 4-value entry to 16 bytes (as a vec4), the WGSL struct
      // declares four scalars packed at 4 bytes.
      const uniforms = [
        ...[a.n, a.p, a.maxNew, a.pos, a.count ?? 1].map((v) => ({ type: 'int32', data: [v] })),
        { type: 'float32', data: [a.temperature] },
      ];
      b.runWebGPUProgram(program(a.dims, s.size, a.n), [w, rope, ids, mask, unif], 'float32', uniforms, state);
      b.incRef(state.dataId); // the output is the state buffer, written in place (as Reshape aliases)
      return { dataId: state.dataId, shape: state.shape, dtype: state.dtype };
    },
  });
}
