// Group inspector: G rollouts and a decision per group; ρ = 1, δ = 0 closes every gate from the next step.
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, openApp, shot, SMALL, stepOnce } from './helpers';

async function decisions(page: Page, groups: number): Promise<string[]> {
  const prev = page.getByTestId('group-prev');
  while (await prev.isEnabled()) await prev.click();
  await expect(page.getByTestId('group-position')).toContainText(`1 of ${groups}`);
  const out: string[] = [];
  for (let g = 0; g < groups; g++) {
    if (g > 0) await page.getByTestId('group-next').click();
    out.push((await page.getByTestId('injection-decision').getAttribute('data-decision')) ?? '');
  }
  return out;
}

async function setNumber(page: Page, key: string, value: string): Promise<void> {
  const input = page.getByTestId(`input-${key}`);
  await input.fill(value);
  await input.press('Enter');
  await expect(input).toHaveValue(value);
}

test('inspector shows G rollouts and injection decisions; ρ=1, δ=0 close every gate on the next step', async ({ page }) => {
  const errors = collectErrors(page);
  // ρ = 0: every group triggers (γ_fail ≥ 0), so no gate can be closed at first.
  await openApp(page, { ...SMALL, batchSize: '3', groupSize: '4', rho: '0', delta: '1', backend: 'wasm' });
  await stepOnce(page);
  await expect(page.getByTestId('rollout')).toHaveCount(4);
  const before = await decisions(page, 3);
  expect(before.every((d) => d === 'injected' || d === 'verifier-rejected')).toBe(true);
  await shot(page, 'inspector-rho0');

  // Live keys: no reset needed; they apply from the next step.
  await setNumber(page, 'rho', '1');
  await setNumber(page, 'delta', '0');
  await expect(page.getByTestId('pending-reset')).toHaveCount(0);
  await stepOnce(page);
  const after = await decisions(page, 3);
  expect(after).toEqual(['gate-closed', 'gate-closed', 'gate-closed']);
  await expect(page.getByTestId('injection-decision').first()).toContainText('gate closed');

  // Step back through history while paused: the earlier step still shows its own decisions.
  await page.getByTestId('prev-step').click();
  await expect(page.getByTestId('inspected-step')).toContainText('step 0');
  await expect(page.getByTestId('injection-decision')).not.toHaveAttribute('data-decision', 'gate-closed');
  await shot(page, 'inspector-rho1');
  expect(errors).toEqual([]);
});
