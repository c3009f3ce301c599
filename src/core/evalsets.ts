// The fixed evaluation sets, shared by pretraining, the trainer, the ablation and the app.
import { evalSet, type Problem, type Task } from './tasks/task';

export const EVAL_SEEDS = { easy: 1001, hard: 2002 } as const;

/** The easy and hard sets of `n` problems each; the same problems wherever they are built. */
export function fixedEvalSets(task: Task, n: number): { easy: Problem[]; hard: Problem[] } {
  return { easy: evalSet(task, 'easy', n, EVAL_SEEDS.easy), hard: evalSet(task, 'hard', n, EVAL_SEEDS.hard) };
}
