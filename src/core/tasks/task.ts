// A verifiable task: problems, two solution styles, the rephrasing prompt and a graded reward.
// The trainer only sees this interface, so a second task slots in without touching the RL code.
import { Rng } from '../rng';

export type Split = 'easy' | 'hard';
export type Style = 'own' | 'expert' | 'malformed';

export interface Problem {
  question: string; // the prompt q, e.g. "347+589="
  answer: string; // the verified answer, e.g. "936"
  difficulty: number;
  split: Split;
}

export interface Task {
  readonly name: string;
  readonly difficulties: Record<Split, number[]>;
  /** Longest response the policy may need (tokens, EOS included). */
  readonly maxResponseLength: number;
  sample(rng: Rng, difficulty: number): Problem;
  /** The policy's native chain of thought (what the base checkpoint was taught). */
  ownSolution(p: Problem): string;
  /** The "stronger model"'s solution k: a foreign decomposition the base never writes. */
  expertSolution(p: Problem): string;
  /** P(q, k): the prompt under which the policy rewrites k in its own words. */
  rephrasePrompt(p: Problem, expert: string): string;
  /** Graded reward in [0, 1]. */
  reward(p: Problem, response: string): number;
  style(response: string): Style;
}

/** Draws a problem of a random difficulty from one split. */
export function sampleSplit(task: Task, rng: Rng, split: Split): Problem {
  const ds = task.difficulties[split];
  return task.sample(rng, ds[rng.int(0, ds.length - 1)]);
}

/** A fixed, seeded evaluation set: `n` problems spread evenly over the split's difficulties.
 *  Problem i depends only on (seed, i), so sets are stable when n changes. */
export function evalSet(task: Task, split: Split, n: number, seed: number): Problem[] {
  const ds = task.difficulties[split];
  return Array.from({ length: n }, (_, i) => task.sample(new Rng((seed * 1000003 + i * 7919) | 0), ds[i % ds.length]));
}
