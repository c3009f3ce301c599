// FusedAdam on cpu and wasm is tf.train.adam bit for bit (weights, moments, bias powers, and whole
// trainer StepRecords), with the clipping scale folded in; it holds a fixed number of tensors; and
// its exported state continues a run exactly. The WebGPU kernels: adamWebGPU.test.ts.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { simdStats } from '../wasmSimd/module';
import { firstDifference, timeless } from '../../test/determinism';
import { backend, tinyModel } from '../../test/setup';
import { defaultConfig, type Algo, type Config } from '../config';
import type { GPT } from '../model';
import type { StepRecord } from '../record';
import { Rng } from '../rng';
import { addition } from '../tasks/addition';
import { Trainer } from '../trainer';
import { applyScaled } from './apply';
import { FusedAdam } from './fusedAdam';
import { globalNorm } from './gradNorm';

const SCALES = [0.37, 1, 0.8131, 2.5e-3, 1]; // clipping factors, most ≠ 1

/** Gradients for `model`'s variables (by their names), drawn in JS so every backend sees the same. */
function grads(model: GPT, rng: Rng): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  for (const w of model.trainable()) out[w.name] = tf.tensor(Float32Array.from({ length: w.size }, () => (rng.float() - 0.5) * (rng.float() < 0.1 ? 1e-6 : 2)), w.shape);
  return out;
}

const values = async (ts: tf.Tensor[]) => Promise.all(ts.map((t) => t.data()));

/** tfjs 4.22 AdamOptimizer internals, to compare moments and powers (trainerState.ts used to read them). */
interface TfAdam {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { variable: tf.Variable }[];
  accumulatedSecondMoment: { variable: tf.Variable }[];
}

// ρ 0, no verifier: RePO injects in every group, so off-policy rows and clipping both run (as trainerState.test).
const small = (algo: Algo): Config => ({ ...defaultConfig(), algo, batchSize: 2, groupSize: 3, maxNewTokens: 12, evalSize: 10, evalEvery: 0, rho: 0, repoVerify: false, dropZeroStd: false, maxGradNorm: 2e-3, lr: 1e-3 }); // clips most updates of the tiny model

async function records(t: Trainer, n: number): Promise<StepRecord[]> {
  const out: StepRecord[] = [];
  for (let i = 0; i < n; i++) out.push(timeless(await t.trainStep()));
  return out;
}

for (const name of ['cpu', 'wasm'] as const) {
  describe(`FusedAdam on ${name}`, () => {
    afterAll(() => backend('wasm'));

    it('equals tf.train.adam bit for bit over 5 steps with clipping scales ≠ 1: weights, moments, bias powers', async () => {
      await backend(name);
      const [a, b] = [tinyModel(3), tinyModel(3)];
      const ref = tf.train.adam(3e-3, 0.9, 0.999, 1e-8);
      const ours = new FusedAdam(3e-3, 0.9, 0.999, 1e-8);
      const start = await values(b.trainable());
      const [ra, rb] = [new Rng(9), new Rng(9)];
      const simdBefore = simdStats.SimdAdam ?? 0;
      for (const scale of SCALES) {
        const ga = grads(a, ra);
        const gb = grads(b, rb);
        applyScaled(ref, ga, scale); // what update() did before FusedAdam: tf.mul(g, scale), then tf.train.adam
        ours.applyGradients(gb, scale);
        tf.dispose([...Object.values(ga), ...Object.values(gb)]);
      }
      // on wasm, our one-kernel step (wasmSimd/adam.ts) is what ran, once per variable per update
      expect((simdStats.SimdAdam ?? 0) - simdBefore).toBe(name === 'wasm' ? SCALES.length * b.trainable().length : 0);
      const r = ref as unknown as TfAdam;
      const s = await ours.exportState();
      const held = new Map(s.moments);
      const m = b.trainable().map((w) => held.get(w.name)!);
      expect(firstDifference(await values(b.trainable()), await values(a.trainable()))).toBeNull();
      expect(firstDifference(m.map((x) => x.m.data), await values(r.accumulatedFirstMoment.map((x) => x.variable)))).toBeNull();
      expect(firstDifference(m.map((x) => x.v.data), await values(r.accumulatedSecondMoment.map((x) => x.variable)))).toBeNull();
      expect([s.beta1Power, s.beta2Power]).toEqual([(await r.accBeta1.data())[0], (await r.accBeta2.data())[0]]);
      expect(s.updates).toBe(SCALES.length);
      // The comparison covered real motion: every weight tensor moved.
      const end = await values(b.trainable());
      expect(end.every((e, i) => e.some((x, j) => x !== start[i][j]))).toBe(true);
      [a, b, ref, ours].forEach((x) => x.dispose());
    });

    it('holds two moments per variable, created once, and leaks nothing', async () => {
      await backend(name);
      const model = tinyModel(4);
      const before = tf.memory().numTensors;
      const opt = new FusedAdam(1e-3);
      expect(tf.memory().numTensors).toBe(before);
      const rng = new Rng(2);
      const counts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const g = grads(model, rng);
        opt.applyGradients(g, 0.5);
        tf.dispose(Object.values(g));
        counts.push(tf.memory().numTensors);
      }
      expect(counts).toEqual(counts.map(() => before + 2 * model.trainable().length));
      opt.dispose();
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });

    it('exportState → importState into a new optimiser continues bit for bit', async () => {
      await backend(name);
      const [a, b] = [tinyModel(6), tinyModel(6)];
      const straight = new FusedAdam(5e-3);
      const first = new FusedAdam(5e-3);
      const [ra, rb] = [new Rng(4), new Rng(4)];
      const step = (m: GPT, o: FusedAdam, r: Rng, scale: number) => {
        const g = grads(m, r);
        o.applyGradients(g, scale);
        tf.dispose(Object.values(g));
      };
      for (const s of SCALES.slice(0, 2)) [step(a, straight, ra, s), step(b, first, rb, s)];
      const state = structuredClone(await first.exportState());
      first.dispose();
      const resumed = new FusedAdam(5e-3);
      resumed.importState(state);
      for (const s of SCALES.slice(2)) [step(a, straight, ra, s), step(b, resumed, rb, s)];
      expect(firstDifference(await values(b.trainable()), await values(a.trainable()))).toBeNull();
      // The two models' variables have different names: compare the moments in order.
      const unnamed = async (o: FusedAdam) => ({ ...(await o.exportState()), moments: (await o.exportState()).moments.map(([, m]) => m) });
      expect(firstDifference(await unnamed(resumed), await unnamed(straight))).toBeNull();
      [a, b, straight, resumed].forEach((x) => x.dispose());
    });

    it('globalNorm is √Σ sum(g²) (bit-exactness vs the old code: the Trainer tests below)', async () => {
      await backend(name);
      const model = tinyModel(8);
      const g = Object.values(grads(model, new Rng(3)));
      const want = tf.tidy(() => tf.sqrt(tf.addN(g.map((x) => tf.sum(tf.square(x))))));
      const got = globalNorm(g);
      expect((await got.data())[0]).toBeCloseTo((await want.data())[0], 4);
      tf.dispose([got, want, ...g]);
      model.dispose();
    });

    for (const algo of ['repo', 'sft'] as const) {
      it(`${algo}: a Trainer's StepRecords and weights equal those with tf.train.adam, bit for bit`, async () => {
        await backend(name);
        const base = tinyModel(5);
        // One trainer at a time: records count every live tensor.
        const ours = new Trainer(addition, base, small(algo));
        const got = await records(ours, 3);
        const gotWeights = await values(ours.policy.trainable());
        ours.dispose();
        // The same trainer with its optimiser swapped for tfjs's (update() and supervisedStep take either).
        const want = new Trainer(addition, base, small(algo));
        const slot = want as unknown as { opt: { dispose(): void } };
        slot.opt.dispose();
        slot.opt = tf.train.adam(small(algo).lr, 0.9, 0.999, 1e-8);
        const ref = await records(want, 3);
        // Everything equal but the live-tensor count: tfjs's Adam holds its two bias powers as tensors, ours on the host.
        expect(got.map((r) => r.metrics.numTensors)).toEqual(ref.map((r) => r.metrics.numTensors - 2));
        const uncounted = (rs: StepRecord[]) => rs.map((r) => ({ ...r, metrics: { ...r.metrics, numTensors: 0 } }));
        expect(firstDifference(uncounted(got), uncounted(ref))).toBeNull();
        expect(firstDifference(gotWeights, await values(want.policy.trainable()))).toBeNull();
        if (algo === 'repo') {
          expect(got.some((r) => r.groups.some((g) => g.decision === 'injected'))).toBe(true);
          expect(got.some((r) => (r.metrics.gradNorm ?? 0) > small(algo).maxGradNorm)).toBe(true); // clipping was active
        }
        [want, base].forEach((x) => x.dispose());
      });
    }
  });
}
