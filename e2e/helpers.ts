// Shared e2e helpers: open the app with URL params, collect console errors, read the counters.
import { expect, type Page } from '@playwright/test';

/** Small, fast settings for flows on wasm (SwiftShader WebGPU is ~20x slower here). */
export const SMALL = { batchSize: '2', groupSize: '3', maxNewTokens: '24', evalSize: '10', evalEvery: '0' };

export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Opens the app with `params` and waits for the worker. The guided tour stays shut (`tour=0`, so its
 *  overlay never covers a button) unless `params` says otherwise; `tour: ''` leaves the parameter out. */
export async function openApp(page: Page, params: Record<string, string>, expectBackend = params.backend): Promise<void> {
  const all = Object.entries({ tour: '0', ...params }).filter(([k, v]) => !(k === 'tour' && v === ''));
  await page.goto(`/?${new URLSearchParams(all).toString()}`);
  const badge = page.getByTestId('backend-badge');
  if (expectBackend) await expect(badge).toHaveText(expectBackend, { timeout: 90_000 });
  else await expect(badge).not.toHaveText('starting…', { timeout: 90_000 });
  await expect(page.getByTestId('play')).toBeEnabled();
}

export async function stepCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('step-counter').textContent());
}

/** One single step through the UI, waiting until the counter moves. */
export async function stepOnce(page: Page, timeout = 120_000): Promise<void> {
  const before = await stepCount(page);
  await page.getByTestId('step').click();
  await expect(page.getByTestId('step-counter')).toHaveText(String(before + 1), { timeout });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}
