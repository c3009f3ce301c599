// Checkpoints: save to IndexedDB and load back; a corrupt upload shows an error and keeps the model.
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, shot, SMALL, stepOnce } from './helpers';

test('a checkpoint saves to IndexedDB and loads back', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, { ...SMALL, backend: 'wasm' });
  await stepOnce(page);
  await page.getByTestId('checkpoint-name').fill('e2e-policy');
  await page.getByTestId('save-idb').click();
  await expect(page.getByTestId('notice').filter({ hasText: 'saved checkpoint "e2e-policy"' })).toBeVisible();
  await expect(page.getByTestId('saved-list')).toContainText('e2e-policy');
  await page.getByRole('button', { name: 'load e2e-policy' }).click();
  await expect(page.getByTestId('checkpoint-label')).toContainText('indexeddb://e2e-policy');
  await expect(page.getByTestId('step-counter')).toHaveText('0'); // the loaded policy is the new start
  await stepOnce(page); // and it trains
  await shot(page, 'checkpoint-idb');
  expect(errors).toEqual([]);
});

test('a corrupt uploaded checkpoint gives a clear error and keeps the current model', async ({ page }) => {
  await openApp(page, { ...SMALL, backend: 'wasm' });
  await stepOnce(page);
  const manifest = {
    modelTopology: { format: 'repo-playground-gpt/1', vocab: 'x', gpt: {} },
    weightsManifest: [{ paths: ['./bad.weights.bin'], weights: [{ name: 'tok_emb', shape: [4, 4], dtype: 'float32' }] }],
  };
  await page.getByTestId('upload').setInputFiles([
    { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(manifest)) },
    { name: 'bad.weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([1, 2, 3]) },
  ]);
  const error = page.getByTestId('error').filter({ hasText: 'Checkpoint:' });
  await expect(error).toBeVisible();
  await expect(error).not.toContainText(/at \w+ \(/); // a sentence, not a stack trace
  await expect(page.getByTestId('checkpoint-label')).toContainText('base (shipped)');
  await expect(page.getByTestId('step-counter')).toHaveText('1'); // the run was not touched
  await stepOnce(page);
  // a JSON that is not even JSON
  await page.getByTestId('upload').setInputFiles([
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{not json') },
    { name: 'broken.weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0]) },
  ]);
  await expect(page.getByTestId('error').filter({ hasText: /broken\.json is not JSON/ })).toBeVisible(); // the worker's own message, no crash
  await expect(page.getByTestId('checkpoint-label')).toContainText('base (shipped)');
  await shot(page, 'checkpoint-corrupt');
});
