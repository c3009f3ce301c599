// Adam with the gradient-clipping scale folded in, and its state in the open.
// Why not tf.train.adam: (1) on WebGPU every tfjs kernel costs a dispatch, and tfjs's Adam (plus the
// clipping multiply before it) spends ~15 per variable; here it is 3 custom programs (adamWebGPU.ts).
// (2) tfjs keeps its moments by position in the gradient list and its bias powers in private fields,
// which trainer snapshots had to reach into; here they are named and documented.
// On every other backend applyGradients runs tfjs 4.22's AdamOptimizer op for op (same ops, same
// operands, same order; on wasm in one kernel of ours with the same bits, wasmSimd/adam.ts), so cpu and
// wasm training stays bit-identical to tf.train.adam's: the published results were run on wasm
// (fusedAdam.test.ts checks it against tf.train.adam).
import * as tf from '@tensorflow/tfjs';
import { ADAM_KERNEL, fusedOptimAvailable, type AdamAttrs, type AdamOutput } from './adamWebGPU';
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
  // β^(t+1), the bias-correction powers of the next update, as float32 scalar variables: that is what
  // tfjs multiplies on the device, and the cpu/wasm path must divide by the same float32 values.
  private readonly powers: [tf.Variable, tf.Variable];
  /** Moments by variable name, created (zero) at a variable's first update, in first-update order. */
  private readonly slots = new Map<string, Moments<tf.Variable>>();

  /** Arguments as tf.train.adam's; pass epsilon explicitly (docs/DESIGN.md §8.1). */
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8) {
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.powers = tf.tidy(() => [tf.scalar(beta1).variable(false), tf.scalar(beta2).variable(false)]);
  }

  get updates(): number {
    return this.t;
  }

  /** One variable's moments, or undefined before its first update. */
  moments(variableName: string): Moments<tf.Variable> | undefined {
    return this.slots.get(variableName);
  }

  /**
   * Adam on `grads` (by variable name, as tf.variableGrads returns them) multiplied by `scale` (the
   * global-norm clipping factor; 1 for none). The caller keeps and disposes `grads`.
   */
  applyGradients(grads: tf.NamedTensorMap, scale = 1): void {
    const fused = fusedOptimAvailable();
    const simd = !fused && wasmSimdActive(); // tfjsStep's bits in one kernel per variable (wasmSimd/adam.ts)
    tf.tidy(() => {
      const oneMinus = fused ? null : ([tf.sub(1, this.powers[0]), tf.sub(1, this.powers[1])] as const);
      for (const [name, grad] of Object.entries(grads)) {
        const weight = tf.engine().registeredVariables[name];
        if (!weight) throw new Error(`FusedAdam: no variable named ${name}`);
        const s = this.slot(name, weight);
        const [m, v, w] = fused
          ? this.fusedStep(grad, s, weight, scale)
          : simd
            ? simdAdamStep(grad, s.m, s.v, weight, oneMinus![0], oneMinus![1], { scale, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, learningRate: this.learningRate })
            : this.tfjsStep(grad, s, weight, scale, oneMinus!);
        s.m.assign(m);
        s.v.assign(v);
        weight.assign(w);
      }
      this.powers[0].assign(tf.mul(this.powers[0], this.beta1));
      this.powers[1].assign(tf.mul(this.powers[1], this.beta2));
    });
    this.t++;
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

  // Three dispatches, all reading the old moments (adamWebGPU.ts), so no ordering between them matters.
  private fusedStep(grad: tf.Tensor, s: Moments<tf.Variable>, weight: tf.Variable, scale: number): tf.Tensor[] {
    const inputs = { grad, mom1: s.m, mom2: s.v, weight, pow1: this.powers[0], pow2: this.powers[1] };
    const run = (which: AdamOutput) => {
      const attrs: AdamAttrs = { which, scale, learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
      return tf.engine().runKernel(ADAM_KERNEL, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    };
    return [run('m'), run('v'), run('w')];
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

  /** The state on the CPU (one readback per tensor, all in flight together). */
  async exportState(): Promise<AdamState> {
    const host = async (t: tf.Tensor): Promise<HostTensor> => ({ shape: [...t.shape], data: (await t.data()) as Float32Array });
    const names = [...this.slots.keys()];
    const [powers, moments] = await Promise.all([
      Promise.all(this.powers.map((p) => p.data())),
      Promise.all(names.map(async (n) => ({ m: await host(this.slots.get(n)!.m), v: await host(this.slots.get(n)!.v) }))),
    ]);
    return { updates: this.t, beta1Power: powers[0][0], beta2Power: powers[1][0], moments: names.map((n, i) => [n, moments[i]]) };
  }

  /** Replaces the state (on the current backend) with `s`; the powers are set as read, not recomputed. */
  importState(s: AdamState): void {
    this.disposeSlots();
    this.t = s.updates;
    tf.tidy(() => {
      this.powers[0].assign(tf.scalar(s.beta1Power));
      this.powers[1].assign(tf.scalar(s.beta2Power));
    });
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
    tf.dispose(this.powers);
  }
}
