// Story presets: URL-addressable, shown with their text and the panel to watch, and they really train.
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, SMALL, stepOnce } from './helpers';

test('?preset=own-words compares RePO with GRPO, tells the story and points at the charts', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { preset: 'own-words', ...SMALL, backend: 'wasm' });
  const story = page.getByTestId('story');
  await expect(story).toHaveAttribute('data-preset', 'own-words');
  await expect(story.getByRole('heading')).toHaveText('RePO unlocks it in its own words');
  await expect(page.getByTestId('compare-toggle')).toBeChecked();
  await stepOnce(page);
  for (const algo of ['repo', 'grpo']) await expect(page.locator(`[data-testid=run-strip][data-algo=${algo}]`)).toBeVisible();
  await page.getByTestId('story-watch').click();
  await expect(page.locator('[data-panel="charts"]')).toHaveClass(/panel-watch/);
  expect(new URL(page.url()).searchParams.get('preset')).toBe('own-words'); // still shareable after the URL sync
  expect(errors).toEqual([]);
});

test('the story list links every preset; an unknown preset is a notice', async ({ page }) => {
  await openApp(page, { preset: 'magic', ...SMALL, backend: 'wasm' });
  await expect(page.getByTestId('warning').filter({ hasText: 'preset=magic is not one of' })).toBeVisible();
  await expect(page.getByTestId('story')).toHaveCount(0);
  await expect(page.locator('[data-testid^=preset-]')).toHaveCount(5);
  await page.getByTestId('preset-rho-delta').click();
  await expect(page.getByTestId('story')).toHaveAttribute('data-preset', 'rho-delta', { timeout: 90_000 });
  expect(new URL(page.url()).searchParams.get('delta')).toBe('0.25');
  expect(new URL(page.url()).searchParams.get('backend')).toBe('wasm'); // the link keeps the backend
});
