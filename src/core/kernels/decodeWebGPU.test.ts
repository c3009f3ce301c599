// The WGSL decode program in Node (Dawn's WebGPU; SwiftShader where no GPU): its logits equal the
// unfused model's, it samples the same tokens as the JS kernel on wasm for a seed, it leaves no
// tensors, and it runs without a WebGPU validation error. Skipped, with the reason, without an adapter.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyModel } from '../../test/setup';
import { checkedOnWebGPU, useBackend } from '../backend';
import { GPT } from '../model';
import { Rng } from '../rng';
import { generate } from '../sampler';
import { EOS_ID, VOCAB_SIZE } from '../vocab';
import { decodedState, eosModel, logitsAgreement } from './testing';
import { startNodeWebGPU } from '../../test/nodeWebGPU';

const skip = await startNodeWebGPU('the fused WebGPU decode tests');

const prompts = [[1, 5, 6, 7], [1, 8], [1, 9, 10, 11, 12, 13], [1, 3]];

describe.skipIf(!!skip)('fused decoding on WebGPU', () => {
  afterAll(() => useBackend('wasm'));

  it('gives the unfused logits at every position (≤ 1e-5 of the logits\' scale)', async () => {
    await useBackend('webgpu');
    for (const m of [new GPT({ vocabSize: VOCAB_SIZE, dModel: 64, nLayer: 3, nHead: 4, dFF: 256, maxLen: 192 }, 21), tinyModel(22)]) {
      const r = await checkedOnWebGPU(() => logitsAgreement(m, prompts, 10, 0.9, 3));
      console.log(`webgpu d=${m.cfg.dModel}: ${r.positions} positions, worst relative logit difference ${r.worst.toExponential(2)}`);
      expect(r.positions).toBe(10);
      expect(r.compared).toBeGreaterThanOrEqual(r.positions);
      expect(r.worst).toBeLessThanOrEqual(1e-5);
      m.dispose();
    }
  });

  it('writes the same state bit for bit in one dispatch per position or one per generation, rows ending at EOS', async () => {
    await useBackend('webgpu');
    const m = eosModel(31);
    const one = await checkedOnWebGPU(() => decodedState(m, prompts, 20, 1, 4, 1));
    const gen = one.state.subarray(one.layout.gen, one.layout.done);
    expect(gen.filter((t) => t === EOS_ID).length).toBeGreaterThan(0); // rows ended: the skip ran
    for (const chunk of [3, 100]) expect((await checkedOnWebGPU(() => decodedState(m, prompts, 20, 1, 4, chunk))).state).toEqual(one.state);
    // and as the JS kernel on wasm decodes it (tokens and flags exactly; cache and logits to rounding)
    await useBackend('wasm');
    const m0 = eosModel(31);
    const js = await decodedState(m0, prompts, 20, 1, 4, 100);
    expect(js.state.subarray(js.layout.gen, js.layout.logits)).toEqual(one.state.subarray(one.layout.gen, one.layout.logits));
    m0.dispose();
    m.dispose();
  });

  it('samples what the unfused path and wasm sample for a seed, reproducibly, and leaks nothing', async () => {
    const o = { maxNewTokens: 16, temperature: 1 };
    await useBackend('wasm');
    const m0 = tinyModel(12);
    const wasm = await generate(m0, prompts, { ...o, rng: new Rng(5) });
    m0.dispose();
    await useBackend('webgpu');
    const m = tinyModel(12); // same seed: same weights on this backend
    const before = tf.memory().numTensors;
    const a = await checkedOnWebGPU(() => generate(m, prompts, { ...o, rng: new Rng(5) }));
    const b = await checkedOnWebGPU(() => generate(m, prompts, { ...o, rng: new Rng(5), readEvery: 1 }));
    const u = await checkedOnWebGPU(() => generate(m, prompts, { ...o, rng: new Rng(5), fused: false }));
    expect(tf.memory().numTensors).toBe(before);
    expect(a.tokens).toEqual(b.tokens);
    expect(a.tokens).toEqual(u.tokens);
    expect(a.tokens).toEqual(wasm.tokens);
    m.dispose();
  });
});
