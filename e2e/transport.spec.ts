// Transport and settings: reset replays the same seed, re-seed changes it, a reset-needing key waits
// for "Apply & reset", and the backend selector switches the worker's backend.
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, SMALL, stepOnce } from './helpers';

test('reset replays the same problems, re-seed changes them; non-live keys wait for a reset', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, backend: 'wasm' });
  const question = page.getByTestId('group-question');
  await stepOnce(page);
  const first = await question.textContent();
  await stepOnce(page);
  await page.locator('body').press('r');
  await expect(page.getByTestId('step-counter')).toHaveText('0');
  await stepOnce(page);
  await expect(question).toHaveText(first!); // same checkpoint, same seed → same first problem

  const seed = new URL(page.url()).searchParams.get('seed');
  await page.getByRole('button', { name: 'new seed' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('seed')).not.toBe(seed);
  await expect(page.getByTestId('step-counter')).toHaveText('0');
  await stepOnce(page);
  await expect(question).not.toHaveText(first!);

  // algo needs a reset: nothing changes until "Apply & reset"
  await page.getByTestId('input-algo').selectOption('grpo');
  await expect(page.getByTestId('pending-reset')).toContainText('algo');
  await stepOnce(page);
  await expect(page.getByTestId('injection-decision')).not.toHaveAttribute('data-decision', 'none'); // still RePO
  await page.getByTestId('pending-reset').getByRole('button', { name: /Apply/ }).click();
  await expect(page.getByTestId('step-counter')).toHaveText('0');
  await stepOnce(page);
  await expect(page.getByTestId('injection-decision')).toHaveAttribute('data-decision', 'none'); // GRPO never injects
  expect(errors).toEqual([]);
});

test('the backend selector switches the worker to another backend', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, backend: 'wasm' });
  await page.getByLabel('backend', { exact: true }).selectOption('cpu');
  await expect(page.getByTestId('backend-badge')).toHaveText('cpu');
  await expect(page.getByTestId('notice').filter({ hasText: 'now training on cpu' })).toBeVisible();
  await stepOnce(page);
  await expect.poll(() => new URL(page.url()).searchParams.get('backend')).toBe('cpu');
  expect(errors).toEqual([]);
});
