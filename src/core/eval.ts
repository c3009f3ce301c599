// Greedy evaluation on fixed, seeded problem sets.
import type { GPT } from './model';
import { Rng } from './rng';
import { generate } from './sampler';
import type { Problem, Style, Task } from './tasks/task';
import { promptIds, responseText } from './vocab';

export interface EvalResult {
  accuracy: number; // share with reward 1
  meanReward: number;
  styleShare: Record<Style, number>;
  samples: { question: string; text: string; reward: number }[]; // the first few, for inspection
}

/** Called as problems are answered: `done` of `total` (before the first batch too, with done = 0). */
export type EvalProgress = (done: number, total: number) => void;

/**
 * Greedy accuracy of `model` on `problems`. With `rephrase`, each prompt is P(q, k) (the policy reads
 * the expert solution) and the response is still scored as an answer to q.
 */
export async function evaluate(model: GPT, task: Task, problems: Problem[], o: { rephrase?: boolean; batchSize?: number; onProgress?: EvalProgress } = {}): Promise<EvalResult> {
  const bs = o.batchSize ?? 200;
  const style: Record<Style, number> = { own: 0, expert: 0, malformed: 0 };
  let correct = 0;
  let total = 0;
  const samples: EvalResult['samples'] = [];
  for (let s = 0; s < problems.length; s += bs) {
    o.onProgress?.(s, problems.length);
    const chunk = problems.slice(s, s + bs);
    const prompts = chunk.map((p) => promptIds(o.rephrase ? task.rephrasePrompt(p, task.expertSolution(p)) : p.question));
    const { tokens } = await generate(model, prompts, { maxNewTokens: task.maxResponseLength, temperature: 0, rng: new Rng(0) });
    tokens.forEach((ids, i) => {
      const text = responseText(ids);
      const r = task.reward(chunk[i], text);
      if (r === 1) correct++;
      total += r;
      style[task.style(text)]++;
      if (samples.length < 8) samples.push({ question: chunk[i].question, text, reward: r });
    });
  }
  o.onProgress?.(problems.length, problems.length);
  const n = Math.max(problems.length, 1);
  return {
    accuracy: correct / n,
    meanReward: total / n,
    styleShare: { own: style.own / n, expert: style.expert / n, malformed: style.malformed / n },
    samples,
  };
}

/** The three accuracies every report uses, plus the style of the greedy answers to hard problems. */
export interface EvalSummary {
  easy: number;
  hard: number;
  rephraseHard: number; // reading the expert solution: the rephrasing ability RePO relies on
  hardStyle: Record<Style, number>; // drift towards the expert's style shows here
}

/** `onProgress` counts problems over the three passes (hard, easy, hard reading k): 2·hard + easy in all. */
export async function evaluateSuite(model: GPT, task: Task, sets: { easy: Problem[]; hard: Problem[] }, onProgress?: EvalProgress): Promise<EvalSummary> {
  const total = 2 * sets.hard.length + sets.easy.length;
  const from = (offset: number): EvalProgress | undefined => onProgress && ((done) => onProgress(offset + done, total));
  const hard = await evaluate(model, task, sets.hard, { onProgress: from(0) });
  return {
    easy: (await evaluate(model, task, sets.easy, { onProgress: from(sets.hard.length) })).accuracy,
    hard: hard.accuracy,
    rephraseHard: (await evaluate(model, task, sets.hard, { rephrase: true, onProgress: from(sets.hard.length + sets.easy.length) })).accuracy,
    hardStyle: hard.styleShare,
  };
}
