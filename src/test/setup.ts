// Shared helpers for tests that need tfjs: a backend and a small random policy.
import { useBackend, type BackendName } from '../core/backend';
import { GPT, packBatch, type GPTConfig } from '../core/model';
import type { Rng } from '../core/rng';
import { VOCAB_SIZE } from '../core/vocab';

export const TINY: GPTConfig = { vocabSize: VOCAB_SIZE, dModel: 32, nLayer: 2, nHead: 4, dFF: 64, maxLen: 192 };

export async function backend(name: BackendName = 'wasm'): Promise<void> {
  if (!(await useBackend(name))) throw new Error(`backend ${name} did not start`);
}

export function tinyModel(seed = 7): GPT {
  return new GPT(TINY, seed);
}

/** `n` random (prompt, response) id rows from `rng`, packed: the batch the loss and numerics tests share. */
export function randomRows(rng: Rng, n: number) {
  const prompts = Array.from({ length: n }, () => Array.from({ length: rng.int(2, 6) }, () => rng.int(3, 20)));
  const responses = Array.from({ length: n }, () => Array.from({ length: rng.int(1, 7) }, () => rng.int(3, 20)));
  return { prompts, responses, packed: packBatch(prompts, responses) };
}
