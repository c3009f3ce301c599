// Run exports: CSV of metrics per step and JSON StepRecords with a CLI-like header.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { openApp, SMALL, stepOnce } from './helpers';

test('exports the run as CSV metrics and JSON StepRecords', async ({ page }) => {
  await openApp(page, { ...SMALL, backend: 'wasm' });
  await stepOnce(page);
  await stepOnce(page);
  const [csvDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csvDl.suggestedFilename()).toBe('run-repo-seed1.csv');
  const csv = (await readFile(await csvDl.path())).toString().trim().split('\n');
  expect(csv).toHaveLength(3); // header + 2 steps
  expect(csv[0]).toMatch(/^step,algo,rewardMean,/);
  expect(csv[2]).toMatch(/^1,repo,/);
  const [jsonDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const run = JSON.parse((await readFile(await jsonDl.path())).toString());
  expect(run).toMatchObject({ algo: 'repo', seed: 1, backend: 'wasm', checkpoint: 'base (shipped)' });
  expect(run.config.batchSize).toBe(2);
  expect(run.records).toHaveLength(2);
  expect(run.records[1].groups).toHaveLength(2);
  expect(run.records[1].groups[0].rollouts).toHaveLength(3);
});
