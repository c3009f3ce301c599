// Every training method by name. Adding one: a file in this folder and a line here (and its name in
// config.ts's ALGOS, so the CLI, URL and controls offer it).
import type { Algo } from '../config';
import type { Algorithm } from './algorithm';
import { grpo } from './grpo';
import { luffy } from './luffy';
import { repo } from './repo';
import { sft } from './sft';

const REGISTRY = new Map<string, Algorithm>([grpo, repo, luffy, sft].map((a) => [a.name, a]));

export function algorithm(name: Algo | string): Algorithm {
  const a = REGISTRY.get(name);
  if (!a) throw new Error(`unknown algorithm "${name}" (known: ${[...REGISTRY.keys()].join(', ')})`);
  return a;
}

/** For methods defined outside this folder (tests, experiments): the trainer finds them by name. */
export function registerAlgorithm(a: Algorithm): () => void {
  if (REGISTRY.has(a.name)) throw new Error(`algorithm "${a.name}" is already registered`);
  REGISTRY.set(a.name, a);
  return () => REGISTRY.delete(a.name);
}
