// Issue 9: a 200-step soak in the real app on wasm (worker, host, store and charts all running):
// the worker's tfjs tensor count (metrics.numTensors, exported per step in the CSV) is flat after warm-up.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, SMALL } from './helpers';

const STEPS = 200;
// Adam's slots arrive with the first update; after that nothing may be kept. Ten steps leave room for a
// first injection or a dropped group arriving late, and are checked against every later step.
const WARMUP = 10;

test.setTimeout(420_000);

test(`${STEPS} steps of RePO on wasm in the app: numTensors flat after ${WARMUP} steps`, async ({ page }) => {
  const errors = collectErrors(page);
  // ρ 0 and the verifier off: every group injects, so rephrasing and the extra P(q,k) rows run each step.
  await openApp(page, { ...SMALL, backend: 'wasm', algo: 'repo', rho: '0', repoVerify: 'false', steps: String(STEPS) });
  const t0 = Date.now();
  await page.getByTestId('play').click();
  await expect(page.getByTestId('status-line')).toHaveText(new RegExp(`stopped at ${STEPS} steps`), { timeout: 400_000 });
  const seconds = (Date.now() - t0) / 1000;
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const [head, ...rows] = (await readFile(await dl.path())).toString().trim().split('\n').map((l) => l.split(','));
  const col = (name: string) => rows.map((r) => Number(r[head.indexOf(name)]));
  const tensors = col('numTensors');
  const injection = col('injectionRate');
  const after = tensors.slice(WARMUP);
  console.log(`app soak: ${STEPS} steps in ${seconds.toFixed(0)} s (${((1000 * seconds) / STEPS).toFixed(0)} ms/step); numTensors ${tensors.slice(0, WARMUP).join(' ')} | then ${[...new Set(after)].join(', ')}`);
  expect(rows).toHaveLength(STEPS);
  expect(col('step')).toEqual(Array.from({ length: STEPS }, (_, i) => i));
  expect(injection.every((x) => x === 1)).toBe(true);
  expect(new Set(after).size).toBe(1);
  expect(after[0]).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
