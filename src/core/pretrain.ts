// Supervised pretraining of the base policy (DESIGN §2): own-style solutions for the easy tier and
// rephrase examples P(q,k) → own style for every tier. Deterministic for a given seed and backend.
import * as tf from '@tensorflow/tfjs';
import { GPT, packBatch, type GPTConfig } from './model';
import { Rng } from './rng';
import { tokenLogProbs } from './sampler';
import type { Problem, Task } from './tasks/task';
import { promptIds, responseIds } from './vocab';

export interface PretrainOptions {
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
  warmup: number;
  /** Share of batches that are rephrase examples (the rest are own-style easy problems). */
  rephraseShare: number;
  gpt: GPTConfig;
}

export const PRETRAIN_DEFAULTS: Omit<PretrainOptions, 'gpt'> = { steps: 2000, batchSize: 32, lr: 2e-3, seed: 1, warmup: 100, rephraseShare: 0.5 };

/** One supervised example: a prompt and the response the model should write. */
export interface Example {
  prompt: number[];
  response: number[];
}

export function ownExample(task: Task, p: Problem): Example {
  return { prompt: promptIds(p.question), response: responseIds(task.ownSolution(p)) };
}

export function rephraseExample(task: Task, p: Problem): Example {
  return { prompt: promptIds(task.rephrasePrompt(p, task.expertSolution(p))), response: responseIds(task.ownSolution(p)) };
}

/** Mean token cross-entropy of the responses; one optimiser step; returns the loss. */
export async function supervisedStep(model: GPT, opt: tf.Optimizer, batch: Example[]): Promise<number> {
  const b = packBatch(batch.map((e) => e.prompt), batch.map((e) => e.response));
  const loss = opt.minimize(
    () =>
      tf.tidy(() => {
        const logp = tokenLogProbs(model.continuationLogits(b), tf.tensor2d(b.targets, [b.n, b.contWidth], 'int32'));
        const mask = tf.tensor2d(b.contMask, [b.n, b.contWidth]);
        return tf.div(tf.neg(tf.sum(tf.mul(logp, mask))), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
      }),
    true,
    model.trainable(),
  )!;
  const v = (await loss.data())[0];
  loss.dispose();
  return v;
}

/** Cosine schedule with linear warm-up, floor 10 % of the peak. */
export function lrAt(step: number, o: { lr: number; warmup: number; steps: number }): number {
  if (step < o.warmup) return (o.lr * (step + 1)) / o.warmup;
  const t = (step - o.warmup) / Math.max(1, o.steps - o.warmup);
  return o.lr * (0.1 + 0.45 * (1 + Math.cos(Math.PI * Math.min(1, t))));
}

export async function pretrain(task: Task, o: PretrainOptions, onStep?: (step: number, loss: number, model: GPT) => Promise<void> | void): Promise<GPT> {
  const model = new GPT(o.gpt, o.seed);
  const rng = new Rng(o.seed);
  const opt = tf.train.adam(o.lr, 0.9, 0.98, 1e-8); // explicit epsilon: webgl's default is 1e-4 (BROWSER.md #1)
  const all = [...task.difficulties.easy, ...task.difficulties.hard];
  for (let step = 0; step < o.steps; step++) {
    (opt as unknown as { learningRate: number }).learningRate = lrAt(step, o);
    const rephrase = rng.float() < o.rephraseShare;
    const batch: Example[] = [];
    for (let i = 0; i < o.batchSize; i++) {
      if (rephrase) batch.push(rephraseExample(task, task.sample(rng, all[rng.int(0, all.length - 1)])));
      else batch.push(ownExample(task, task.sample(rng, task.difficulties.easy[rng.int(0, task.difficulties.easy.length - 1)])));
    }
    const loss = await supervisedStep(model, opt, batch);
    await onStep?.(step, loss, model);
  }
  opt.dispose();
  return model;
}
