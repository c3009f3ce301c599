// Loading a CLI run (npm run train -- --out run.jsonl) next to a live run: charts overlay it, the strip,
// inspector and ratio panel select it; a truncated copy is one error and loads nothing.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, shot, SMALL, stepOnce } from './helpers';

// A real run: npx tsx src/cli/train.ts --steps 3 --batchSize 2 --groupSize 2 --maxNewTokens 16 --evalSize 10 --evalEvery 2 --out e2e/fixtures/run-repo.jsonl
const fixture = readFileSync(new URL('./fixtures/run-repo.jsonl', import.meta.url), 'utf8');

test('a dropped CLI run is overlaid on the charts and inspectable; a truncated one is one error', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, algo: 'grpo', backend: 'wasm' });
  await stepOnce(page);
  const reward = page.getByTestId('live-chart-reward');
  await expect(reward).toHaveAttribute('data-lines', '1');

  // drag and drop onto the page
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], 'run-repo.jsonl', { type: 'application/json' }));
    return d;
  }, fixture);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: dt });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  const label = 'run-repo.jsonl · repo';
  await expect(page.getByTestId('loaded-run')).toHaveText(new RegExp(label));
  await expect(page.getByTestId('notice').filter({ hasText: 'loaded run-repo.jsonl' })).toContainText('3 steps');

  // charts: both runs overlaid (the loaded run has 3 steps, the live one 1)
  await expect(page.getByTestId('live-legend')).toContainText(label);
  await expect(reward).toHaveAttribute('data-lines', '2');
  await expect(reward).toHaveAttribute('data-points', '3');
  await expect(page.getByTestId('live-chart-eval')).toHaveAttribute('data-lines', /^[1-9]\d*$/);
  await expect(page.locator(`[data-testid=run-strip][data-loaded="${label}"]`)).toContainText('2');
  await expect(page.locator('[data-testid=ratio-run]')).toHaveCount(2);

  // inspector: its own tab, its last step, its groups
  await page.getByRole('tab', { name: label }).click();
  await expect(page.getByTestId('inspected-step')).toContainText('step 2');
  await expect(page.getByTestId('group-position')).toContainText('of 2');
  await expect(page.getByTestId('rollout')).toHaveCount(2);
  await page.getByTestId('prev-step').click();
  await expect(page.getByTestId('inspected-step')).toContainText('step 1');

  // live training goes on beside it and never touches it
  await page.getByRole('tab', { name: 'grpo' }).click();
  await stepOnce(page);
  await expect(reward).toHaveAttribute('data-lines', '2');
  await expect(page.getByTestId('step-counter')).toHaveText('2');
  await shot(page, 'load-run');

  // a truncated copy through the file button (keyboard path): one clear error, nothing loaded
  const cut = fixture.slice(0, fixture.indexOf('\n', fixture.indexOf('\n') + 1) + 300);
  await page.getByTestId('load-run-input').setInputFiles({ name: 'run-cut.jsonl', mimeType: 'application/json', buffer: Buffer.from(cut) });
  await expect(page.getByTestId('error')).toHaveText(/run-cut\.jsonl is truncated at line 3/);
  await expect(page.getByTestId('error')).toHaveCount(1);
  await expect(page.getByTestId('loaded-run')).toHaveCount(1);

  // removing the loaded run takes it off the charts
  await page.getByRole('button', { name: `remove ${label}` }).click();
  await expect(reward).toHaveAttribute('data-lines', '1');
  expect(errors).toEqual([]);
});
