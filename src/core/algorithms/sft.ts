// SFT (the triangle's third corner): cross-entropy on the expert traces of the batch's questions.
// Rollouts are still sampled and recorded (to watch the style drift), but nothing of them is trained.
import type { Example } from '../pretrain';
import type { Problem, Task } from '../tasks/task';
import { promptIds, responseIds } from '../vocab';
import { noInjection, type Algorithm } from './algorithm';

export function expertExamples(task: Task, problems: Problem[]): Example[] {
  return problems.map((p) => ({ prompt: promptIds(p.question), response: responseIds(task.expertSolution(p)) }));
}

export const sft: Algorithm = {
  name: 'sft',
  summary: 'supervised fine-tuning: cross-entropy on the expert solution of each question',
  describe: () => ({ objective: 'cross-entropy', gate: null, injects: null, slot: null, verifier: false, rephraser: null, trainsRephrasePrompt: false, oldLogpOfInjected: null, loss: null, advScale: null }),
  rolloutsPerGroup: (c) => c.groupSize,
  inject: noInjection,
  update: async (ctx, _rows, _rewards, problems) => ({ result: null, sftLoss: await ctx.crossEntropy(expertExamples(ctx.task, problems)) }),
};
