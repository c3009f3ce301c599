// ρ × δ ablation: the default 3×2 sweep runs in the worker with progress and cancel; a grid file from
// `npm run ablate` opens into the same heatmaps; a foreign or truncated file is one clear message.
import { expect, test } from '@playwright/test';
import { ablationCellsFile, type CellRun } from '../src/core/ablationFile';
import { openApp, shot, SMALL } from './helpers';

test('the 3×2 sweep fills the grid; a second sweep can be cancelled', async ({ page }) => {
  await openApp(page, { ...SMALL, backend: 'wasm' });
  await expect(page.getByTestId('ablation-estimate')).toContainText('train a step first');
  await page.getByLabel('steps/cell').fill('1');
  await page.getByLabel('eval problems').fill('5');
  await page.getByTestId('ablation-start').click();
  await expect(page.getByTestId('ablation-status')).toContainText('6/6', { timeout: 240_000 });
  await expect(page.getByTestId('ablation-start')).toBeVisible();
  const cells = page.getByTestId('ablation-heatmap-hardAcc').getByTestId('ablation-cell');
  await expect(cells).toHaveCount(6);
  for (const c of await cells.all()) {
    const v = await c.getAttribute('data-value');
    expect(v).toMatch(/^\d/); // a measured accuracy, not an empty cell
    expect(Number(v)).toBeLessThanOrEqual(1);
  }
  await shot(page, 'ablation');
  await page.getByLabel('steps/cell').fill('20');
  await page.getByTestId('ablation-start').click();
  await page.getByTestId('ablation-cancel').click();
  await expect(page.getByTestId('ablation-status')).toContainText('(cancelled)', { timeout: 120_000 });
  await expect(page.getByTestId('ablation-status')).not.toContainText('6/6');
});

test('a grid file from npm run ablate is drawn; a truncated one is refused with one message', async ({ page }) => {
  await openApp(page, { ...SMALL, backend: 'wasm' });
  const run = (rho: number, delta: number, seed: number, injectionRate: number): CellRun => ({ rho, delta, seed, hardAcc: 0.1 * seed + rho / 10, easyAcc: 0.97, injectionRate, rewardMean: 0.5 });
  const meta = { algo: 'repo' as const, config: {}, checkpoint: 'public/checkpoints/base', rhos: [0.5, 1], deltas: [0.25, 0.5], seeds: [1, 2], stepsPerCell: 60, evalSize: 100, base: { easy: 1, hard: 0 }, seconds: 10 };
  const runs = meta.rhos.flatMap((r) => meta.deltas.flatMap((d) => meta.seeds.map((s) => run(r, d, s, 0.4 - r / 4))));
  const text = JSON.stringify(ablationCellsFile(meta, runs));
  await page.getByTestId('ablation-file').setInputFiles({ name: 'grid.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('ablation-source')).toContainText('grid.json: repo, 60 steps per cell, mean of 2 seeds');
  const cell = page.getByTestId('ablation-heatmap-hardAcc').locator('[data-rho="1"][data-delta="0.25"]');
  await expect(cell).toHaveAttribute('data-value', /^0\.25(0000)?/); // mean over seeds 1 (0.2) and 2 (0.3)
  await expect(page.getByTestId('ablation-heatmap-injectionRate').getByTestId('ablation-cell')).toHaveCount(4);
  await page.getByTestId('ablation-file').setInputFiles({ name: 'cut.json', mimeType: 'application/json', buffer: Buffer.from(text.slice(0, 40)) });
  await expect(page.getByRole('alert').filter({ hasText: 'cut.json: not a ρ × δ grid file' })).toBeVisible();
  await expect(page.getByTestId('ablation-source')).toContainText('grid.json'); // the loaded grid stays
});
