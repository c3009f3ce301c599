// Where everything lives in the fused decoder's flat buffers. One layout shared by the WebGPU
// program (decodeWebGPU.ts), the JS kernel for cpu/wasm (decodeJs.ts) and the driver
// (fusedGenerate.ts), so the three cannot disagree about an offset.
//
// Flat 1-D buffers because a kernel then binds few tensors (≤ 7, ops.ts MAX_KERNEL_INPUTS) whatever
// the depth of the model, and a WGSL program indexes them without per-tensor shape plumbing.
import * as tf from '@tensorflow/tfjs';
import type { GPT, GPTConfig } from '../model';
import { treeReduce } from '../ops';

/** Model sizes the kernels are specialised for (WebGPU bakes them into the shader). */
export interface DecodeDims {
  C: number; // dModel
  H: number; // heads
  D: number; // head size C/H
  F: number; // MLP width
  V: number; // vocabulary
  L: number; // layers
  maxLen: number; // rows of the rotary table
}

export function decodeDims(cfg: GPTConfig): DecodeDims {
  return { C: cfg.dModel, H: cfg.nHead, D: cfg.dModel / cfg.nHead, F: cfg.dFF, V: cfg.vocabSize, L: cfg.nLayer, maxLen: cfg.maxLen };
}

/** Offsets inside one layer's block of the packed weights (relative to the block's start). */
export interface LayerOffsets {
  ln1g: number;
  ln1b: number;
  wqkv: number; // [C, 3C] row-major
  wo: number; // [C, C]
  ln2g: number;
  ln2b: number;
  w1: number; // [C, F]
  b1: number;
  w2: number; // [F, C]
  b2: number;
  size: number;
}

export interface WeightLayout {
  emb: number; // tok_emb [V, C] at 0
  layer0: number; // first layer block
  layer: LayerOffsets;
  lnfg: number;
  lnfb: number;
  size: number;
}

export function weightLayout(d: DecodeDims): WeightLayout {
  const { C, F, V, L } = d;
  const sizes: [keyof Omit<LayerOffsets, 'size'>, number][] = [
    ['ln1g', C], ['ln1b', C], ['wqkv', C * 3 * C], ['wo', C * C], ['ln2g', C], ['ln2b', C], ['w1', C * F], ['b1', F], ['w2', F * C], ['b2', C],
  ];
  const layer = { size: 0 } as LayerOffsets;
  for (const [k, n] of sizes) {
    layer[k] = layer.size;
    layer.size += n;
  }
  const layer0 = V * C;
  const lnfg = layer0 + L * layer.size;
  return { emb: 0, layer0, layer, lnfg, lnfb: lnfg + C, size: lnfg + 2 * C };
}

/** The weights in weightLayout's order, as the names GPT uses. */
function weightNames(L: number): string[] {
  const names = ['tok_emb'];
  for (let l = 0; l < L; l++) for (const k of ['ln1.g', 'ln1.b', 'attn.wqkv', 'attn.wo', 'ln2.g', 'ln2.b', 'mlp.w1', 'mlp.b1', 'mlp.w2', 'mlp.b2']) names.push(`h${l}.${k}`);
  names.push('lnf.g', 'lnf.b');
  return names;
}

/**
 * Concatenates 1-D tensors in a tree of Concat kernels of at most MAX_KERNEL_INPUTS inputs each
 * (a 32-input Concat would bind 32 storage buffers on WebGPU: an invalid pipeline).
 */
export function concatFlat(xs: tf.Tensor[]): tf.Tensor1D {
  return tf.tidy(() => treeReduce(xs.map((x) => x.reshape([-1])), (chunk) => tf.concat(chunk)).clone() as tf.Tensor1D);
}

/** Every weight of `model` in one flat tensor laid out as weightLayout says. Packed once per generation. */
export function packWeights(model: GPT): tf.Tensor1D {
  const names = weightNames(model.cfg.nLayer);
  const w = concatFlat(names.map((n) => model.weights.get(n)!));
  if (w.size !== weightLayout(decodeDims(model.cfg)).size) throw new Error('packWeights: the layout does not match the model');
  return w;
}

/** cos then sin, each [maxLen, D/2] row-major. */
export function packRope(model: GPT): tf.Tensor1D {
  return concatFlat([model.cos, model.sin]);
}

/**
 * The state buffer one generation writes in place, per row n (rows never read each other's part):
 * KV cache [N, L, 2 (k, v), H, T, D] with T = P + maxNew columns, then the generated ids
 * [N, maxNew] (as floats, exact for small ints), a done flag per row [N], and the logits of the
 * last decoded position [N, V].
 */
export interface StateLayout {
  n: number;
  p: number; // prompt width (left-padded)
  maxNew: number;
  t: number; // P + maxNew
  gen: number; // offset of the generated ids
  done: number;
  logits: number;
  size: number;
}

export function stateLayout(d: DecodeDims, n: number, p: number, maxNew: number): StateLayout {
  const t = p + maxNew;
  const gen = n * d.L * 2 * d.H * t * d.D;
  const done = gen + n * maxNew;
  const logits = done + n;
  return { n, p, maxNew, t, gen, done, logits, size: logits + n * d.V };
}

/** Flat index of cache entry (row n, layer l, kv 0|1, head h, column j, dim i). */
export function kvIndex(d: DecodeDims, s: StateLayout, n: number, l: number, kv: number, h: number, j: number, i: number): number {
  return ((((n * d.L + l) * 2 + kv) * d.H + h) * s.t + j) * d.D + i;
}

/** The kernel that decodes one position, or `count` in turn, for every row (fused: all layers, logits, sampling). */
export const DECODE_KERNEL = 'RepoDecodePosition';

/**
 * Its attributes. Inputs, in order: packed weights, packed rope, prompt ids [N·P] int32, prompt key
 * mask [N·P], uniforms [N·maxNew] (one per row and generated token), state (written in place).
 */
export interface DecodeAttrs {
  dims: DecodeDims;
  n: number;
  p: number;
  maxNew: number;
  pos: number; // the column decoded now: its token is read, its k/v written, and it predicts pos + 1
  count?: number; // columns pos … pos + count − 1 decoded in turn by this one call (default 1)
  temperature: number; // 0 = greedy
}

/**
 * The token drawn from one row of logits: greedy = first maximum; otherwise inverse CDF of
 * softmax(logits / T) at the uniform u, over unnormalised weights exp((l − max)/T). Every path
 * (WGSL, JS kernel, the unfused sampler) draws this way, so for a seed they pick the same tokens
 * up to float rounding at a boundary.
 */
export function pickToken(logits: ArrayLike<number>, off: number, V: number, u: number, temperature: number): number {
  let best = 0;
  for (let i = 1; i < V; i++) if (logits[off + i] > logits[off + best]) best = i;
  if (temperature <= 0) return best;
  const m = logits[off + best];
  let total = 0;
  for (let i = 0; i < V; i++) total += Math.exp((logits[off + i] - m) / temperature);
  const target = u * total;
  let cum = 0;
  for (let i = 0; i < V; i++) {
    cum += Math.exp((logits[off + i] - m) / temperature);
    if (target < cum) return i;
  }
  return V - 1;
}
