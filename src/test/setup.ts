// Shared helpers for tests that need tfjs: a backend and a small random policy.
import { useBackend, type BackendName } from '../core/backend';
import { GPT, type GPTConfig } from '../core/model';
import { VOCAB_SIZE } from '../core/vocab';

export const TINY: GPTConfig = { vocabSize: VOCAB_SIZE, dModel: 32, nLayer: 2, nHead: 4, dFF: 64, maxLen: 192 };

export async function backend(name: BackendName = 'wasm'): Promise<void> {
  if (!(await useBackend(name))) throw new Error(`backend ${name} did not start`);
}

export function tinyModel(seed = 7): GPT {
  return new GPT(TINY, seed);
}
