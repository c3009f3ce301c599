// The policy: a tiny decoder-only transformer (pre-LN, rotary positions, tied embeddings).
//
// Rotary positions (RoPE) rather than learned absolute ones: attention then depends only on the
// distance between tokens, so left padding is harmless and a column lookup learned at one place in a
// sequence is the same lookup at another (docs/DESIGN.md §7: learned absolute positions left 4-digit sums
// unlearnable even by supervised training).
import * as tf from '@tensorflow/tfjs';
import { PAD_ID, VOCAB_SIZE } from './vocab';
import { biasGelu, fusedOpsActive, layerNorm, layerNormSkip, rope } from './kernels/fusedOps';
import { attnSoftmax } from './kernels/attnSoftmax';
import { qkvHeads } from './kernels/qkvHeads';
import { mm as mmPlain, mmAddFlags, mmFlags, mmRowsSimd, mmSimd, mmT as mmTPlain, mmTFlags, mmTSimd } from './ops';
import { wasmSimdActive } from './wasmSimd/module';
import { qkvHeadsSimd } from './wasmSimd/qkvHeads';
import { attentionSoftmaxSimd } from './wasmSimd/attention';
import { kvBuffer, kvScores, kvValues, kvWrite } from './wasmSimd/kvCache';
import { rowRuns } from './wasmSimd/bmm';

export interface GPTConfig {
  vocabSize: number;
  dModel: number;
  nLayer: number;
  nHead: number;
  dFF: number;
  maxLen: number; // longest sequence the rotary table covers
}

export const DEFAULT_GPT: GPTConfig = { vocabSize: VOCAB_SIZE, dModel: 64, nLayer: 3, nHead: 4, dFF: 256, maxLen: 192 };

const NEG = -1e9; // finite mask value: WGSL may assume no Inf/NaN

/** Per layer: K and V [N, H, T, dh]; or, with `len`, buffers [N, H, capacity, dh] whose first len
 *  positions are filled (wasm with our module: written in place, wasmSimd/kvCache.ts). */
export type KVCache = { k: tf.Tensor4D; v: tf.Tensor4D; len?: number }[];

/** Whether wasm's dense layers skip a padded batch's padding rows (same bits; tests turn it off to check). */
export const denseOptions = { skipPaddingRows: true };

export class GPT {
  readonly cfg: GPTConfig;
  /** Every trainable weight by name; the order is the checkpoint order. */
  readonly weights: Map<string, tf.Variable>;
  /** Rotary tables [maxLen, dh/2]; read-only outside (the fused decoder packs them, kernels/decodeLayout.ts). */
  readonly cos: tf.Tensor2D;
  readonly sin: tf.Tensor2D;

  constructor(cfg: GPTConfig, seed: number, init?: Map<string, tf.Tensor>) {
    if (cfg.dModel % cfg.nHead !== 0) throw new Error('dModel must be a multiple of nHead');
    this.cfg = cfg;
    this.weights = new Map();
    const { dModel: C, dFF: F, nLayer: L, vocabSize: V } = cfg;
    let s = seed;
    const normal = (shape: number[], std: number) => tf.randomNormal(shape, 0, std, 'float32', s++);
    const add = (name: string, make: () => tf.Tensor) => {
      const given = init?.get(name);
      const t = given ?? make();
      this.weights.set(name, tf.variable(t, true, `${name}_${seed}_${Math.random().toString(36).slice(2)}`));
      if (!given) t.dispose();
    };
    const resid = 0.02 / Math.sqrt(2 * L); // GPT-2: scale residual projections by depth
    add('tok_emb', () => normal([V, C], 0.02));
    for (let l = 0; l < L; l++) {
      add(`h${l}.ln1.g`, () => tf.ones([C]));
      add(`h${l}.ln1.b`, () => tf.zeros([C]));
      add(`h${l}.attn.wqkv`, () => normal([C, 3 * C], 0.02));
      add(`h${l}.attn.wo`, () => normal([C, C], resid));
      add(`h${l}.ln2.g`, () => tf.ones([C]));
      add(`h${l}.ln2.b`, () => tf.zeros([C]));
      add(`h${l}.mlp.w1`, () => normal([C, F], 0.02));
      add(`h${l}.mlp.b1`, () => tf.zeros([F]));
      add(`h${l}.mlp.w2`, () => normal([F, C], resid));
      add(`h${l}.mlp.b2`, () => tf.zeros([C]));
    }
    add('lnf.g', () => tf.ones([C]));
    add('lnf.b', () => tf.zeros([C]));
    const dh = C / cfg.nHead;
    [this.cos, this.sin] = tf.tidy(() => {
      const inv = tf.pow(10000, tf.div(tf.range(0, dh / 2), -dh / 2)) as tf.Tensor1D; // [dh/2]
      const ang = tf.outerProduct(tf.range(0, cfg.maxLen), inv); // [maxLen, dh/2]
      return [tf.keep(tf.cos(ang)), tf.keep(tf.sin(ang))] as [tf.Tensor2D, tf.Tensor2D];
    });
  }

  get numParams(): number {
    let n = 0;
    for (const w of this.weights.values()) n += w.size;
    return n;
  }

  trainable(): tf.Variable[] {
    return [...this.weights.values()];
  }

  private w(name: string): tf.Tensor {
    return this.weights.get(name)!;
  }

  /**
   * Runs S new tokens that sit at positions [start, start+S) after `past` (if any).
   * tokens [N, S] int32; keyMask [N, start+S] (1 = real token, 0 = padding).
   * Returns logits [N, S, V] and the cache extended by these S positions. Call inside tf.tidy.
   * `capacity` (decoding): the most positions the cache will hold; on wasm with our module the cache is
   * then written in place instead of concatenated (same values).
   */
  forward(tokens: tf.Tensor2D, keyMask: tf.Tensor2D, start = 0, past?: KVCache, capacity?: number): { logits: tf.Tensor3D; cache: KVCache } {
    const [N, S] = tokens.shape;
    // Transposed operands through matMul's flags where the backend reads them natively (ops.ts mmFlags);
    // wasm: through our SimdMatMul, which keeps tfjs-wasm's values (wasmSimd/bmm.ts); explicit
    // transposes where that module cannot load (tfjs-wasm's own transposed BatchMatMul is slow).
    const fused = fusedOpsActive();
    const simd = !fused && wasmSimdActive();
    const mm = fused ? mmFlags : simd ? mmSimd : mmPlain;
    const mmT = fused ? mmTFlags : simd ? mmTSimd : mmTPlain;
    const { dModel: C, nHead: H, nLayer: L } = this.cfg;
    const dh = C / H;
    const total = start + S;
    if (total > this.cfg.maxLen) throw new Error(`sequence of ${total} tokens exceeds the model's maxLen ${this.cfg.maxLen}`);
    // In place where our module runs and the caller gives a capacity (decoding), or continues such a cache.
    const inPlace = simd && (past ? past[0]?.len !== undefined : capacity !== undefined);
    if (past && (past[0]?.len !== undefined) !== inPlace) throw new Error('GPT.forward: an in-place KV cache continues only on wasm with its SIMD module');
    const cap = Math.min(capacity ?? 0, this.cfg.maxLen);
    if (inPlace && total > (past ? past[0].k.shape[2] : cap)) throw new Error(`GPT.forward: ${total} positions exceed the KV cache's capacity`);
    // Additive attention bias [N, 1, S, total]: causal (query i sees keys ≤ start+i) and no padding keys.
    // Fused, the attention kernel builds it from keyMask itself (kernels/attnSoftmax.ts).
    const maskValues = simd ? keyMask.dataSync() : null; // read once: the bias and the row runs use it
    const bias = fused ? null : maskValues ? attentionBiasJs(keyMask, N, S, start, total, maskValues) : attentionBias(keyMask, N, S, start, total);
    // The dense layers ([N*S, ·] products), on wasm with our module over a whole padded batch, skip the
    // padding rows (same values on the real rows: ops.ts mmRowsSimd).
    const dense = maskValues && !past && start === 0 && denseOptions.skipPaddingRows ? mmRowsSimd(rowRuns(maskValues)) : { mm, mmT };
    const cos = this.cos.slice([start, 0], [S, dh / 2]);
    const sin = this.sin.slice([start, 0], [S, dh / 2]);

    // Embedding as one-hot × table: gather's gradient (UnsortedSegmentSum) has no wasm kernel, and V is tiny.
    let x = mm(tf.oneHot(tokens.reshape([N * S]), this.cfg.vocabSize), this.w('tok_emb')).reshape([N, S, C]) as tf.Tensor3D; // [N, S, C]
    const cache: KVCache = [];
    for (let l = 0; l < L; l++) {
      // [N, S, C]; fused on webgpu and cpu, our kernel on wasm (kernels/fusedOps.ts); xs is x, for the residual
      const [h, xs] = layerNormSkip(x, this.w(`h${l}.ln1.g`), this.w(`h${l}.ln1.b`));
      const qkv = dense.mm(h.reshape([N * S, C]), this.w(`h${l}.attn.wqkv`)); // [N*S, 3C]
      const heads = (i: number) =>
        qkv.slice([0, i * C], [N * S, C]).reshape([N, S, H, dh]).transpose([0, 2, 1, 3]) as tf.Tensor4D; // [N, H, S, dh]
      // Fused: one kernel per head tensor with RoPE folded in, one for their gradient (kernels/qkvHeads.ts).
      // On wasm with our module, one kernel with the unfused ops' bits (wasmSimd/qkvHeads.ts).
      const [qh, k0, v0] = fused ? qkvHeads(qkv as tf.Tensor2D, cos, sin, N, H) : simd ? qkvHeadsSimd(qkv, cos, sin, N, H) : [rope(heads(0), cos, sin), rope(heads(1), cos, sin), heads(2)];
      let scores: tf.Tensor4D; // [N, H, S, total]
      let values: (att: tf.Tensor) => tf.Tensor; // att [N, H, S, total] → [N, H, S, dh]
      if (inPlace) {
        const k = kvWrite(past?.[l].k ?? kvBuffer(N, H, cap, dh), k0, start); // [N, H, capacity, dh]
        const v = kvWrite(past?.[l].v ?? kvBuffer(N, H, cap, dh), v0, start);
        cache.push({ k, v, len: total });
        scores = kvScores(qh, k, total);
        values = (att) => kvValues(att, v, total);
      } else {
        const kh = past ? tf.concat([past[l].k, k0], 2) : k0; // [N, H, total, dh]
        const vh = past ? tf.concat([past[l].v, v0], 2) : v0;
        cache.push({ k: kh, v: vh });
        scores = mmT(qh, kh) as tf.Tensor4D;
        values = (att) => mm(att, vh);
      }
      const att = !bias ? attnSoftmax(scores, keyMask, start, 1 / Math.sqrt(dh)) : simd ? attentionSoftmaxSimd(scores, bias, 1 / Math.sqrt(dh)) : tf.softmax(tf.add(tf.mul(scores, 1 / Math.sqrt(dh)), bias));
      const y = values(att).transpose([0, 2, 1, 3]).reshape([N * S, C]); // [N*S, C]
      const wo = this.w(`h${l}.attn.wo`);
      // Fused: the residual and the MLP's output bias ride in the products' epilogue (ops.ts mmAddFlags).
      x = (fused ? mmAddFlags(y, wo, xs.reshape([N * S, C])).reshape([N, S, C]) : tf.add(xs, dense.mm(y, wo).reshape([N, S, C]))) as tf.Tensor3D;
      const [ln2, xs2] = layerNormSkip(x, this.w(`h${l}.ln2.g`), this.w(`h${l}.ln2.b`));
      const h2 = ln2.reshape([N * S, C]);
      const g = biasGelu(dense.mm(h2, this.w(`h${l}.mlp.w1`)), this.w(`h${l}.mlp.b1`)); // [N*S, F]
      const m = fused ? mmAddFlags(g, this.w(`h${l}.mlp.w2`), this.w(`h${l}.mlp.b2`)) : tf.add(dense.mm(g, this.w(`h${l}.mlp.w2`)), this.w(`h${l}.mlp.b2`)); // [N*S, C]
      x = tf.add(xs2, m.reshape([N, S, C])) as tf.Tensor3D;
    }
    const xf = layerNorm(x, this.w('lnf.g'), this.w('lnf.b')).reshape([N * S, C]);
    const logits = dense.mmT(xf, this.w('tok_emb')).reshape([N, S, this.cfg.vocabSize]) as tf.Tensor3D;
    return { logits, cache };
  }

  /** Logits [N, L, V] predicting every continuation token of a packed batch. Call inside tf.tidy. */
  continuationLogits(b: PackedBatch): tf.Tensor3D {
    const tokens = tf.tensor2d(b.inputs, [b.n, b.width], 'int32');
    const mask = tf.tensor2d(b.keyMask, [b.n, b.width]);
    const { logits } = this.forward(tokens, mask);
    // Position P-1+j predicts continuation token j.
    return logits.slice([0, b.prefixWidth - 1, 0], [b.n, b.contWidth, this.cfg.vocabSize]);
  }

  dispose(): void {
    for (const w of this.weights.values()) w.dispose();
    this.cos.dispose();
    this.sin.dispose();
  }
}

/** attentionBias's values, bit for bit, computed in JS from keyMask's values and uploaded as one tensor:
 *  on wasm (where keyMask's values are a memory copy away) that is 1 kernel instead of ~10 per forward,
 *  which adds up over the ~80 forwards of a generation. The f32 rounding of each tfjs op is kept
 *  ((1 − m)·NEG is −0 for m = 1; causal + pad rounds NEG + NEG), so the bias is the same tensor. */
export function attentionBiasJs(keyMask: tf.Tensor2D, N: number, S: number, start: number, total: number, m: ArrayLike<number> = keyMask.dataSync()): tf.Tensor {
  const f = Math.fround;
  const neg = f(NEG);
  const out = new Float32Array(N * S * total);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < total; k++) {
      const pad = f(f(1 - m[n * total + k]) * neg);
      for (let i = 0; i < S; i++) out[(n * S + i) * total + k] = f((k <= start + i ? 0 : neg) + pad);
    }
  }
  return tf.tensor4d(out, [N, 1, S, total]);
}

/** Additive attention bias [N, 1, S, total]: causal (query i sees keys ≤ start+i) and no padding keys. */
export function attentionBias(keyMask: tf.Tensor2D, N: number, S: number, start: number, total: number): tf.Tensor {
  const q = tf.range(start, total).reshape([S, 1]);
  const k = tf.range(0, total).reshape([1, total]);
  const causal = tf.where(tf.lessEqual(k, q), tf.scalar(0), tf.scalar(NEG)); // [S, total]
  const padBias = tf.mul(tf.sub(1, keyMask), NEG).reshape([N, 1, 1, total]);
  return tf.add(causal.reshape([1, 1, S, total]), padBias);
}

/**
 * Prefix + continuation rows laid out for one forward pass: prefixes left-padded to a common width P
 * (so every continuation starts at column P), continuations right-padded to width L.
 */
export interface PackedBatch {
  n: number;
  prefixWidth: number; // P
  contWidth: number; // L
  width: number; // P + L - 1 input columns (the last continuation token is never an input)
  inputs: Int32Array; // [n, width]
  keyMask: Float32Array; // [n, width]
  targets: Int32Array; // [n, L] continuation token ids (PAD beyond each row's length)
  contMask: Float32Array; // [n, L] 1 on real continuation tokens
}

export function packBatch(prefixes: number[][], conts: number[][]): PackedBatch {
  const n = prefixes.length;
  const P = Math.max(...prefixes.map((p) => p.length));
  const L = Math.max(1, ...conts.map((c) => c.length));
  const width = P + L - 1;
  const inputs = new Int32Array(n * width).fill(PAD_ID);
  const keyMask = new Float32Array(n * width);
  const targets = new Int32Array(n * L).fill(PAD_ID);
  const contMask = new Float32Array(n * L);
  for (let i = 0; i < n; i++) {
    const p = prefixes[i];
    const c = conts[i];
    const row = [...p, ...c];
    const offset = P - p.length; // left padding
    for (let j = 0; offset + j < width && j < row.length; j++) {
      inputs[i * width + offset + j] = row[j];
      keyMask[i * width + offset + j] = 1;
    }
    for (let j = 0; j < c.length; j++) {
      targets[i * L + j] = c[j];
      contMask[i * L + j] = 1;
    }
  }
  return { n, prefixWidth: P, contWidth: L, width, inputs, keyMask, targets, contMask };
}
