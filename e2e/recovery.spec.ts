// Reliability (issue 9 item 6): a lost WebGPU device and a crashed worker. Either way the page says what
// happened and training goes on from the last completed step, with the history kept. The test-only hooks
// (window.__e2e: lose the device, crash the worker) exist only when window.__E2E__ is set before load.
import { expect, test, type Page } from '@playwright/test';
import { openApp, shot, SMALL } from './helpers';

test.setTimeout(480_000);

interface Hooks {
  __e2e: { loseDevice(): void; crash(): void; history(): { id: string; algo: string; steps: number[] }[]; snapshotTimes(): number[] };
}
const hooks = (page: Page) => page.evaluate(() => ({ history: (window as unknown as Hooks).__e2e.history(), ms: (window as unknown as Hooks).__e2e.snapshotTimes() }));

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => Object.assign(window, { __E2E__: true }));
});

test('a crashed worker is restarted and resumes from the last completed step, history kept', async ({ page }) => {
  await openApp(page, { ...SMALL, steps: '12', backend: 'wasm' });
  const counter = page.getByTestId('step-counter');
  await page.getByTestId('play').click();
  await expect(counter).toHaveText(/^([2-9]|1[01])$/, { timeout: 120_000 });
  await page.evaluate(() => (window as unknown as Hooks).__e2e.crash()); // mid-run: a step is in flight
  const said = page.getByTestId('error').filter({ hasText: /the training worker crashed \(.*crashed on purpose.*\); restarted it, resuming from step \d+/ });
  await expect(said).toBeVisible();
  const from = Number((await said.textContent())!.match(/resuming from step (\d+)/)![1]);
  expect(from).toBeGreaterThanOrEqual(2);
  // it was playing, so it plays on to the `steps` budget on the new worker
  await expect(counter).toHaveText('12', { timeout: 180_000 });
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'play');
  const { history } = await hooks(page);
  expect(history).toEqual([{ id: 'run-1', algo: 'repo', steps: Array.from({ length: 12 }, (_, i) => i) }]); // one run, same id, no gap, no repeat
  await shot(page, 'recovery-crash');
});

test('a lost WebGPU device: the page says so, goes on on wasm from the next step, history kept', async ({ page }) => {
  await openApp(page, { batchSize: '1', groupSize: '2', maxNewTokens: '8', evalSize: '10', evalEvery: '0', steps: '4', backend: 'webgpu' }, 'webgpu');
  const counter = page.getByTestId('step-counter');
  await page.getByTestId('play').click();
  await expect(counter).toHaveText('1', { timeout: 300_000 }); // SwiftShader: shaders and the step-0 evaluation are slow
  await page.evaluate(() => (window as unknown as Hooks).__e2e.loseDevice()); // step 1 is in flight on the GPU
  const said = page.getByTestId('warning').filter({ hasText: /WebGPU device lost \(destroyed.*\); continuing on wasm from step [12]/ });
  await expect(said).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('backend-badge')).toHaveText('wasm');
  await expect(counter).toHaveText('4', { timeout: 120_000 });
  const { history, ms } = await hooks(page);
  expect(history).toEqual([{ id: 'run-1', algo: 'repo', steps: [0, 1, 2, 3] }]);
  console.log(`snapshot ms per step (webgpu on SwiftShader, then wasm): ${ms.map((x) => x.toFixed(1)).join(', ')}`);
  await shot(page, 'recovery-device-lost');
});
