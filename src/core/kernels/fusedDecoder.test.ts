// The fused decode kernel against the unfused model (GPT.forward over the whole sequence) on cpu and
// wasm: logits at every decoded position, tokens, reproducibility, EOS bookkeeping, no leaked tensors.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, tinyModel } from '../../test/setup';
import { GPT } from '../model';
import { Rng } from '../rng';
import { generate } from '../sampler';
import { EOS_ID, VOCAB_SIZE } from '../vocab';
import { FusedDecoder } from './fusedDecoder';
import { logitsAgreement } from './testing';

const prompts = [[1, 5, 6, 7], [1, 8], [1, 9, 10, 11, 12, 13], [1, 3]]; // ragged: left padding in play

for (const name of ['cpu', 'wasm'] as const) {
  describe(`fused decoding on ${name}`, () => {
    afterAll(() => backend('wasm'));

    it('gives the unfused logits at every position (≤ 1e-5 of the logits\' scale), for the default sizes and a tiny model', async () => {
      await backend(name);
      for (const m of [new GPT({ vocabSize: VOCAB_SIZE, dModel: 64, nLayer: 3, nHead: 4, dFF: 256, maxLen: 192 }, 21), tinyModel(22)]) {
        const r = await logitsAgreement(m, prompts, 12, 0.9, 3);
        console.log(`${name} d=${m.cfg.dModel}: ${r.positions} positions, worst relative logit difference ${r.worst.toExponential(2)}`);
        expect(r.positions).toBe(12);
        expect(r.worst).toBeLessThanOrEqual(1e-5);
        m.dispose();
      }
    });

    it('samples the same tokens as the unfused path for a seed, and the same twice', async () => {
      await backend(name);
      const m = tinyModel(12);
      for (const temperature of [0, 1]) {
        const o = { maxNewTokens: 24, temperature };
        const a = await generate(m, prompts, { ...o, rng: new Rng(5), fused: true });
        const b = await generate(m, prompts, { ...o, rng: new Rng(5), fused: true });
        const u = await generate(m, prompts, { ...o, rng: new Rng(5), fused: false });
        const full = await generate(m, prompts, { ...o, rng: new Rng(5), useCache: false });
        expect(a.tokens).toEqual(b.tokens);
        expect(a.tokens).toEqual(u.tokens);
        expect(a.tokens).toEqual(full.tokens);
        expect(a.generated).toBe(u.generated);
        expect(a.tokens.flat().length).toBeGreaterThan(prompts.length);
      }
      m.dispose();
    });

    it('stops each row at EOS, whatever the readback cadence', async () => {
      await backend(name);
      // A model that says EOS often: bias the tied embedding of EOS up.
      const m = tinyModel(31);
      const emb = m.weights.get('tok_emb')!;
      const lnf = m.weights.get('lnf.g')!;
      tf.tidy(() => emb.assign(tf.add(emb, tf.oneHot([EOS_ID], VOCAB_SIZE).reshape([VOCAB_SIZE, 1]).mul(tf.sign(lnf).reshape([1, -1]).mul(0.08)))));
      const runs = await Promise.all([1, 3, 8, 100].map(async (readEvery) => (await generate(m, prompts, { maxNewTokens: 30, temperature: 1, rng: new Rng(8), readEvery, fused: true })).tokens));
      for (const r of runs) expect(r).toEqual(runs[0]);
      const unfused = await generate(m, prompts, { maxNewTokens: 30, temperature: 1, rng: new Rng(8), fused: false });
      expect(runs[0]).toEqual(unfused.tokens);
      const ended = runs[0].filter((row) => row.at(-1) === EOS_ID);
      expect(ended.length).toBeGreaterThan(0); // the test exercised EOS
      for (const row of runs[0]) expect(row.indexOf(EOS_ID) === -1 || row.indexOf(EOS_ID) === row.length - 1).toBe(true);
      m.dispose();
    });

    it('leaves no tensors behind, and refuses a sequence longer than maxLen in one line', async () => {
      await backend(name);
      const m = tinyModel(13);
      const before = tf.memory().numTensors;
      await generate(m, prompts, { maxNewTokens: 16, temperature: 1, rng: new Rng(2), fused: true });
      const d = new FusedDecoder(m, prompts, 8, 1, new Float32Array(prompts.length * 8));
      d.step();
      tf.dispose(d.logits());
      d.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const long = [Array.from({ length: 190 }, () => 5)];
      await expect(generate(m, long, { maxNewTokens: 8, temperature: 0, rng: new Rng(1), fused: true })).rejects.toThrow(/exceeds the model's maxLen 192/);
      expect(tf.memory().numTensors).toBe(before);
      m.dispose();
    });
  });
}
