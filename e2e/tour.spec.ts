// The guided tour: opens by itself on a first visit, points at live elements (running one step for the
// stops that need one), remembers the stop reached, and the header's Tour button re-opens it there.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, openApp, SMALL, stepCount } from './helpers';

const popover = (page: Page) => page.locator('.driver-popover');
const title = (page: Page) => page.locator('.driver-popover-title');
const next = (page: Page) => page.locator('.driver-popover-next-btn');
const progress = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('repo-playground:tour') ?? 'null'));

async function highlighted(page: Page, testId: string): Promise<void> {
  await expect(page.getByTestId(testId)).toHaveClass(/driver-active-element/);
}

test('tour: first visit opens it, it points at live elements, remembers progress, Tour re-opens it', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, backend: 'wasm', tour: '' }); // no tour=0: a first visit
  await expect(popover(page)).toBeVisible();
  await expect(title(page)).toHaveText('A tiny GPT learning to add, live');
  await expect(page.locator('.driver-popover-progress-text')).toHaveText('1 of 10');
  const axe = await new AxeBuilder({ page }).include('.driver-popover').analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  await next(page).click();
  await expect(title(page)).toHaveText('Play / pause');
  await highlighted(page, 'play');
  // → moves the tour, and does not also step the training (the app's → shortcut is off while it is open);
  // driver.js ignores keys during its highlight animation, so let that finish first
  await page.waitForTimeout(700);
  await page.keyboard.press('ArrowRight');
  await expect(title(page)).toHaveText('One step');
  await highlighted(page, 'step');
  await page.waitForTimeout(500);
  expect(await stepCount(page)).toBe(0);

  await next(page).click();
  await expect(title(page)).toHaveText('Step counter');
  expect(await stepCount(page)).toBe(0);
  // the inspector stops need a recorded step: Next runs one and waits for it
  await next(page).click();
  await expect(title(page)).toHaveText('γ_fail against ρ', { timeout: 120_000 });
  expect(await stepCount(page)).toBe(1);
  await highlighted(page, 'gamma-fail');
  await next(page).click();
  await expect(title(page)).toHaveText('The decision');
  await highlighted(page, 'injection-decision');
  await next(page).click();
  await expect(title(page)).toHaveText('o_rep and the rollout it replaced');
  await highlighted(page, 'injection-sources');
  await expect.poll(() => progress(page)).toEqual({ state: 'active', step: 6 });

  // close: remembered as dismissed at stop 7; a reload does not open it again
  await page.keyboard.press('Escape');
  await expect(popover(page)).toHaveCount(0);
  expect(await progress(page)).toEqual({ state: 'dismissed', step: 6 });
  await page.reload();
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 90_000 });
  await page.waitForTimeout(1000);
  await expect(popover(page)).toHaveCount(0);

  // Tour re-opens it where it was left; after a reload no step exists yet, so it resumes at "One step"
  await page.getByTestId('tour-button').click();
  await expect(title(page)).toHaveText('One step');
  await next(page).click();
  await next(page).click();
  await expect(title(page)).toHaveText('γ_fail against ρ', { timeout: 120_000 });
  await next(page).click();
  await next(page).click();
  await next(page).click();
  await expect(title(page)).toHaveText('Ratio histograms');
  await highlighted(page, 'ratio-panel');
  await next(page).click();
  await expect(title(page)).toHaveText('Compare mode');
  await highlighted(page, 'compare-panel');
  await next(page).click();
  await expect(title(page)).toHaveText('That’s the tour');
  await highlighted(page, 'tour-button');
  await next(page).click(); // Done
  await expect(popover(page)).toHaveCount(0);
  expect(await progress(page)).toEqual({ state: 'done', step: 0 });

  // finished: Tour starts again from the beginning
  await page.getByTestId('tour-button').click();
  await expect(title(page)).toHaveText('A tiny GPT learning to add, live');
  await page.locator('.driver-popover-close-btn').click();
  await expect(popover(page)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('tour: ?tour=0 keeps it shut on a first visit, ?tour=1 opens it after it was finished', async ({ page }) => {
  await openApp(page, { ...SMALL, backend: 'wasm' }); // helpers add tour=0
  await page.waitForTimeout(1000);
  await expect(popover(page)).toHaveCount(0);
  await page.evaluate(() => localStorage.setItem('repo-playground:tour', JSON.stringify({ state: 'done', step: 0 })));
  await openApp(page, { ...SMALL, backend: 'wasm', tour: '1' });
  await expect(title(page)).toHaveText('A tiny GPT learning to add, live');
});
