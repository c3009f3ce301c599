// Issue 9: the same checkpoint, seed, config and backend give identical StepRecords (all but the
// wall-clock fields, compared exactly), for GRPO, RePO and LUFFY, on wasm and on cpu.
// wasm: the shipped base checkpoint, so RePO's verifier passes real rephrasings (no forced injections).
// cpu is ~5× slower: the same checkpoint with 24-token responses on easy problems (1–2 digit solutions fit),
// too short for most rephrasings to pass the verifier, so ρ 0 and the verifier off force RePO's injections; no step-0 evaluation (wasm covers it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileHandler } from '../cli/fsio';
import { backend } from '../test/setup';
import { firstDifference, timeless, twoRuns } from '../test/determinism';
import { loadModel } from './checkpoint';
import { defaultConfig, type Algo, type Config } from './config';
import type { GPT } from './model';
import type { StepRecord } from './record';
import type { Task } from './tasks/task';

const STEPS = 3;
// ρ 0.25: one failure in G = 4 opens the gate, so RePO and LUFFY inject within three steps.
// dropZeroStd off: all-equal groups still update, so every step runs μ = 2 updates. Temperature 1.5: the base
// solves easy problems and fails hard ones nearly always at 1, so GRPO's groups would all be equal, its
// advantages 0 and its updates no-ops (the coverage check below caught that).
const small = (algo: Algo): Config => ({ ...defaultConfig(), algo, batchSize: 2, groupSize: 4, temperature: 1.5, rho: 0.25, dropZeroStd: false, luffyOnlyWhenFailing: false, evalEvery: 0, evalSize: 10 });
const SETUPS = {
  wasm: { start: async () => loadModel(fileHandler('public/checkpoints/base')), config: small, skipEval: false },
  cpu: { start: async () => loadModel(fileHandler('public/checkpoints/base')), config: (algo: Algo): Config => ({ ...small(algo), hardShare: 0, rho: 0, repoVerify: false, maxNewTokens: 24 }), skipEval: true },
};

for (const name of ['wasm', 'cpu'] as const) {
  describe(`determinism on ${name}`, () => {
    let start: GPT;
    let task: Task;
    beforeAll(async () => {
      await backend(name);
      ({ model: start, task } = await SETUPS[name].start());
    });
    afterAll(async () => {
      start.dispose();
      await backend('wasm');
    });

    for (const algo of ['grpo', 'repo', 'luffy'] as const) {
      it(`${algo}: two runs give identical StepRecords`, async () => {
        const r = await twoRuns(task, start, SETUPS[name].config(algo), STEPS, SETUPS[name].skipEval);
        expect(r.backend).toBe(name);
        expect(r.diff).toBeNull();
        // The comparison covered real work: every step updated twice, ratios moved in the second update,
        // and the off-policy paths ran.
        expect(r.records).toBe(STEPS);
        expect(r.coverage.updates).toBe(2 * STEPS);
        expect(r.coverage.ratiosOffOne).toBeGreaterThan(0);
        if (algo === 'grpo') expect(r.coverage.offPolicyRows).toBe(0);
        else expect(r.coverage.injected).toBeGreaterThan(0);
        if (algo === 'luffy') expect(r.coverage.offPolicyRows).toBe(STEPS * 2); // one expert row per group
      }, 300_000); // two cores shared with other jobs
    }
  });
}

describe('the record comparison', () => {
  const rec = { step: 0, metrics: { loss: 0.5, stepMs: 12, genMs: 1, scoreMs: 2, updateMs: 3, genTokensPerSec: 9, numTensors: 5 }, groups: [{ ratio: [1, NaN] }] } as unknown as StepRecord;
  it('ignores only the wall-clock fields', () => {
    const other = { ...rec, metrics: { ...rec.metrics, stepMs: 99, genMs: 7, scoreMs: 8, updateMs: 9, genTokensPerSec: 1 } };
    expect(firstDifference(timeless(rec), timeless(other))).toBeNull();
    expect(firstDifference(timeless(rec), timeless({ ...rec, metrics: { ...rec.metrics, numTensors: 6 } }))).toBe('$.metrics.numTensors: 5 vs 6');
  });
  it('finds a difference in the last bit, a sign of zero, and a missing key', () => {
    const g = (ratio: number[]) => ({ ...rec, groups: [{ ratio }] });
    expect(firstDifference(g([1, NaN]), g([1, NaN]))).toBeNull();
    expect(firstDifference(g([1, 0.1]), g([1, 0.1 + 2 ** -56]))).toBe(`$.groups[0].ratio[1]: 0.1 vs ${0.1 + 2 ** -56}`);
    expect(firstDifference(g([0]), g([-0]))).toBe('$.groups[0].ratio[0]: 0 vs 0');
    expect(firstDifference({ a: 1 }, { a: 1, b: undefined })).toMatch(/^\$\.b: present in only one/);
  });
});
