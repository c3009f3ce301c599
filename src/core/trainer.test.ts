import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeless } from '../test/determinism';
import { backend, tinyModel } from '../test/setup';
import { ALGOS, defaultConfig, type Config } from './config';
import type { GPT } from './model';
import type { StepRecord } from './record';
import { addition } from './tasks/addition';
import { Trainer } from './trainer';

const small = (over: Partial<Config> = {}): Config => ({ ...defaultConfig(), batchSize: 3, groupSize: 4, maxNewTokens: 16, evalSize: 10, evalEvery: 2, ...over });

describe('trainer on wasm', () => {
  let base: GPT;
  beforeAll(async () => {
    await backend('wasm');
    base = tinyModel(21);
  });
  afterAll(() => base.dispose());

  it('progress callbacks report the eval and each phase and change nothing the step computes', async () => {
    const cfg = small({ algo: 'repo', evalEvery: 1 });
    const seen: string[] = [];
    const a = new Trainer(addition, base, cfg);
    const b = new Trainer(addition, base, cfg);
    for (let i = 0; i < 2; i++) {
      const ra = await a.trainStep();
      const rb = await b.trainStep({ onProgress: (p) => seen.push(p.phase === 'evaluating' ? `eval ${p.done}/${p.total}` : p.phase) });
      expect(timeless(rb)).toEqual(timeless(ra));
    }
    a.dispose();
    b.dispose();
    // evalSize 10: hard, easy, hard reading k = 30 problems, one batch each
    const one = ['eval 0/30', 'eval 10/30', 'eval 10/30', 'eval 20/30', 'eval 20/30', 'eval 30/30', 'generating', 'scoring', 'updating'];
    expect(seen).toEqual([...one, ...one]);
  });

  for (const algo of ALGOS) {
    it(`${algo}: a 3-step run emits well-formed StepRecords`, async () => {
      // ρ = 0 and verify off make RePO inject in every group even from a random policy.
      const t = new Trainer(addition, base, small({ algo, rho: 0, repoVerify: false, dropZeroStd: false }));
      const recs: StepRecord[] = [];
      for (let i = 0; i < 3; i++) recs.push(await t.trainStep());
      t.dispose();
      expect(recs.map((r) => r.step)).toEqual([0, 1, 2]);
      // every record carries what was in force, and the decisions agree with the recorded method
      expect(recs[0].settings.config).toMatchObject({ algo, rho: 0, repoVerify: false });
      expect(recs[0].settings.method.gate === null).toBe(algo !== 'repo');
      if (recs[0].settings.method.injects === null) expect(recs[0].groups.every((x) => x.decision === 'none')).toBe(true);
      expect(recs[0].metrics.evalEasy).toBeTypeOf('number');
      expect(recs[1].metrics.evalEasy).toBeUndefined();
      expect(recs[2].metrics.evalHard).toBeTypeOf('number');
      for (const r of recs) {
        expect(r.groups).toHaveLength(3);
        for (const g of r.groups) expect(g.rollouts).toHaveLength(4);
        expect(Number.isFinite(r.metrics.loss)).toBe(true);
      }
      const g = recs[0].groups[0];
      if (algo === 'repo') {
        expect(g.decision).toBe('injected');
        expect(g.rollouts[g.replacedIndex!].source).toBe('rephrase');
        // what was displaced is kept, and it had the lowest reward of the on-policy rollouts
        const others = g.rollouts.filter((_, i) => i !== g.replacedIndex).map((x) => x.reward);
        expect(g.replaced!.reward).toBeLessThanOrEqual(Math.min(...others));
        expect(g.rollouts[g.replacedIndex!].behaviourLogRatio).toHaveLength(g.rollouts[g.replacedIndex!].tokens.length);
        expect(recs[0].metrics.ratio.rephrase.count).toBeGreaterThan(0);
      }
      if (algo === 'luffy') {
        expect(g.rollouts[3].source).toBe('expert');
        expect(g.rollouts[3].text).toBe(g.expert);
        // the loss ratio of an expert token is π_θ/1 ≤ 1
        expect(recs[0].metrics.ratio.expert.max).toBeLessThanOrEqual(1);
        const expertTokens = recs[0].groups.reduce((n, x) => n + x.rollouts[3].tokens.length, 0);
        expect(recs[0].metrics.ratio.expert.count).toBe(expertTokens);
        // The expert's reward 1 among failures gives non-zero advantages, so the first update moves the
        // weights and the second (μ = 2) sees ratios off 1.
        const ratios = recs[0].groups.flatMap((x) => x.rollouts.flatMap((ro) => (ro.source === 'policy' ? ro.ratio : [])));
        expect(ratios.some((v) => Math.abs(v - 1) > 1e-4)).toBe(true);
      }
      if (algo === 'grpo') {
        expect(r0Sources(recs[0])).toEqual(['policy']);
        expect(g.replaced).toBeNull();
      }
      if (algo !== 'sft') {
        // Every token of an in-loss row has a recorded ratio.
        for (const x of recs[0].groups) for (const ro of x.rollouts) expect(ro.ratio).toHaveLength(ro.tokens.length);
      }
    });
  }

  it('tensor count does not grow across steps', async () => {
    const t = new Trainer(addition, base, small({ algo: 'repo', rho: 0, repoVerify: false, evalEvery: 0 }));
    await t.trainStep(); // Adam creates its slots here
    await t.trainStep();
    const after2 = tf.memory().numTensors;
    let last;
    for (let i = 0; i < 4; i++) last = await t.trainStep();
    expect(tf.memory().numTensors).toBe(after2);
    expect(last!.metrics.numTensors).toBe(after2);
    expect(last!.metrics).not.toHaveProperty('gpuMemoryBytes'); // a CPU backend holds no GPU memory
    t.dispose();
  });

  it('reset returns to the start weights and replays the same steps', async () => {
    const t = new Trainer(addition, base, small({ algo: 'grpo', evalEvery: 0, dropZeroStd: false }));
    const a = [await t.trainStep(), await t.trainStep()];
    t.reset();
    const b = [await t.trainStep(), await t.trainStep()];
    expect(b.map(timeless)).toEqual(a.map(timeless));
    t.dispose();
  });
});

function r0Sources(r: StepRecord): string[] {
  return [...new Set(r.groups.flatMap((g) => g.rollouts.map((x) => x.source)))];
}

describe('determinism on cpu', () => {
  it('the same seed gives identical StepRecords', async () => {
    await backend('cpu');
    const base = tinyModel(5);
    const run = async () => {
      const t = new Trainer(addition, base, small({ algo: 'repo', rho: 0.25, repoVerify: false, evalEvery: 0 }));
      const out = [await t.trainStep(), await t.trainStep(), await t.trainStep()];
      t.dispose();
      return out.map(timeless);
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
    const other = new Trainer(addition, base, small({ algo: 'repo', seed: 2, rho: 0.25, repoVerify: false, evalEvery: 0 }));
    const c = timeless(await other.trainStep());
    other.dispose();
    expect(c.groups[0].question === a[0].groups[0].question && c.groups[1].question === a[0].groups[1].question).toBe(false);
    base.dispose();
    await backend('wasm');
  });
});
