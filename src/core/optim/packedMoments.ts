// Adam's moments on WebGPU: every variable's m and v in one flat buffer, updated in place.
// Why: a tfjs WebGPU program writes one output buffer, so per-variable m and v tensors cost one
// dispatch per tensor written. With one buffer, one RepoAdamMoments dispatch updates the moments of
// up to 7 variables (its output binding is the buffer itself), and one RepoAdamWeight dispatch per
// variable reads them back for the new weight: ⌈n/7⌉ + n dispatches per update instead of 3n.
// Layout: per variable, in first-update order, its m then its v ([size] each), back to back.
import * as tf from '@tensorflow/tfjs';
import { MAX_KERNEL_INPUTS } from '../ops';
import { MOMENTS_KERNEL, WEIGHT_KERNEL, type AdamHyper, type MomentsAttrs, type WeightAttrs } from './adamWebGPU';

export interface Span {
  offset: number; // m at offset, v at offset + size
  size: number;
  shape: number[];
}

export class PackedMoments {
  private readonly spans = new Map<string, Span>();
  private buf: tf.Tensor1D | null = null;
  private length = 0;

  /** Appends zero moments for the variables not held yet (a new buffer only when one is missing). */
  ensure(vars: [string, number[]][]): void {
    const fresh = vars.filter(([n]) => !this.spans.has(n));
    if (fresh.length === 0) return;
    for (const [name, shape] of fresh) this.append(name, shape);
    this.replace(tf.tidy(() => (this.buf ? tf.concat([this.buf, tf.zeros([this.length - this.buf.size])]) : tf.zeros([this.length]))) as tf.Tensor1D);
  }

  /** m and v of every variable in `grads` (scaled by h.scale), in place: one dispatch per 7 gradients. */
  updateMoments(grads: [string, tf.Tensor][], h: AdamHyper): void {
    for (let i = 0; i < grads.length; i += MAX_KERNEL_INPUTS) {
      const chunk = grads.slice(i, i + MAX_KERNEL_INPUTS);
      const attrs: MomentsAttrs = { ...h, spans: chunk.map(([n]) => this.spanOf(n)).map((s) => [s.offset, s.size]) };
      const inputs = { moments: this.buf!, ...Object.fromEntries(chunk.map(([, g], k) => [`x${k}`, g])) };
      // The kernel returns a new handle on the same buffer; keep it past any enclosing tidy, drop the old.
      const next = tf.keep(tf.engine().runKernel(MOMENTS_KERNEL, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor1D);
      this.buf!.dispose();
      this.buf = next;
    }
  }

  /** The new value of `weight` from its moments (run updateMoments first); the caller assigns it. */
  newWeight(name: string, weight: tf.Tensor, h: AdamHyper, pow1: number, pow2: number): tf.Tensor {
    const s = this.spanOf(name);
    const attrs: WeightAttrs = { ...h, span: [s.offset, s.size], pow1, pow2 };
    return tf.engine().runKernel(WEIGHT_KERNEL, { moments: this.buf!, weight } as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }

  /** Every variable's m and v on the CPU (one readback). */
  async read(): Promise<Map<string, { m: Float32Array; v: Float32Array; shape: number[] }>> {
    const all = this.buf ? ((await this.buf.data()) as Float32Array) : new Float32Array(0);
    return new Map([...this.spans].map(([n, s]) => [n, { m: all.slice(s.offset, s.offset + s.size), v: all.slice(s.offset + s.size, s.offset + 2 * s.size), shape: s.shape }]));
  }

  /** Replaces everything with these moments (one upload). */
  load(moments: [string, { m: Float32Array; v: Float32Array; shape: number[] }][]): void {
    this.spans.clear();
    this.length = 0;
    for (const [name, { shape }] of moments) this.append(name, shape);
    const host = new Float32Array(this.length);
    for (const [name, { m, v }] of moments) {
      const s = this.spans.get(name)!;
      if (m.length !== s.size || v.length !== s.size) throw new Error(`Adam moments of ${name}: ${m.length} and ${v.length} values for a [${s.shape}] variable`);
      host.set(m, s.offset);
      host.set(v, s.offset + s.size);
    }
    this.replace(this.length ? tf.tensor1d(host) : null);
  }

  dispose(): void {
    this.replace(null);
    this.spans.clear();
    this.length = 0;
  }

  /** Lays out m and v of a new variable after the last one. */
  private append(name: string, shape: number[]): void {
    const size = shape.reduce((a, b) => a * b, 1);
    this.spans.set(name, { offset: this.length, size, shape: [...shape] });
    this.length += 2 * size;
  }

  private spanOf(name: string): Span {
    const s = this.spans.get(name);
    if (!s) throw new Error(`PackedMoments: no moments for ${name}`);
    return s;
  }

  private replace(next: tf.Tensor1D | null): void {
    this.buf?.dispose();
    this.buf = next;
  }
}
