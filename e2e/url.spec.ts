// A malformed URL is clamped / defaulted with a visible notice, never a blank page.
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, shot } from './helpers';

test('malformed and out-of-range URL parameters show notices and are fixed', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { rho: '7', groupSize: 'abc', algo: 'ppo', bogus: '1', batchSize: '2', evalSize: '10', backend: 'wasm' });
  const warnings = page.getByTestId('warning');
  await expect(warnings.filter({ hasText: 'rho=7' })).toContainText('using 1');
  await expect(warnings.filter({ hasText: 'groupSize=abc' })).toContainText('using the default 8');
  await expect(warnings.filter({ hasText: 'algo=ppo' })).toBeVisible();
  await expect(warnings.filter({ hasText: 'unknown parameter "bogus"' })).toBeVisible();
  await expect(page.getByTestId('input-rho')).toHaveValue('1');
  await expect(page.getByTestId('input-groupSize')).toHaveValue('8');
  // the address bar now holds the corrected, complete config
  await expect.poll(() => new URL(page.url()).searchParams.get('rho')).toBe('1');
  expect(new URL(page.url()).searchParams.get('bogus')).toBeNull();
  await shot(page, 'url-notices');
  expect(errors).toEqual([]);
});
