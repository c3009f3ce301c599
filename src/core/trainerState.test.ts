// Snapshot → restore on a fresh backend continues a run exactly: the records after the restore equal,
// bit for bit (wall-clock fields aside), those of a run that never stopped, on cpu and on wasm.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, tinyModel } from '../test/setup';
import { firstDifference, timeless } from '../test/determinism';
import { defaultConfig, type Algo, type Config } from './config';
import type { GPT } from './model';
import type { StepRecord } from './record';
import { addition } from './tasks/addition';
import { Trainer } from './trainer';
import { restoreTrainer, snapshotBytes, snapshotTrainer } from './trainerState';

// ρ 0 and no verifier: RePO injects in every group, so the off-policy path and Adam's moments all move.
const small = (algo: Algo): Config => ({ ...defaultConfig(), algo, batchSize: 2, groupSize: 3, maxNewTokens: 12, evalSize: 10, evalEvery: 0, rho: 0, repoVerify: false, dropZeroStd: false });

async function steps(t: Trainer, n: number): Promise<StepRecord[]> {
  const out: StepRecord[] = [];
  for (let i = 0; i < n; i++) out.push(timeless(await t.trainStep()));
  return out;
}

const other = (b: 'cpu' | 'wasm') => (b === 'cpu' ? 'wasm' : 'cpu');

for (const name of ['cpu', 'wasm'] as const) {
  describe(`snapshot and restore on ${name}`, () => {
    let base: GPT;
    beforeAll(async () => {
      await backend(name);
      base = tinyModel(5);
    });
    afterAll(async () => {
      base.dispose();
      await backend('wasm');
    });

    for (const algo of ['repo', 'luffy'] as const) {
      it(`${algo}: 2 steps, snapshot, restore into a new trainer, 2 more steps = 4 steps uninterrupted`, async () => {
        const straight = new Trainer(addition, base, small(algo));
        const want = await steps(straight, 4);
        straight.dispose();

        const before = tf.memory().numTensors;
        const first = new Trainer(addition, base, small(algo));
        await steps(first, 2);
        const snap = structuredClone(await snapshotTrainer(first)); // as posted to the page
        first.dispose();
        const resumed = await restoreTrainer(addition, base, snap);
        expect(resumed.step).toBe(2);
        const got = await steps(resumed, 2);
        resumed.dispose();

        expect(got.map((r) => r.step)).toEqual([2, 3]);
        expect(got[0].groups.some((g) => g.decision === 'injected')).toBe(true); // the comparison covered real work
        expect(firstDifference(got, want.slice(2))).toBeNull();
        expect(snap.adam.updates).toBeGreaterThan(0);
        expect(snap.adam.moments.length).toBe(base.trainable().length);
        expect(snapshotBytes(snap)).toBe(3 * 4 * base.numParams); // weights + two Adam moments, float32
        expect(tf.memory().numTensors).toBe(before);
      });
    }

    it(`the state crosses from ${name} to ${other(name)} and back bit for bit`, async () => {
      const t = new Trainer(addition, base, small('repo'));
      await steps(t, 2);
      const snap = await snapshotTrainer(t);
      t.dispose();
      await backend(other(name));
      const there = await restoreTrainer(addition, base, snap); // base's weights live on the first backend: tfjs moves them
      const again = structuredClone(await snapshotTrainer(there));
      there.dispose();
      await backend(name);
      expect(firstDifference(again, snap)).toBeNull();
      expect(again.step).toBe(2);
    });

    it('a snapshot of another model is refused with one clear message', async () => {
      const t = new Trainer(addition, base, small('grpo'));
      const snap = await snapshotTrainer(t);
      t.dispose();
      snap.weights[0][1] = { shape: [1, 2], data: new Float32Array(2) };
      await expect(restoreTrainer(addition, base, snap)).rejects.toThrow(/does not fit this model/);
    });
  });
}
