// ρ × δ ablation: a 2×2 sweep runs in the worker with progress, and a started sweep can be cancelled.
import { expect, test } from '@playwright/test';
import { openApp, shot, SMALL } from './helpers';

test('a 2×2 ablation fills the grid; a second sweep can be cancelled', async ({ page }) => {
  await openApp(page, { ...SMALL, backend: 'wasm' });
  await page.getByLabel('grid size').fill('2');
  await page.getByLabel('steps per cell').fill('1');
  await page.getByLabel('eval problems').fill('5');
  await page.getByTestId('ablation-start').click();
  await expect(page.getByTestId('ablation-status')).toContainText('4/4', { timeout: 150_000 });
  await expect(page.getByTestId('ablation-start')).toBeVisible();
  const cells = page.getByTestId('ablation-heatmap-hardAcc').getByTestId('ablation-cell');
  await expect(cells).toHaveCount(4);
  for (const c of await cells.all()) {
    const v = await c.getAttribute('data-value');
    expect(v).toMatch(/^\d/); // a measured accuracy, not an empty cell
    expect(Number(v)).toBeLessThanOrEqual(1);
  }
  await shot(page, 'ablation');
  await page.getByLabel('steps per cell').fill('20');
  await page.getByTestId('ablation-start').click();
  await page.getByTestId('ablation-cancel').click();
  await expect(page.getByTestId('ablation-status')).toContainText('(cancelled)', { timeout: 120_000 });
  await expect(page.getByTestId('ablation-status')).not.toContainText('4/4');
});
