// Compare mode: two algorithms from the same checkpoint and seed, trained in lockstep.
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, shot, SMALL, stepOnce } from './helpers';

test('compare mode trains RePO and GRPO side by side', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, compare: 'repo,grpo', backend: 'wasm' });
  await expect(page.getByTestId('compare-toggle')).toBeChecked();
  await stepOnce(page);
  await stepOnce(page);
  for (const algo of ['repo', 'grpo']) {
    const strip = page.locator(`[data-testid=run-strip][data-algo=${algo}]`);
    await expect(strip.getByTestId('strip-step')).toContainText('1');
    await expect(strip.getByTestId('strip-reward')).toHaveText(/^reward \d+(\.\d+)?$/);
  }
  await expect(page.getByTestId('live-legend')).toContainText('repo');
  await expect(page.getByTestId('live-legend')).toContainText('grpo');
  await expect(page.locator('[data-testid=ratio-run]')).toHaveCount(2); // histograms side by side
  await expect(page.getByTestId('step-counter')).toHaveText('2');
  // each run has its own inspector tab; GRPO never injects
  await page.getByRole('tab', { name: 'grpo' }).click();
  await expect(page.getByTestId('injection-decision')).toHaveAttribute('data-decision', 'none');
  await page.getByRole('tab', { name: 'repo' }).click();
  await expect(page.getByTestId('injection-decision')).not.toHaveAttribute('data-decision', 'none');
  await shot(page, 'compare');
  expect(errors).toEqual([]);
});
