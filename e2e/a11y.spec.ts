// Accessibility: axe finds nothing on the default page (once the worker is ready, and after one step,
// when the inspector and ratio panels are populated), and the main controls are reachable by Tab
// with a visible focus ring.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, openApp, SMALL, stepOnce } from './helpers';

async function axe(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  // one line per violation: rule, impact, the first few offending nodes (shown on failure)
  return r.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Press Tab until `target` has focus (at most `max` times); returns how many presses it took. */
async function tabTo(page: Page, target: Locator, max = 400): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return i;
  }
  throw new Error(`not reachable by Tab within ${max} presses`);
}

test('axe: 0 violations on the default page, before and after a step', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, backend: 'wasm' });
  expect(await axe(page)).toEqual([]);
  await stepOnce(page);
  await expect(page.getByTestId('gamma-fail')).toBeVisible();
  await expect(page.getByTestId('ratio-run').first()).not.toContainText('no step yet');
  expect(await axe(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('keyboard: controls are reachable by Tab, with a visible focus ring, and work from the keyboard', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, backend: 'wasm' });
  await stepOnce(page);
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  const targets: [string, Locator][] = [
    ['play', page.getByTestId('play')],
    ['step', page.getByTestId('step')],
    ['a slider', page.getByTestId('slider-rho')],
    ['next group', page.getByTestId('group-next')],
    ['compare checkbox', page.getByTestId('compare-toggle')],
  ];
  for (const [name, el] of targets) {
    await el.scrollIntoViewIfNeeded();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('body').focus();
    const presses = await tabTo(page, el).catch((e: Error) => { throw new Error(`${name}: ${e.message}`); });
    expect(presses, name).toBeGreaterThan(0);
    const outline = await el.evaluate((e) => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth);
    expect(outline, `${name} focus ring`).not.toMatch(/^none|\s0px$/);
  }
  // the step button works from the keyboard (Enter on the focused button)
  const step = page.getByTestId('step');
  await step.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('step-counter')).toHaveText('2', { timeout: 120_000 });
  // inspector navigation: focus "next group" and press Enter
  const next = page.getByTestId('group-next');
  await next.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('group-position')).toContainText('group 2 of');
  expect(errors).toEqual([]);
});
