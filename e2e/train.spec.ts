// Training on wasm: play moves the counter and the charts; pause stops; → steps once.
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, shot, SMALL, stepCount } from './helpers';

test('play trains at least 3 steps, counters and charts move, pause stops', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, backend: 'wasm' });
  const rewardChart = page.getByTestId('live-chart-reward');
  await expect(page.getByTestId('step-metrics')).toContainText('no step yet');
  await expect(rewardChart).toHaveAttribute('data-points', '0');
  await expect(page.getByTestId('status-line')).toHaveText(/ready/);
  await page.getByTestId('play').click();
  // never silent: within a second the status line says what the worker does (the step-0 evaluation first)
  await expect(page.getByTestId('status-line')).toHaveText(/^step \d+ · (evaluating problems \d+\/30|generating rollouts|scoring|updating)/, { timeout: 1000 });
  await expect.poll(() => stepCount(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('steps-per-sec')).toHaveText(/\d+\.\d+ steps\/s/);
  await expect(page.getByTestId('strip-reward')).toHaveText(/^reward \d+(\.\d+)?$/);
  await expect.poll(async () => Number(await rewardChart.getAttribute('data-points'))).toBeGreaterThanOrEqual(3);
  await expect(rewardChart.locator('canvas').first()).toBeVisible(); // uPlot draws on a canvas
  await expect(rewardChart).toHaveAttribute('data-lines', '1');
  await page.getByTestId('play').click(); // pause
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'play');
  await page.waitForTimeout(2000); // a step already in flight when pause was pressed still lands
  const paused = await stepCount(page);
  await expect.poll(async () => Number(await rewardChart.getAttribute('data-points'))).toBe(paused);
  const drawsBefore = Number(await rewardChart.getAttribute('data-draws'));
  await page.waitForTimeout(3000);
  expect(await stepCount(page)).toBe(paused);
  // → steps exactly once while paused
  await page.locator('body').press('ArrowRight');
  await expect(page.getByTestId('step-counter')).toHaveText(String(paused + 1), { timeout: 60_000 });
  await expect.poll(async () => Number(await rewardChart.getAttribute('data-points'))).toBe(paused + 1);
  expect(Number(await rewardChart.getAttribute('data-draws'))).toBeGreaterThan(drawsBefore); // the canvas redrew with the step
  await expect(page.getByTestId('status-line')).toHaveText(/paused after \d+ steps/);
  await shot(page, 'train-wasm');
  expect(errors).toEqual([]);
});
