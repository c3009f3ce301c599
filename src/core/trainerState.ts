// A Trainer's whole mutable state as plain CPU data: the policy's weights, Adam's moments and bias
// powers, both random streams and the step. Taken after each completed step, it lets a run go on after
// a lost WebGPU device or a crashed worker, on another backend, from exactly where it was: a restored
// trainer's next records are identical to those of one that never stopped (trainerState.test.ts).
// Structured-clone data only, so the worker can post it to the page.
import * as tf from '@tensorflow/tfjs';
import type { Config } from './config';
import type { GPT } from './model';
import { Rng } from './rng';
import type { Task } from './tasks/task';
import { Trainer } from './trainer';

export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

export interface TrainerSnapshot {
  step: number; // completed steps: the next trainStep is this one
  config: Config; // in force at the snapshot (live edits included)
  rngs: [number[], number[]]; // problems, sampling
  weights: [string, HostTensor][]; // the policy, by parameter name
  // Adam keeps its moments by position in the gradient list, not by name: kept in that order.
  adam: { iterations: number; beta1Power: number; beta2Power: number; m: HostTensor[]; v: HostTensor[] };
}

/** The tfjs 4.x AdamOptimizer fields a snapshot needs (setWeights recomputes the bias powers with pow(),
 *  which can differ from the running product in the last bit, so they are read and written directly). */
interface AdamFields {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { variable: tf.Variable }[];
  accumulatedSecondMoment: { variable: tf.Variable }[];
  iterations: number;
}

async function host(t: tf.Tensor): Promise<HostTensor> {
  return { shape: [...t.shape], data: (await t.data()) as Float32Array };
}

function adamOf(opt: tf.Optimizer): AdamFields {
  const a = opt as unknown as AdamFields;
  if (!a.accBeta1 || !Array.isArray(a.accumulatedFirstMoment)) throw new Error('trainer snapshots support the Adam optimiser only');
  return a;
}

/** Reads the trainer's state to the CPU (one readback per tensor, all in flight together). */
export async function snapshotTrainer(t: Trainer): Promise<TrainerSnapshot> {
  const { opt, rngs, step } = t.internals();
  const adam = adamOf(opt);
  const names = [...t.policy.weights.keys()];
  const [weights, m, v, powers] = await Promise.all([
    Promise.all(names.map((n) => host(t.policy.weights.get(n)!))),
    Promise.all(adam.accumulatedFirstMoment.map((x) => host(x.variable))),
    Promise.all(adam.accumulatedSecondMoment.map((x) => host(x.variable))),
    Promise.all([adam.accBeta1.data(), adam.accBeta2.data()]),
  ]);
  return {
    step,
    config: t.config,
    rngs: [rngs[0].state(), rngs[1].state()],
    weights: names.map((n, i) => [n, weights[i]]),
    adam: { iterations: adam.iterations, beta1Power: powers[0][0], beta2Power: powers[1][0], m, v },
  };
}

/** A new Trainer on the current backend, from `start` (the reference model) and a snapshot's state. */
export async function restoreTrainer(task: Task, start: GPT, s: TrainerSnapshot): Promise<Trainer> {
  const t = new Trainer(task, start, s.config);
  try {
    for (const [name, w] of s.weights) {
      const v = t.policy.weights.get(name);
      if (!v || v.shape.join() !== w.shape.join()) throw new Error(`the snapshot's ${name} [${w.shape}] does not fit this model`);
      tf.tidy(() => v.assign(tf.tensor(w.data, w.shape, 'float32')));
    }
    const { opt } = t.internals();
    const adam = adamOf(opt);
    const moments = [...s.adam.m, ...s.adam.v].map((x, i) => ({ name: `moment${i}`, tensor: tf.tensor(x.data, x.shape, 'float32') }));
    const iterations = tf.scalar(s.adam.iterations);
    await opt.setWeights([{ name: 'iter', tensor: iterations }, ...moments]); // copies them into variables
    tf.dispose([iterations, ...moments.map((x) => x.tensor)]);
    tf.tidy(() => {
      adam.accBeta1.assign(tf.scalar(s.adam.beta1Power));
      adam.accBeta2.assign(tf.scalar(s.adam.beta2Power));
    });
    t.resume([Rng.fromState(s.rngs[0]), Rng.fromState(s.rngs[1])], s.step);
    return t;
  } catch (e) {
    t.dispose();
    throw e;
  }
}

/** Bytes a snapshot holds (what each completed step copies off the device). */
export function snapshotBytes(s: TrainerSnapshot): number {
  const all = [...s.weights.map(([, w]) => w), ...s.adam.m, ...s.adam.v];
  return all.reduce((n, x) => n + x.data.byteLength, 0);
}
