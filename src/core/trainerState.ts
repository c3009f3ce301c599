// A Trainer's whole mutable state as plain CPU data: the policy's weights, Adam's moments and bias
// powers (FusedAdam's explicit state), both random streams and the step. Taken after each completed
// step, it lets a run go on after a lost WebGPU device or a crashed worker, on another backend, from
// exactly where it was: a restored trainer's next records are identical to those of one that never
// stopped (trainerState.test.ts).
// Structured-clone data only, so the worker can post it to the page.
import * as tf from '@tensorflow/tfjs';
import type { Config } from './config';
import type { GPT } from './model';
import type { AdamState, HostTensor, Moments } from './optim/fusedAdam';
import { Rng } from './rng';
import type { Task } from './tasks/task';
import { Trainer } from './trainer';

export type { HostTensor };

export interface TrainerSnapshot {
  step: number; // completed steps: the next trainStep is this one
  config: Config; // in force at the snapshot (live edits included)
  rngs: [number[], number[]]; // problems, sampling
  weights: [string, HostTensor][]; // the policy, by parameter name
  // FusedAdam's state, its moments by parameter name (a restored policy's variables have new names).
  adam: Omit<AdamState, 'moments'> & { moments: [string, Moments<HostTensor>][] };
}

/** Reads the trainer's state to the CPU (one readback per tensor, all in flight together). */
export async function snapshotTrainer(t: Trainer): Promise<TrainerSnapshot> {
  const { opt, rngs, step } = t.internals();
  const names = [...t.policy.weights.keys()];
  const param = new Map(names.map((n) => [t.policy.weights.get(n)!.name, n]));
  const [weights, adam] = await Promise.all([
    Promise.all(names.map(async (n): Promise<HostTensor> => ({ shape: [...t.policy.weights.get(n)!.shape], data: (await t.policy.weights.get(n)!.data()) as Float32Array }))),
    opt.exportState(),
  ]);
  const moments = adam.moments.map(([v, m]): [string, Moments<HostTensor>] => {
    const p = param.get(v);
    if (p === undefined) throw new Error(`the optimiser holds moments of ${v}, which is not a policy weight`);
    return [p, m];
  });
  return {
    step,
    config: t.config,
    rngs: [rngs[0].state(), rngs[1].state()],
    weights: names.map((n, i) => [n, weights[i]]),
    adam: { ...adam, moments },
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
    const moments = s.adam.moments.map(([p, m]): [string, Moments<HostTensor>] => {
      const v = t.policy.weights.get(p);
      if (!v || v.shape.join() !== m.m.shape.join() || v.shape.join() !== m.v.shape.join()) throw new Error(`the snapshot's Adam moments of ${p} do not fit this model`);
      return [v.name, m];
    });
    t.internals().opt.importState({ ...s.adam, moments });
    t.resume([Rng.fromState(s.rngs[0]), Rng.fromState(s.rngs[1])], s.step);
    return t;
  } catch (e) {
    t.dispose();
    throw e;
  }
}

/** Bytes a snapshot holds (what each completed step copies off the device). */
export function snapshotBytes(s: TrainerSnapshot): number {
  const all = [...s.weights.map(([, w]) => w), ...s.adam.moments.flatMap(([, m]) => [m.m, m.v])];
  return all.reduce((n, x) => n + x.data.byteLength, 0);
}
