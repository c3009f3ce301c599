// Issue 9: same checkpoint, seed, config and backend → identical StepRecords (wall-clock fields aside),
// in Chromium on webgpu (SwiftShader here) and on wasm, on the test page e2e/reliability.html.
// Node covers wasm and cpu for GRPO, RePO and LUFFY (src/core/determinism.test.ts); SwiftShader WebGPU is
// slow, so here one tiny config per algorithm: B 2, G 4, 24 tokens, no step-0 evaluation, and one step on
// webgpu (its two μ updates already carry Adam state and ratios off 1; ~20 s a run here), two on wasm.
import { expect, test } from '@playwright/test';
import { collectErrors } from './helpers';

test.setTimeout(300_000);

type Result = { backend: string; diff: string | null; records: number; coverage: { updates: number; injected: number; offPolicyRows: number; ratiosOffOne: number }; uncaptured: string[]; seconds: number };
type Reliability = { twoRuns(backend: string, over: Record<string, unknown>, steps: number, skipEval: boolean): Promise<Result> };

// Easy problems only, at temperature 1.5, so that 24 tokens fit a 1–2 digit solution and rewards vary within
// a group (else GRPO's advantages are all 0 and its update moves nothing). ρ 0 and the verifier off: RePO
// injects even when 24 tokens cut the rephrasing short. dropZeroStd off: every step runs its μ = 2 updates.
const TINY = { batchSize: 2, groupSize: 4, maxNewTokens: 24, hardShare: 0, temperature: 1.5, rho: 0, repoVerify: false, dropZeroStd: false, evalSize: 10, evalEvery: 0 };
const STEPS = { webgpu: 1, wasm: 2 };

for (const backend of ['webgpu', 'wasm'] as const) {
  test(`two runs on ${backend} give identical StepRecords (grpo, repo, luffy)`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto('/e2e/reliability.html');
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
    for (const algo of ['grpo', 'repo', 'luffy']) {
      const r = await page.evaluate(
        ([b, over, steps]) => (window as unknown as { reliability: Reliability }).reliability.twoRuns(b, over, steps, true),
        [backend, { ...TINY, algo }, STEPS[backend]] as const,
      );
      console.log(`${backend} ${algo}: ${r.diff ?? 'identical'}; ${JSON.stringify(r.coverage)}; ${r.seconds.toFixed(1)} s`);
      expect(r.backend).toBe(backend);
      expect(r.uncaptured).toEqual([]);
      expect(r.diff).toBeNull();
      expect(r.records).toBe(STEPS[backend]);
      expect(r.coverage.updates).toBe(2 * STEPS[backend]);
      expect(r.coverage.ratiosOffOne).toBeGreaterThan(0);
      if (algo !== 'grpo') expect(r.coverage.injected).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
  });
}
