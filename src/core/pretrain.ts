// Supervised pretraining of the base policy (docs/DESIGN.md §2): own-style solutions for the easy tier and
// rephrase examples P(q,k) → own style for every tier. Deterministic for a given seed and backend.
import * as tf from '@tensorflow/tfjs';
import { GPT, packBatch, type GPTConfig } from './model';
import type { Optimiser } from './optim/apply';
import { FusedAdam } from './optim/fusedAdam';
import { Rng } from './rng';
import { tokenLogProbs } from './sampler';
import { taskByName } from './tasks/registry';
import type { Problem, Task } from './tasks/task';
import { promptIds, responseIds } from './vocab';

/** One stretch of supervised training: a fresh Adam, a cosine schedule and its own data stream. */
export interface PretrainPhase {
  steps: number;
  lr: number; // peak learning rate
  warmup: number;
  seed: number; // the phase's data stream (and, for the first phase, the initial weights)
  /** Share of batches that are rephrase examples (the rest are own-style easy problems). */
  rephraseShare: number;
  /** Digit counts of the rephrase examples: the base learns to read k for all of them (wider than the hard tier). */
  rephraseDigits: number[];
  /** The task (and so the P(q,k) layout) of this phase's examples, by registry name. */
  task: string;
}

export interface PretrainOptions {
  batchSize: number;
  gpt: GPTConfig;
  phases: PretrainPhase[];
}

/**
 * The recipe of the shipped base checkpoint. Phase 1 learns both skills; by its end easy sums are solved
 * but reading long expert solutions lags, so phase 2 continues at a lower rate with more rephrase
 * batches. Phases 1–2 are the first base (question-first P(q,k), `public/checkpoints/base-qfirst`);
 * phase 3 teaches the knowledge-first layout, where P(q,k) ends with q (docs/SCIENCE.md, H1). Each phase
 * depends only on the weights it starts from, so `--init <ckpt> --from-phase k` reproduces a one-go run.
 */
export const PRETRAIN_DEFAULTS: Omit<PretrainOptions, 'gpt'> = {
  batchSize: 32,
  phases: [
    { steps: 2000, lr: 2e-3, warmup: 100, seed: 1, rephraseShare: 0.5, rephraseDigits: [1, 2, 3, 4, 5], task: 'addition' },
    { steps: 1000, lr: 1e-3, warmup: 50, seed: 2, rephraseShare: 0.75, rephraseDigits: [1, 2, 3, 4, 5], task: 'addition' },
    { steps: 600, lr: 1e-3, warmup: 50, seed: 3, rephraseShare: 0.75, rephraseDigits: [1, 2, 3, 4, 5], task: 'addition-kfirst' },
  ],
};

/** The task of the checkpoint a recipe ends with: its last phase's. */
export function finalTask(phases: PretrainPhase[]): Task {
  return taskByName(phases[phases.length - 1].task);
}

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

/** Mean token cross-entropy of the responses; one optimiser step (FusedAdam or a tf.Optimizer); returns the loss. */
export async function supervisedStep(model: GPT, opt: Optimiser, batch: Example[]): Promise<number> {
  const b = packBatch(batch.map((e) => e.prompt), batch.map((e) => e.response));
  const f = () =>
    tf.tidy(() => {
      const logp = tokenLogProbs(model.continuationLogits(b), tf.tensor2d(b.targets, [b.n, b.contWidth], 'int32'));
      const mask = tf.tensor2d(b.contMask, [b.n, b.contWidth]);
      return tf.div(tf.neg(tf.sum(tf.mul(logp, mask))), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
    });
  let loss: tf.Scalar;
  if (opt instanceof FusedAdam) {
    // What minimize() does: the gradients of every trainable weight, then one step.
    const { value, grads } = tf.variableGrads(f, model.trainable());
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
    loss = value;
  } else loss = opt.minimize(f, true, model.trainable())!;
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

/**
 * Runs `phases` in order, starting from `init` (copied; the caller keeps it) or from fresh weights seeded
 * by the first phase. `onStep` gets the global step index.
 */
export async function pretrain(
  o: PretrainOptions,
  onStep?: (step: number, loss: number, model: GPT) => Promise<void> | void,
  init?: GPT,
): Promise<GPT> {
  const model = init ? new GPT(init.cfg, 0, new Map<string, tf.Tensor>(init.weights)) : new GPT(o.gpt, o.phases[0]?.seed ?? 1);
  let global = 0;
  for (const ph of o.phases) {
    const task = taskByName(ph.task);
    const all = ph.rephraseDigits;
    const easy = task.difficulties.easy;
    const rng = new Rng(ph.seed);
    const opt = tf.train.adam(ph.lr, 0.9, 0.98, 1e-8); // explicit epsilon: webgl's default is 1e-4 (docs/DESIGN.md §8.1)
    for (let step = 0; step < ph.steps; step++, global++) {
      (opt as unknown as { learningRate: number }).learningRate = lrAt(step, ph);
      const rephrase = rng.float() < ph.rephraseShare;
      const batch: Example[] = [];
      for (let i = 0; i < o.batchSize; i++) {
        if (rephrase) batch.push(rephraseExample(task, task.sample(rng, all[rng.int(0, all.length - 1)])));
        else batch.push(ownExample(task, task.sample(rng, easy[rng.int(0, easy.length - 1)])));
      }
      const loss = await supervisedStep(model, opt, batch);
      await onStep?.(global, loss, model);
    }
    opt.dispose();
  }
  return model;
}
