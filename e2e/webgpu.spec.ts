// WebGPU correctness (one short test: SwiftShader WebGPU is ~20x slower than wasm here).
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, shot } from './helpers';

test.setTimeout(300_000);

test('auto mode passes over WebGPU and WebGL on SwiftShader, probes wasm against cpu, picks wasm and says why', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { batchSize: '1', groupSize: '2', maxNewTokens: '8', evalSize: '10', evalEvery: '0' }, 'wasm');
  await expect(page.getByTestId('backend-why')).toHaveText(/^auto chose wasm: \d+\.\d× faster than cpu here; webgpu skipped, it runs on a (fallback|software) .*swiftshader.*; webgl skipped, it runs on a software renderer \(swiftshader\)$/i);
  const axe = await new AxeBuilder({ page }).include('header').analyze(); // the note is readable on the header
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  expect(errors).toEqual([]);
});

test('loads without console errors on WebGPU when asked, and trains a step on it', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { batchSize: '1', groupSize: '2', maxNewTokens: '8', evalSize: '10', evalEvery: '0', backend: 'webgpu' }, 'webgpu');
  await expect(page.getByTestId('backend-why')).toHaveCount(0); // chosen by hand: nothing skipped
  await expect(page.getByTestId('checkpoint-label')).toContainText('base (shipped)');
  await page.getByTestId('step').click();
  // never silent: the first WebGPU step says it compiles shaders (SwiftShader: it and the step-0 evaluation are slow)
  await expect(page.getByTestId('status-line')).toHaveText(/^compiling shaders \(first WebGPU step\) · step 0 · evaluating problems \d+\/30/, { timeout: 5000 });
  await expect(page.getByTestId('step-counter')).toHaveText('1', { timeout: 240_000 });
  await expect(page.getByTestId('status-line')).toHaveText('paused after 1 step');
  const decision = page.getByTestId('injection-decision');
  await expect(decision).toHaveAttribute('data-decision', /gate-closed|verifier-rejected|injected/);
  await expect(page.getByTestId('rollout')).toHaveCount(2);
  await expect(page.getByTestId('strip-reward')).toHaveText(/^reward \d+(\.\d+)?$/);
  await expect(page.getByTestId('strip-tensors')).toContainText(/^tensors \d+$/);
  await expect(page.getByTestId('strip-gpu-memory')).toHaveText(/^GPU memory \d+ MB$/); // tfjs-webgpu's pool, reported
  await shot(page, 'webgpu');
  expect(errors).toEqual([]);
});
