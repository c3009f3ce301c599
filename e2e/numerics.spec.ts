// WebGPU numerics (docs/DESIGN.md §8.9): one clipped update on webgpu equals wasm's, from the same model
// and batch, on the test page e2e/numerics.html; and an over-wide kernel is reported, not dropped.
import { expect, test } from '@playwright/test';
import { collectErrors } from './helpers';

test.setTimeout(240_000);

type Numerics = {
  update(b: string): Promise<{ backend: string; loss: number; gradNorm: number; skipped: boolean; numWeights: number; weights: number[]; delta: number[]; uncaptured: string[] }>;
  compare(a: unknown, b: unknown): { loss: number; gradNorm: number; weights: number; delta: number };
  wideKernel(): Promise<{ ok7: number; scoped: string; uncaptured: string[] }>;
};

test('one update on webgpu gives wasm\'s loss, grad norm and weights (≤ 1e-4 relative); a 12-input kernel is an error', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/e2e/numerics.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  const r = await page.evaluate(async () => {
    const n = (window as unknown as { numerics: Numerics }).numerics;
    const wasm = await n.update('wasm');
    const gpu = await n.update('webgpu');
    const d = n.compare(gpu, wasm);
    const wide = await n.wideKernel();
    return { wasm: { loss: wasm.loss, gradNorm: wasm.gradNorm }, gpu: { backend: gpu.backend, loss: gpu.loss, gradNorm: gpu.gradNorm, skipped: gpu.skipped, numWeights: gpu.numWeights, uncaptured: gpu.uncaptured }, d, wide };
  });
  console.log(`webgpu vs wasm: loss ${r.gpu.loss} vs ${r.wasm.loss}, grad norm ${r.gpu.gradNorm} vs ${r.wasm.gradNorm}; relative ${JSON.stringify(r.d)}`);
  console.log(`12-input AddN: scoped → ${r.wide.scoped}; uncaptured → ${r.wide.uncaptured[0]}`);
  expect(r.gpu.backend).toBe('webgpu');
  expect(r.gpu.numWeights).toBeGreaterThan(7);
  expect(r.gpu.skipped).toBe(false);
  expect(r.gpu.uncaptured).toEqual([]);
  expect(r.d.loss).toBeLessThanOrEqual(1e-4);
  expect(r.d.gradNorm).toBeLessThanOrEqual(1e-4);
  expect(r.d.weights).toBeLessThanOrEqual(1e-4);
  expect(r.d.delta).toBeLessThanOrEqual(1e-2); // Adam magnifies float32 noise in near-zero gradient entries
  expect(r.wide.ok7).toBe(28);
  expect(r.wide.scoped).toMatch(/^WebGPUError: WebGPU validation error: /);
  expect(r.wide.uncaptured[0]).toMatch(/^WebGPU validation error: /);
  expect(errors.filter((e) => !/AddNPackedProgram|Invalid|WebGPU/i.test(e))).toEqual([]); // the forced error may be logged
});

test('wasm in Chromium runs our SIMD matmuls (asm/) with tfjs-wasm\'s exact bits', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/e2e/numerics.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  const r = await page.evaluate(() => (window as unknown as { numerics: { wasmSimd(): Promise<{ batchMatMul: number; simdMatMul: number; sameBits: boolean; loss: number }> } }).numerics.wasmSimd());
  console.log(`wasm SIMD in Chromium: ${JSON.stringify(r)}`);
  expect(r.batchMatMul).toBeGreaterThan(0); // attention's batched products
  expect(r.simdMatMul).toBeGreaterThan(0); // the gradients' transposed products
  expect(r.sameBits).toBe(true);
  expect(Number.isFinite(r.loss)).toBe(true);
  expect(errors).toEqual([]);
});
