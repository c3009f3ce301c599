// Drives the fused decode kernel: weights packed once per generation, a KV cache preallocated for
// the whole generation and written in place, tokens sampled on the device from uniforms drawn up
// front (so a seed gives the same tokens however often the host reads back). One kernel call decodes
// `readEvery` generated tokens (the prompt's columns ride with the first call), and the done flags
// are read back between calls. On WebGPU the default is the whole generation in one call: one GPU
// dispatch and no readback until the tokens, where it was one dispatch per position and a readback
// every 8 tokens (a GPU's cost here is per dispatch and per round trip, not arithmetic).
import * as tf from '@tensorflow/tfjs';
import type { GPT, GPTConfig } from '../model';
import { EOS_ID, PAD_ID } from '../vocab';
import { registerJsDecode } from './decodeJs';
import { DECODE_KERNEL, decodeDims, packRope, packWeights, stateLayout, type DecodeAttrs, type StateLayout } from './decodeLayout';
import { registerWebGPUDecode, workgroupBytes, WORKGROUP_BYTES_LIMIT } from './decodeWebGPU';

let registered = false;

/**
 * Whether the current backend has the fused decode kernel (cpu, wasm, webgpu; not webgl) for a
 * model of these sizes (on WebGPU its per-row scratch must fit the default workgroup memory).
 */
export function fusedDecodeAvailable(cfg?: GPTConfig): boolean {
  if (!registered) {
    registerJsDecode();
    registerWebGPUDecode();
    registered = true;
  }
  const backend = tf.getBackend();
  if (backend === 'webgpu' && cfg && workgroupBytes(decodeDims(cfg)) > WORKGROUP_BYTES_LIMIT) return false;
  return tf.getKernel(DECODE_KERNEL, backend) !== undefined;
}

export class FusedDecoder {
  readonly layout: StateLayout;
  /** The column the next step() decodes. */
  pos = 0;
  private readonly attrs: Omit<DecodeAttrs, 'pos'>;
  private readonly inputs: { w: tf.Tensor; rope: tf.Tensor; ids: tf.Tensor; mask: tf.Tensor; unif: tf.Tensor };
  private state: tf.Tensor1D;
  private readonly maxLen: number;

  /** prompts: token ids per row; uniforms [N·maxNew] in [0, 1) (unused when temperature is 0). */
  constructor(model: GPT, prompts: number[][], maxNew: number, temperature: number, uniforms: Float32Array) {
    if (!fusedDecodeAvailable(model.cfg)) throw new Error(`no fused decode kernel on the ${tf.getBackend()} backend for this model`);
    const n = prompts.length;
    const p = Math.max(...prompts.map((q) => q.length));
    const dims = decodeDims(model.cfg);
    this.maxLen = model.cfg.maxLen;
    this.layout = stateLayout(dims, n, p, maxNew);
    this.attrs = { dims, n, p, maxNew, temperature };
    const ids = new Int32Array(n * p).fill(PAD_ID); // [N, P] left-padded
    const mask = new Float32Array(n * p); // [N, P] 1 = real prompt token
    prompts.forEach((q, i) => {
      ids.set(q, i * p + p - q.length);
      mask.fill(1, i * p + p - q.length, (i + 1) * p);
    });
    const unif = uniforms.length === n * maxNew ? uniforms : new Float32Array(n * maxNew);
    this.inputs = { w: packWeights(model), rope: packRope(model), ids: tf.tensor1d(ids, 'int32'), mask: tf.tensor1d(mask), unif: tf.tensor1d(unif) };
    // tf.fill, not tf.zeros: zeros are made on the host and uploaded (8 MB for a default batch, per
    // generation); a fill runs on the device (one dispatch on webgpu). The same zeros either way.
    this.state = tf.fill([this.layout.size], 0);
  }

  /**
   * Decodes columns pos … pos + count − 1 of every row, in turn, in one kernel call: each writes its
   * K/V, the logits it predicts and (once past the prompt) the next token. Rows already done are
   * skipped (PAD written for their tokens).
   */
  step(count = 1): void {
    if (this.pos + count > this.maxLen) throw new Error(`sequence of ${this.pos + count} tokens exceeds the model's maxLen ${this.maxLen}`);
    const inputs = { ...this.inputs, state: this.state } as unknown as tf.NamedTensorMap;
    const next = tf.engine().runKernel(DECODE_KERNEL, inputs, { ...this.attrs, pos: this.pos, count } as unknown as tf.NamedAttrMap) as tf.Tensor1D;
    this.state.dispose(); // `next` is the same buffer; this drops the old handle only
    this.state = next;
    this.pos += count;
  }

  /** Logits [N, V] predicted from each row's last decoded column (a done row's from before its EOS). */
  logits(): tf.Tensor2D {
    const { logits, n } = this.layout;
    return tf.tidy(() => this.state.slice(logits, n * this.attrs.dims.V).reshape([n, this.attrs.dims.V]));
  }

  private async read(from: number, size: number): Promise<Float32Array> {
    const t = this.state.slice(from, size);
    const v = Float32Array.from(await t.data()); // a copy: the state changes under a view
    t.dispose();
    return v;
  }

  /** Every generated column [N, maxNew] as written (PAD after a row's EOS, 0 where not decoded yet). */
  generated(): Promise<Float32Array> {
    return this.read(this.layout.gen, this.layout.n * this.layout.maxNew);
  }

  /** The whole state buffer (cache, tokens, done flags, logits) as written so far. */
  stateValues(): Promise<Float32Array> {
    return this.read(0, this.layout.size);
  }

  /** Generated tokens per row: up to and including EOS, at most `count` (the columns decoded so far). */
  async tokens(count: number): Promise<number[][]> {
    const { n, maxNew } = this.layout;
    const g = await this.generated();
    return Array.from({ length: n }, (_, i) => {
      const row: number[] = [];
      for (let j = 0; j < count; j++) {
        row.push(g[i * maxNew + j]);
        if (g[i * maxNew + j] === EOS_ID) break;
      }
      return row;
    });
  }

  async allDone(): Promise<boolean> {
    const { done, n } = this.layout;
    return (await this.read(done, n)).every((d) => d > 0.5);
  }

  dispose(): void {
    tf.dispose([...Object.values(this.inputs), this.state]);
  }
}

/**
 * Samples up to maxNew tokens per row with the fused kernel. Returns each row's tokens (EOS
 * included when produced). Each kernel call decodes `readEvery` tokens; between calls the done
 * flags are read, and once every row is done the rest is skipped. The tokens never depend on
 * `readEvery`, and done rows cost nothing inside a call either.
 */
export async function generateFused(model: GPT, prompts: number[][], maxNew: number, temperature: number, uniforms: Float32Array, readEvery: number): Promise<number[][]> {
  const dec = new FusedDecoder(model, prompts, maxNew, temperature, uniforms);
  try {
    const chunk = Math.max(1, Math.min(maxNew, Math.floor(readEvery) || 1)); // Infinity: all at once
    let produced = 0;
    while (produced < maxNew) {
      const k = Math.min(chunk, maxNew - produced);
      dec.step(dec.pos === 0 ? dec.layout.p - 1 + k : k); // column c predicts token c + 1 − P
      produced += k;
      if (produced < maxNew && (await dec.allDone())) break;
    }
    return await dec.tokens(produced);
  } finally {
    dec.dispose();
  }
}
