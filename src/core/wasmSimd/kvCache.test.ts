// The in-place KV cache on wasm (kvCache.ts) must decode exactly as the Concat cache does, and must run.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { DEFAULT_GPT, GPT, type KVCache } from '../model';
import { generate } from '../sampler';
import { Rng } from '../rng';
import { simdStats } from './module';
import { bits, firstDifference } from './testing';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Decodes `steps` tokens greedily from ragged prompts, returning each step's logits' bits. */
function decode(model: GPT, capacity: number | undefined, steps: number): number[][] {
  const N = 6;
  const P = 5;
  const width = P + steps;
  const ids = Array.from({ length: N * width }, (_, i) => 3 + ((i * 7) % 11));
  const mask = Array.from({ length: N * width }, (_, i) => (i % width < (i / width) % 3 ? 0 : 1)); // left padding
  let cache: KVCache | undefined;
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const end = P + t;
    const from = cache ? end - 1 : 0;
    const cols = (src: number[], a: number, b: number) => Array.from({ length: N }, (_, n) => src.slice(n * width + a, n * width + b)).flat();
    tf.tidy(() => {
      const r = model.forward(tf.tensor2d(cols(ids, from, end), [N, end - from], 'int32'), tf.tensor2d(cols(mask, 0, end), [N, end]), from, cache, capacity);
      const old = cache;
      cache = r.cache.map((c) => ({ ...c, k: tf.keep(c.k), v: tf.keep(c.v) }));
      old?.forEach((c) => (c.k.dispose(), c.v.dispose()));
      out.push(bits(r.logits.dataSync()));
    });
  }
  cache!.forEach((c) => (c.k.dispose(), c.v.dispose()));
  return out;
}

describe('the in-place KV cache (wasm with our module)', () => {
  it('gives the Concat cache logits bit for bit at every step, prefill included; its kernels ran, Concat did not', () => {
    const model = new GPT(DEFAULT_GPT, 5);
    const want = decode(model, undefined, 50); // past 48 positions: the scalar loop's summation blocks
    const before = { w: simdStats.SimdKvWrite ?? 0, r: simdStats.SimdKvMatMul ?? 0, c: simdStats.Concat ?? 0 };
    const got = decode(model, 60, 50);
    expect(got.map((g, t) => firstDifference(g, want[t]))).toEqual(want.map(() => -1));
    expect((simdStats.SimdKvWrite ?? 0) - before.w).toBe(2 * 3 * 50); // k and v, 3 layers, 50 steps
    expect((simdStats.SimdKvMatMul ?? 0) - before.r).toBe(2 * 3 * 50);
    expect((simdStats.Concat ?? 0) - before.c).toBe(0);
    model.dispose();
  });

  it('generate() samples the same tokens as with the Concat cache, and leaks no tensors', async () => {
    const model = new GPT(DEFAULT_GPT, 9);
    const prompts = [[3, 4, 5], [6, 7], [8, 9, 10, 11], [3], [4, 4, 4, 4, 4]];
    const o = { maxNewTokens: 12, temperature: 1 };
    await generate(model, prompts, { ...o, rng: new Rng(1) }); // warm-up: the first call creates kernels' state
    const before = tf.memory().numTensors;
    const inPlace = await generate(model, prompts, { ...o, rng: new Rng(2) });
    expect(tf.memory().numTensors).toBe(before);
    const writes = simdStats.SimdKvWrite ?? 0;
    const plain = await generateWithoutCapacity(model, prompts, { ...o, rng: new Rng(2) });
    expect(simdStats.SimdKvWrite ?? 0).toBe(writes);
    expect(inPlace.tokens).toEqual(plain.tokens);
    model.dispose();
  });

  it('refuses to write past its capacity, with a clear message', () => {
    const model = new GPT(DEFAULT_GPT, 2);
    const run = () => tf.tidy(() => model.forward(tf.zeros([2, 6], 'int32') as tf.Tensor2D, tf.ones([2, 6]) as tf.Tensor2D, 0, undefined, 4));
    expect(run).toThrow(/exceed the KV cache's capacity/);
    model.dispose();
  });
});

/** generate() with forward's capacity argument dropped, so the Concat cache runs. */
async function generateWithoutCapacity(model: GPT, prompts: number[][], o: Parameters<typeof generate>[2]) {
  const forward = model.forward.bind(model);
  model.forward = (tokens, keyMask, start, past) => forward(tokens, keyMask, start, past);
  try {
    return await generate(model, prompts, o);
  } finally {
    model.forward = forward;
  }
}
