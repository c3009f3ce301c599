// Batched autoregressive sampling of all N = B×G sequences at once, with a KV cache.
// Prompts are left-padded to a common width so every row decodes the same column each step;
// rotary positions make the padding invisible to attention (keys are masked, distances unchanged).
// On cpu, wasm and webgpu a fused kernel decodes each position (kernels/fusedDecoder.ts); elsewhere,
// and for comparison, the unfused path below runs GPT.forward per token. Both draw one uniform per
// row and token up front and sample with the same inverse CDF (pickToken), so for a seed they give
// the same tokens up to float rounding at a boundary.
import * as tf from '@tensorflow/tfjs';
import { pickToken } from './kernels/decodeLayout';
import { fusedDecodeAvailable, generateFused } from './kernels/fusedDecoder';
import { fusedOpsActive } from './kernels/fusedOps';
import { packBatch, type GPT, type KVCache } from './model';
import type { Rng } from './rng';
import { fusedTokenLogProbs } from './rl/fusedLoss';
import { EOS_ID, PAD_ID } from './vocab';

export interface SampleOptions {
  maxNewTokens: number;
  temperature: number; // 0 = greedy
  rng: Rng;
  /** false = recompute the whole sequence for every token (for tests and the benchmark). */
  useCache?: boolean;
  /** true/false = the fused kernel / the unfused KV-cached path; default: fused on webgpu and cpu. */
  fused?: boolean;
  /**
   * Fused path: tokens decoded per kernel call, with the done flags read back between calls
   * (default: all of them on webgpu, one GPU dispatch per generation; 1 elsewhere, so a long
   * generation on the CPU yields to other work between tokens).
   */
  readEvery?: number;
}

export interface SampleResult {
  tokens: number[][]; // per row, the response ids (EOS included when it was produced)
  generated: number; // tokens produced in all, for tokens/s
}

/** One uniform per row and generated token, [N, maxNew] row-major; none for greedy decoding. */
function drawUniforms(rng: Rng, n: number, maxNew: number, temperature: number): Float32Array {
  const u = new Float32Array(temperature > 0 ? n * maxNew : 0);
  for (let i = 0; i < u.length; i++) u[i] = rng.float();
  return u;
}

/**
 * Backends that decode with the fused kernel unless options say otherwise. Not wasm: there the
 * kernel is plain JS, and tfjs-wasm's own (SIMD) kernels decode ~3× faster despite ~300 kernels
 * per token (measured, npm run bench); on cpu the JS kernel is ~2.7× faster than tfjs-cpu's.
 */
const FUSED_BY_DEFAULT = ['webgpu', 'cpu'];
let fusedDefault = true;

/** Whether generate() uses the fused kernel when options say nothing (bench: before/after in one process). */
export function setFusedDecoding(on: boolean): void {
  fusedDefault = on;
}

export async function generate(model: GPT, prompts: number[][], o: SampleOptions): Promise<SampleResult> {
  const uniforms = drawUniforms(o.rng, prompts.length, o.maxNewTokens, o.temperature);
  if ((o.useCache ?? true) && (o.fused ?? (fusedDefault && FUSED_BY_DEFAULT.includes(tf.getBackend()))) && fusedDecodeAvailable(model.cfg)) {
    const readEvery = o.readEvery ?? (tf.getBackend() === 'webgpu' ? o.maxNewTokens : 1); // a GPU readback stalls the queue
    const tokens = await generateFused(model, prompts, o.maxNewTokens, o.temperature, uniforms, readEvery);
    return { tokens, generated: tokens.reduce((s, t) => s + t.length, 0) };
  }
  return generateUnfused(model, prompts, o, uniforms);
}

async function generateUnfused(model: GPT, prompts: number[][], o: SampleOptions, uniforms: Float32Array): Promise<SampleResult> {
  const n = prompts.length;
  const P = Math.max(...prompts.map((p) => p.length));
  const width = P + o.maxNewTokens;
  const ids = new Int32Array(n * width).fill(PAD_ID);
  const mask = new Float32Array(n * width);
  prompts.forEach((p, i) => {
    ids.set(p, i * width + P - p.length);
    mask.fill(1, i * width + P - p.length, i * width + P);
  });
  const out: number[][] = prompts.map(() => []);
  const done = new Array<boolean>(n).fill(false);
  const useCache = o.useCache ?? true;
  let cache: KVCache | undefined;
  let generated = 0;

  const columns = (from: number, to: number, src: Int32Array | Float32Array) => {
    const w = to - from;
    const dst = src instanceof Int32Array ? new Int32Array(n * w) : new Float32Array(n * w);
    for (let i = 0; i < n; i++) dst.set(src.subarray(i * width + from, i * width + to), i * w);
    return dst;
  };

  try {
    for (let t = 0; t < o.maxNewTokens; t++) {
      const end = P + t; // columns [0, end) are known
      const from = useCache && cache ? end - 1 : 0;
      const logits = tf.tidy(() => {
        const tok = tf.tensor2d(columns(from, end, ids) as Int32Array, [n, end - from], 'int32');
        const km = tf.tensor2d(columns(0, end, mask) as Float32Array, [n, end]);
        const r = useCache ? model.forward(tok, km, from, cache, width) : model.forward(tok, km, from);
        if (useCache) {
          const old = cache;
          cache = r.cache.map((c) => ({ ...c, k: tf.keep(c.k), v: tf.keep(c.v) }));
          old?.forEach((c) => (c.k.dispose(), c.v.dispose()));
        }
        return r.logits.slice([0, end - from - 1, 0], [n, 1, model.cfg.vocabSize]).reshape([n, -1]);
      });
      const l = (await logits.data()) as Float32Array; // the one readback per token
      logits.dispose();
      const V = model.cfg.vocabSize;
      let active = 0;
      for (let i = 0; i < n; i++) {
        if (done[i]) continue;
        const next = pickToken(l, i * V, V, uniforms[i * o.maxNewTokens + t], o.temperature);
        out[i].push(next);
        generated++;
        ids[i * width + end] = next;
        mask[i * width + end] = 1;
        if (next === EOS_ID) done[i] = true;
        else active++;
      }
      if (active === 0) break;
    }
  } finally {
    cache?.forEach((c) => (c.k.dispose(), c.v.dispose()));
  }
  return { tokens: out, generated };
}

/** log π(target) for every continuation position: logits [N, L, V], targets [N, L] → [N, L]. */
export function tokenLogProbs(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Tensor2D {
  const logp = tf.logSoftmax(logits);
  return tf.sum(tf.mul(logp, tf.oneHot(targets, logits.shape[2])), -1) as tf.Tensor2D;
}

/** log π(cont | prefix) per continuation token, without gradient, in chunks (for old/ref/behaviour log-probs). */
export async function scoreLogProbs(model: GPT, prefixes: number[][], conts: number[][], chunk = 128): Promise<number[][]> {
  const out: number[][] = [];
  for (let s = 0; s < prefixes.length; s += chunk) {
    const b = packBatch(prefixes.slice(s, s + chunk), conts.slice(s, s + chunk));
    const t = tf.tidy(() => {
      const logits = model.continuationLogits(b); // [n, L, V]
      // webgpu, cpu: 2 kernels (rl/fusedLoss.ts); wasm: tfjs's ops, as the published runs scored.
      return fusedOpsActive() ? fusedTokenLogProbs(logits, b.targets) : tokenLogProbs(logits, tf.tensor2d(b.targets, [b.n, b.contWidth], 'int32'));
    });
    const v = (await t.data()) as Float32Array;
    t.dispose();
    for (let i = 0; i < b.n; i++) out.push(Array.from(v.subarray(i * b.contWidth, i * b.contWidth + conts[s + i].length)));
  }
  return out;
}
