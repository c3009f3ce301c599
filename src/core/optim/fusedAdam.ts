// Adam with the gradient-clipping scale folded in, and its state in the open.
// Why not tf.train.adam: (1) on WebGPU every tfjs kernel costs a dispatch, and tfjs's Adam (plus the
// clipping multiply before it) spends ~15 per variable; here the moments of all variables live in one
// buffer (packedMoments.ts): one dispatch per 7 variables for m and v, one per variable for the weight.
// (2) tfjs keeps its moments by position in the gradient list and its bias powers in private fields,
// which trainer snapshots had to reach into; here they are named and documented.
// On every other backend applyGradients runs tfjs 4.22's AdamOptimizer op for op (same ops, same
// operands, same order; on wasm in one kernel of ours with the same bits, wasmSimd/adam.ts), so cpu and
// wasm training stays bit-identical to tf.train.adam's: the published results were run on wasm
// (fusedAdam.test.ts checks it against tf.train.adam).
import * as tf from '@tensorflow/tfjs';
import { fusedOptimAvailable, type AdamHyper } from './adamWebGPU';
import { PackedMoments } from './packedMoments';
import { simdAdamStep } from '../wasmSimd/adam';
import { wasmSimdActive } from '../wasmSimd/module';

/** A tensor's values on the CPU (structured-clone data: snapshots are posted between worker and page). */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

/** First and second moment of one variable. */
export interface Moments<T> {
  m: T;
  v: T;
}

/** The whole optimiser state as CPU data; moments by the trained variable's name. */
export interface AdamState {
  updates: number; // applyGradients calls so far
  beta1Power: number; // β1^(updates+1) as float32 running product, as tfjs keeps it (not pow(): last bit)
  beta2Power: number;
  moments: [string, Moments<HostTensor>][];
}

export class FusedAdam {
  /** Read at every update, so a live config edit takes effect on the next one (Trainer.setConfig). */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Completed updates (t − 1 of the Adam paper at the next update). */
  private t = 0;
  // β^(t+1), the bias-correction powers of the next update, as float32 values: tfjs keeps them as
  // float32 scalars multiplied on the device, and a float32 product is exact to compute on the host
  // (Math.fround of the double product of two float32 values), so every backend sees the same bits.
  private pow1: number;
  private pow2: number;
  /** cpu and wasm: moments by variable name, created (zero) at a variable's first update, in that order. */
  private readonly slots = new Map<string, Moments<tf.Variable>>();
  /** webgpu: all moments in one buffer. */
  private readonly packed = new PackedMoments();
  /** Which of the two holds the state, fixed by the backend of the first update or import. */
  private layout: 'slots' | 'packed' | null = null;

  /** Arguments as tf.train.adam's; pass epsilon explicitly (docs/DESIGN.md §8.1). */
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8) {
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.pow1 = Math.fround(beta1);
    this.pow2 = Math.fround(beta2);
  }

  get updates(): number {
    return this.t;
  }

  /**
   * Adam on `grads` (by variable name, as tf.variableGrads returns them) multiplied by `scale` (the
   * global-norm clipping factor; 1 for none). The caller keeps and disposes `grads`.
   */
  applyGradients(grads: tf.NamedTensorMap, scale = 1): void {
    const h: AdamHyper = { scale, learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    const entries = Object.entries(grads);
    const weights = entries.map(([name]) => {
      const w = tf.engine().registeredVariables[name];
      if (!w) throw new Error(`FusedAdam: no variable named ${name}`);
      return w;
    });
    if (this.bind(fusedOptimAvailable() ? 'packed' : 'slots') === 'packed') {
      this.packed.ensure(entries.map(([name], i) => [name, weights[i].shape]));
      this.packed.updateMoments(entries, h);
      tf.tidy(() => entries.forEach(([name], i) => weights[i].assign(this.packed.newWeight(name, weights[i], h, this.pow1, this.pow2))));
    } else {
      const simd = wasmSimdActive(); // tfjsStep's bits in one kernel per variable (wasmSimd/adam.ts)
      tf.tidy(() => {
        const oneMinus = [tf.sub(1, tf.scalar(this.pow1)), tf.sub(1, tf.scalar(this.pow2))] as const;
        entries.forEach(([name, grad], i) => {
          const weight = weights[i];
          const s = this.slot(name, weight);
          const [m, v, w] = simd ? simdAdamStep(grad, s.m, s.v, weight, oneMinus[0], oneMinus[1], h) : this.tfjsStep(grad, s, weight, scale, oneMinus);
          s.m.assign(m);
          s.v.assign(v);
          weight.assign(w);
        });
      });
    }
    this.pow1 = Math.fround(this.pow1 * Math.fround(this.beta1));
    this.pow2 = Math.fround(this.pow2 * Math.fround(this.beta2));
    this.t++;
  }

  /** Fixes where the state lives at the first use; later use on a backend of the other kind is an error. */
  private bind(want: 'slots' | 'packed'): 'slots' | 'packed' {
    this.layout ??= want;
    if (this.layout !== want) throw new Error(`FusedAdam: its state is in the ${this.layout === 'packed' ? 'webgpu' : 'cpu/wasm'} layout, the backend is now ${tf.getBackend()}: export and import the state to move it`);
    return this.layout;
  }

  // tfjs 4.22 AdamOptimizer.applyGradients, op for op; the clipping multiply first, as update() did
  // before this class (skipped at scale 1: x·1 = x exactly, so nothing changes but a kernel).
  private tfjsStep(grad: tf.Tensor, s: Moments<tf.Variable>, weight: tf.Variable, scale: number, oneMinus: readonly [tf.Tensor, tf.Tensor]): tf.Tensor[] {
    const g = scale === 1 ? grad : tf.mul(grad, scale);
    const m = tf.add(tf.mul(s.m, this.beta1), tf.mul(g, 1 - this.beta1));
    const v = tf.add(tf.mul(s.v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
    const mHat = tf.div(m, oneMinus[0]);
    const vHat = tf.div(v, oneMinus[1]);
    const w = tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.learningRate), weight);
    return [m, v, w];
  }

  private slot(name: string, weight: tf.Variable): Moments<tf.Variable> {
    let s = this.slots.get(name);
    if (!s) {
      // Non-trainable, so variableGrads over "all trainable variables" never picks them up.
      s = tf.tidy(() => ({ m: tf.zerosLike(weight).variable(false), v: tf.zerosLike(weight).variable(false) }));
      this.slots.set(name, s);
    }
    return s;
  }

  /** The state on the CPU (one readback per tensor, all in flight together; one in all on webgpu). */
  async exportState(): Promise<AdamState> {
    const base = { updates: this.t, beta1Power: this.pow1, beta2Power: this.pow2 };
    if (this.layout === 'packed') {
      const held = await this.packed.read();
      return { ...base, moments: [...held].map(([n, x]) => [n, { m: { shape: [...x.shape], data: x.m }, v: { shape: [...x.shape], data: x.v } }]) };
    }
    const host = async (t: tf.Tensor): Promise<HostTensor> => ({ shape: [...t.shape], data: (await t.data()) as Float32Array });
    const names = [...this.slots.keys()];
    const moments = await Promise.all(names.map(async (n) => ({ m: await host(this.slots.get(n)!.m), v: await host(this.slots.get(n)!.v) })));
    return { ...base, moments: names.map((n, i) => [n, moments[i]]) };
  }

  /** Replaces the state (on the current backend) with `s`; the powers are set as read, not recomputed. */
  importState(s: AdamState): void {
    this.disposeSlots();
    this.packed.dispose();
    this.layout = null;
    this.t = s.updates;
    this.pow1 = Math.fround(s.beta1Power);
    this.pow2 = Math.fround(s.beta2Power);
    if (this.bind(fusedOptimAvailable() ? 'packed' : 'slots') === 'packed') {
      this.packed.load(s.moments.map(([name, { m, v }]) => [name, { m: m.data, v: v.data, shape: m.shape }]));
      return;
    }
    for (const [name, { m, v }] of s.moments) {
      const slot = tf.tidy(() => ({ m: tf.tensor(m.data, m.shape, 'float32').variable(false), v: tf.tensor(v.data, v.shape, 'float32').variable(false) }));
      this.slots.set(name, slot);
    }
  }

  private disposeSlots(): void {
    for (const s of this.slots.values()) tf.dispose([s.m, s.v]);
    this.slots.clear();
  }

  dispose(): void {
    this.disposeSlots();
    this.packed.dispose();
  }
}
