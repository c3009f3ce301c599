// SFT (the triangle's third corner): cross-entropy on the expert traces of the batch's questions.
import type * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model';
import { supervisedStep, type Example } from '../pretrain';
import type { Problem, Task } from '../tasks/task';
import { promptIds, responseIds } from '../vocab';

export function expertExamples(task: Task, problems: Problem[]): Example[] {
  return problems.map((p) => ({ prompt: promptIds(p.question), response: responseIds(task.expertSolution(p)) }));
}

/** One cross-entropy step on the expert traces; returns the loss. */
export async function sftUpdate(model: GPT, opt: tf.Optimizer, task: Task, problems: Problem[]): Promise<number> {
  return supervisedStep(model, opt, expertExamples(task, problems));
}
