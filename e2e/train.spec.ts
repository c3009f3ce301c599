// Training on wasm: play moves the counter and the charts; pause stops; → steps once.
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, shot, SMALL, stepCount } from './helpers';

test('play trains at least 3 steps, counters and charts move, pause stops', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, backend: 'wasm' });
  const rewardChart = page.getByTestId('live-chart-reward');
  await expect(page.getByTestId('step-metrics')).toContainText('no step yet');
  await expect(rewardChart).toHaveAttribute('data-points', '0');
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('steps-per-sec')).toHaveText(/\d+\.\d+ steps\/s/);
  await expect(page.getByTestId('strip-reward')).toHaveText(/^reward \d+(\.\d+)?$/);
  await expect.poll(async () => Number(await rewardChart.getAttribute('data-points'))).toBeGreaterThanOrEqual(3);
  const curve = rewardChart.locator('path.recharts-curve').first();
  await expect(curve).toHaveAttribute('d', /^M[\d.,]+(L[\d.,]+){2,}/); // a drawn line through ≥ 3 points
  await page.getByTestId('play').click(); // pause
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'play');
  await page.waitForTimeout(2000); // a step already in flight when pause was pressed still lands
  const paused = await stepCount(page);
  await expect.poll(async () => Number(await rewardChart.getAttribute('data-points'))).toBe(paused);
  const pathBefore = await curve.getAttribute('d');
  await page.waitForTimeout(3000);
  expect(await stepCount(page)).toBe(paused);
  // → steps exactly once while paused
  await page.locator('body').press('ArrowRight');
  await expect(page.getByTestId('step-counter')).toHaveText(String(paused + 1), { timeout: 60_000 });
  await expect.poll(async () => Number(await rewardChart.getAttribute('data-points'))).toBe(paused + 1);
  expect(await curve.getAttribute('d')).not.toBe(pathBefore); // the chart moved with the step
  await shot(page, 'train-wasm');
  expect(errors).toEqual([]);
});
