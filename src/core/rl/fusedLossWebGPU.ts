// The fused RL loss kernels (fusedLoss.ts) as WGSL programs for tfjs-webgpu: the same math as their JS
// twins in fusedLossJs.ts, read that file for the derivation. One thread per token (or per logits row);
// the loss and the stats are single-thread sums (a few thousand tokens: negligible next to the ~0.1 ms of
// host time each dispatch costs, docs/DESIGN.md §8.10).
import * as tf from '@tensorflow/tfjs';
import { DATA_C, TOK_C, type RlAttrs } from './fusedLossJs';
import type { Program, WebGPULike } from '../kernels/backendTypes';

const WG = 64;

const UNIFORMS = 'count : i32, nrows : i32, len : i32, vocab : i32, agg : i32, noClip : i32, useRef : i32, maxNew : i32, epsLow : f32, epsHigh : f32, beta : f32, gamma : f32,';

/** Softmax statistics of logits row j: max and log Σ exp(x − max). */
const ROW_STATS = `
fn rowMax(o : i32) -> f32 {
  var mx = lg[o];
  for (var v = 1; v < uniforms.vocab; v++) { mx = max(mx, lg[o + v]); }
  return mx;
}
fn rowSum(o : i32, mx : f32) -> f32 {
  var s = 0.0;
  for (var v = 0; v < uniforms.vocab; v++) { s += exp(lg[o + v] - mx); }
  return s;
}
fn targetOf(j : i32) -> i32 { return clamp(i32(round(td[j * ${DATA_C}])), 0, uniforms.vocab - 1); }`;

/** lg [n, L, V], td [n, L, DATA_C], rd [n, 2] → tok [n, L, TOK_C] (fusedLossJs.ts rlTokenJs, tokenTerms). */
const TOKEN_CODE = `${ROW_STATS}
fn weight(i : i32) -> f32 {
  let L = uniforms.len;
  if (uniforms.agg == 0) {
    var tokens = 0.0;
    for (var k = 0; k < uniforms.nrows * L; k++) { tokens += td[k * ${DATA_C} + 1]; }
    return 1.0 / max(tokens, 1.0);
  }
  if (uniforms.agg == 1) {
    var rl = 0.0;
    for (var t = 0; t < L; t++) { rl += td[(i * L + t) * ${DATA_C} + 1]; }
    return 1.0 / (f32(uniforms.nrows) * max(rl, 1.0));
  }
  return 1.0 / max(f32(uniforms.nrows * uniforms.maxNew), 1.0);
}
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let e = index * ${TOK_C};
  for (var c = 0; c < ${TOK_C}; c++) { result[e + c] = 0.0; }
  let m = td[index * ${DATA_C} + 1];
  if (!(m > 0.0)) { return; }
  let i = index / uniforms.len;
  let o = index * uniforms.vocab;
  let mx = rowMax(o);
  let lse = log(rowSum(o, mx));
  var ent = 0.0;
  for (var v = 0; v < uniforms.vocab; v++) { let l = lg[o + v] - mx - lse; ent -= exp(l) * l; }
  let lp = lg[o + targetOf(index)] - mx - lse;
  let A = rd[i * 2];
  let off = rd[i * 2 + 1];
  let lo = 1.0 - uniforms.epsLow;
  let hi = 1.0 + uniforms.epsHigh;
  let r = exp(lp - td[index * ${DATA_C} + 2]);
  let ra = r * A;
  let ca = clamp(r, lo, hi) * A;
  var onSurr = min(ra, ca);
  var dOn = 0.0;
  if (uniforms.noClip == 1 || ra <= ca || (r >= lo && r <= hi)) { dOn = ra; }
  if (uniforms.noClip == 1) { onSurr = ra; }
  let p = exp(lp);
  let g = uniforms.gamma;
  var f = p;
  var df = p;
  if (g != 0.0) { f = p / (p + g); df = p * (1.0 / (p + g) - p / ((p + g) * (p + g))); }
  let surr = off * f * A + (1.0 - off) * onSurr;
  let dsurr = off * df * A + (1.0 - off) * dOn;
  var k3 = 0.0;
  var dk3 = 0.0;
  if (uniforms.useRef == 1) {
    let x = td[index * ${DATA_C} + 3] - lp;
    k3 = exp(x) - x - 1.0;
    dk3 = 1.0 - exp(x);
  }
  var low = 0.0;
  var high = 0.0;
  if (uniforms.noClip == 0 && r < lo && A < 0.0) { low = 1.0 - off; }
  if (uniforms.noClip == 0 && r > hi && A > 0.0) { high = 1.0 - off; }
  result[e] = lp;
  result[e + 1] = (-surr + uniforms.beta * k3) * m;
  result[e + 2] = low * m;
  result[e + 3] = high * m;
  result[e + 4] = k3 * m;
  result[e + 5] = ent * m;
  result[e + 6] = m;
  result[e + 7] = (-dsurr + uniforms.beta * dk3) * m * weight(i);
}`;

/** tok → loss [] (what 0), stats [5] (1), logpNew [n, L] (2) or clipped [n, L] (3). */
const OUT_CODE = [
  `fn main(index : i32) {
  if (index >= 1) { return; }
  var sum = 0.0;
  var tokens = 0.0;
  var seq = 0.0;
  for (var i = 0; i < uniforms.nrows; i++) {
    var rs = 0.0;
    var rl = 0.0;
    for (var t = 0; t < uniforms.len; t++) { let e = (i * uniforms.len + t) * ${TOK_C}; rs += tok[e + 1]; rl += tok[e + 6]; }
    sum += rs;
    tokens += rl;
    seq += rs / max(rl, 1.0);
  }
  if (uniforms.agg == 0) { result[0] = sum / max(tokens, 1.0); }
  else if (uniforms.agg == 1) { result[0] = seq / f32(uniforms.nrows); }
  else { result[0] = sum / max(f32(uniforms.nrows * uniforms.maxNew), 1.0); }
}`,
  `fn main(index : i32) {
  if (index >= 1) { return; }
  var s = array<f32, 5>(0.0, 0.0, 0.0, 0.0, 0.0);
  var tokens = 0.0;
  for (var e = 0; e < uniforms.nrows * uniforms.len * ${TOK_C}; e += ${TOK_C}) {
    s[0] += tok[e + 2];
    s[1] += tok[e + 3];
    s[2] += tok[e + 2] + tok[e + 3];
    s[3] += tok[e + 4];
    s[4] += tok[e + 5];
    tokens += tok[e + 6];
  }
  for (var k = 0; k < 5; k++) { result[k] = s[k] / max(tokens, 1.0); }
}`,
  `fn main(index : i32) { if (index < uniforms.count) { result[index] = tok[index * ${TOK_C}]; } }`,
  `fn main(index : i32) { if (index < uniforms.count) { result[index] = tok[index * ${TOK_C} + 2] + tok[index * ${TOK_C} + 3]; } }`,
];

/** dL/dlogits [n, L, V] = dy · tok.grad · (onehot(target) − softmax), one thread per logits row. */
const GRAD_CODE = `${ROW_STATS}
fn main(index : i32) {
  if (index >= uniforms.count) { return; }
  let o = index * uniforms.vocab;
  let c = dy[0] * tok[index * ${TOK_C} + 7];
  if (c == 0.0) {
    for (var v = 0; v < uniforms.vocab; v++) { result[o + v] = 0.0; }
    return;
  }
  let mx = rowMax(o);
  let s = rowSum(o, mx);
  let tg = targetOf(index);
  for (var v = 0; v < uniforms.vocab; v++) {
    var hot = 0.0;
    if (v == tg) { hot = 1.0; }
    result[o + v] = c * (hot - exp(lg[o + v] - mx) / s);
  }
}`;

function program(key: string, names: string[], shape: number[], threads: number, code: string): Program {
  return { variableNames: names, outputShape: shape, shaderKey: key, dispatchLayout: { x: [0] }, dispatch: [Math.ceil(threads / WG), 1, 1], workgroupSize: [WG, 1, 1], uniforms: UNIFORMS, size: false, getUserCode: () => code };
}

function uniforms(count: number, n: number, L: number, V: number, a: RlAttrs) {
  const ints = [count, n, L, V, a.agg, a.noClip, a.useRef, a.maxNew].map((v) => ({ type: 'int32', data: [v] }));
  return [...ints, ...[a.epsLow, a.epsHigh, a.beta, a.gamma].map((v) => ({ type: 'float32', data: [v] }))];
}

/** Runs one of the three kernels; `what` picks the output of the out kernel. */
export function runRlWebGPU(kind: 'token' | 'out' | 'grad', inputs: tf.TensorInfo[], a: RlAttrs & { what?: number }, backend: WebGPULike): tf.TensorInfo {
  if (kind === 'token') {
    const [n, L, V] = inputs[0].shape;
    const p = program('RepoRlToken', ['lg', 'td', 'rd'], [n, L, TOK_C], n * L, TOKEN_CODE);
    return backend.runWebGPUProgram(p, inputs, 'float32', uniforms(n * L, n, L, V, a));
  }
  if (kind === 'grad') {
    const [n, L, V] = inputs[0].shape;
    const p = program('RepoRlGrad', ['lg', 'td', 'tok', 'dy'], [n, L, V], n * L, GRAD_CODE);
    return backend.runWebGPUProgram(p, inputs, 'float32', uniforms(n * L, n, L, V, a));
  }
  const [n, L] = inputs[0].shape;
  const what = a.what ?? 0;
  const shape = what === 0 ? [] : what === 1 ? [5] : [n, L];
  const p = program(`RepoRlOut${what}`, ['tok'], shape, what < 2 ? 1 : n * L, OUT_CODE[what]);
  return backend.runWebGPUProgram(p, inputs, 'float32', uniforms(what < 2 ? 1 : n * L, n, L, 0, a));
}
