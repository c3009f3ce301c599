import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backend, tinyModel } from '../test/setup';
import { Rng } from './rng';
import { generate } from './sampler';

beforeAll(() => backend('wasm'));

describe('KV-cached sampling', () => {
  const prompts = [[1, 5, 6, 7], [1, 8], [1, 9, 10, 11, 12, 13], [1, 3]]; // ragged: left padding in play
  it('greedy decoding equals full recompute token for token', async () => {
    const m = tinyModel(11);
    const a = await generate(m, prompts, { maxNewTokens: 24, temperature: 0, rng: new Rng(1) });
    const b = await generate(m, prompts, { maxNewTokens: 24, temperature: 0, rng: new Rng(1), useCache: false });
    expect(a.tokens).toEqual(b.tokens);
    expect(a.tokens[0].length).toBeGreaterThan(0);
    m.dispose();
  });
  it('temperature sampling with the same seed equals full recompute', async () => {
    const m = tinyModel(12);
    const a = await generate(m, prompts, { maxNewTokens: 24, temperature: 1, rng: new Rng(5) });
    const b = await generate(m, prompts, { maxNewTokens: 24, temperature: 1, rng: new Rng(5), useCache: false });
    expect(a.tokens).toEqual(b.tokens);
    m.dispose();
  });
  it('leaves no tensors behind', async () => {
    const m = tinyModel(13);
    const before = tf.memory().numTensors;
    await generate(m, prompts, { maxNewTokens: 16, temperature: 1, rng: new Rng(2) });
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
