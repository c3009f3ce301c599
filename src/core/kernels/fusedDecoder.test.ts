// The fused decode kernel against the unfused model (GPT.forward over the whole sequence) on cpu and
// wasm: logits at every decoded position, tokens, reproducibility, EOS bookkeeping, no leaked tensors.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, tinyModel } from '../../test/setup';
import { GPT } from '../model';
import { Rng } from '../rng';
import { generate } from '../sampler';
import { EOS_ID, PAD_ID, VOCAB_SIZE } from '../vocab';
import { decodeDims, kvIndex } from './decodeLayout';
import { FusedDecoder } from './fusedDecoder';
import { decodedState, eosModel, logitsAgreement } from './testing';

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
        expect(r.compared).toBeGreaterThanOrEqual(r.positions); // rows that ended early leave the rest
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

    it('writes the same state bit for bit whether one kernel call decodes one position or many', async () => {
      await backend(name);
      const m = eosModel(31);
      const one = await decodedState(m, prompts, 20, 1, 4, 1);
      for (const chunk of [3, 100]) expect((await decodedState(m, prompts, 20, 1, 4, chunk)).state).toEqual(one.state);
      // A done row is not decoded further: its cache columns after the EOS column stay unwritten (0).
      const { state, layout } = one;
      const d = decodeDims(m.cfg);
      let ended = 0;
      for (let i = 0; i < layout.n; i++) {
        const g = Array.from(state.subarray(layout.gen + i * layout.maxNew, layout.gen + (i + 1) * layout.maxNew));
        const e = g.indexOf(EOS_ID);
        if (e === -1 || e + 1 >= g.length) continue;
        ended++;
        expect(g.slice(e + 1).every((t) => t === PAD_ID)).toBe(true);
        expect(state[kvIndex(d, layout, i, 0, 0, 0, layout.p - 1 + e, 0)]).not.toBe(0); // the column that sampled EOS
        expect(state[kvIndex(d, layout, i, 0, 0, 0, layout.p + e, 0)]).toBe(0); // the column EOS would feed: skipped
      }
      expect(ended).toBeGreaterThan(0);
      m.dispose();
    });

    it('stops each row at EOS, whatever the readback cadence', async () => {
      await backend(name);
      const m = eosModel(31);
      const runs = await Promise.all([1, 3, 8, 100, Infinity].map(async (readEvery) => (await generate(m, prompts, { maxNewTokens: 30, temperature: 1, rng: new Rng(8), readEvery, fused: true })).tokens));
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
