// "Export to TRL / verl": the dialog shows the panel's settings as TRL and verl snippets, copies and
// downloads them, follows a setting changed in the panel, and closes with Escape.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, shot, SMALL } from './helpers';

test('exports the settings as a TRL GRPOConfig and a verl override', async ({ page, context }) => {
  const errors = collectErrors(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page, { ...SMALL, backend: 'wasm', algo: 'grpo', aggregation: 'seq-mean-token-sum-norm', epsHigh: '0.28' });

  const open = page.getByRole('button', { name: 'Export to TRL / verl' });
  await open.click();
  const dialog = page.getByRole('dialog', { name: 'Export to TRL / verl' });
  await expect(dialog).toBeVisible();
  const trl = dialog.getByTestId('snippet-trl');
  const verl = dialog.getByTestId('snippet-verl');
  await expect(trl).toContainText('training_args = GRPOConfig(');
  await expect(trl).toContainText('num_generations=3,');
  await expect(trl).toContainText('per_device_train_batch_size=6,');
  await expect(trl).toContainText('loss_type="dr_grpo",');
  await expect(trl).toContainText('epsilon_high=0.28,');
  await expect(trl).toContainText("RePO's ρ, δ and rephraser: not used by grpo");
  await expect(verl).toContainText("'n': 3");
  await expect(verl).toContainText('loss_agg_mode: seq-mean-token-sum-norm');
  await expect(verl).toContainText('clip_ratio_high: 0.28');
  await shot(page, 'export-config');

  // copy: the clipboard holds exactly the snippet
  await dialog.getByRole('button', { name: 'Copy TRL' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Copied.' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await trl.textContent());

  // download: the YAML file
  const [dl] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download verl_override.yaml' }).click()]);
  expect(dl.suggestedFilename()).toBe('verl_override.yaml');
  expect((await readFile(await dl.path())).toString()).toBe(await verl.textContent());

  // the page's shortcuts stay behind the modal (→ would step the run); Escape closes it, focus returns
  await trl.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();

  // a setting changed in the panel shows up in the next export
  const g = page.getByTestId('input-groupSize');
  await g.fill('5');
  await g.press('Enter');
  await open.click();
  await expect(dialog.getByTestId('snippet-trl')).toContainText('num_generations=5,');
  await expect(dialog.getByTestId('snippet-verl')).toContainText("'n': 5");
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('step-counter')).toHaveText('0'); // nothing in the dialog stepped the run
  expect(errors).toEqual([]);
});
