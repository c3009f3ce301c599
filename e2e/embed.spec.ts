// ?embed=inspector,ratios: only the named panels, under a compact transport that can still train; unknown
// names give a notice. The tour never opens by itself in an embed.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, shot, SMALL, stepOnce } from './helpers';

test('embed shows only the named panels and can still train', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, backend: 'wasm', embed: 'inspector,ratios', tour: '' });
  await expect(page.getByTestId('group-inspector')).toBeVisible();
  await expect(page.getByTestId('ratio-panel')).toBeVisible();
  for (const hidden of ['compare-toggle', 'input-rho', 'tour-button']) await expect(page.getByTestId(hidden)).toBeHidden();
  // the title stays for screen readers (one h1 per page) but takes no room
  expect((await page.getByRole('heading', { name: 'RePO Playground' }).boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
  await expect(page.locator('[data-panel]')).toHaveCount(2);
  expect(await page.locator('[data-panel]').evaluateAll((els) => els.map((e) => e.getAttribute('data-panel')))).toEqual(['inspector', 'ratios']);
  await expect(page.locator('.driver-popover')).toHaveCount(0);
  // the compact transport trains
  await stepOnce(page);
  await expect(page.getByTestId('gamma-fail')).toBeVisible();
  await expect(page.getByTestId('ratio-run').first()).not.toContainText('no step yet');
  // the address bar keeps the embed (a shareable slide link)
  expect(new URL(page.url()).searchParams.get('embed')).toBe('inspector,ratios');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await shot(page, 'embed-inspector-ratios');
  expect(errors).toEqual([]);
});

test('embed with unknown names shows a notice; header brings back the full header', async ({ page }) => {
  await openApp(page, { ...SMALL, backend: 'wasm', embed: 'header,inspector,slides' });
  await expect(page.getByTestId('warning').filter({ hasText: 'unknown panel "slides"' })).toBeVisible();
  await expect(page.getByTestId('group-inspector')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'RePO Playground' })).toBeVisible();
  await expect(page.locator('[data-panel]')).toHaveCount(1);
});
