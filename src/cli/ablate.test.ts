// npm run ablate: bad input is one line and exit code 2; a tiny real grid writes a valid grid file and table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAblationFile } from '../core/ablationFile';

function ablate(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ablate.ts', ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stderr: r.stderr.trim(), stdout: r.stdout.trim() };
}

describe('ablate CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ablate-'));
  const aFile = join(dir, 'a-file');
  writeFileSync(aFile, 'x'); // a path under a file cannot be written
  it.each([
    [['--rhos', '0.5,2'], /--rhos takes numbers in \[0, 1\], got "0.5,2"/],
    [['--algo', 'grpo'], /--algo must be repo or luffy/],
    [['--cell-steps', '0'], /--cell-steps takes an integer in \[1, 100000\]/],
    [['--rho', 'x'], /rho must be a number in \[0, 1\]/],
    [['--out', join(aFile, 'grid.json')], /cannot write .*a-file\/grid\.json/],
  ])('%s → one line, exit 2', (args, pattern) => {
    const r = ablate([...args]);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a 2×1 grid of one-step cells writes a grid file the app can open, and the table', () => {
    const out = join(dir, 'grid.json');
    const r = ablate(['--rhos', '0.5,1', '--deltas', '0.5', '--seeds', '3', '--cell-steps', '1', '--eval-size', '10', '--jobs', '2', '--no-progress', '--batchSize', '2', '--groupSize', '2', '--maxNewTokens', '12', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const grid = parseAblationFile(readFileSync(out, 'utf8'));
    expect(grid.runs.map((x) => [x.rho, x.delta, x.seed])).toEqual([[0.5, 0.5, 3], [1, 0.5, 3]]);
    expect(grid.stepsPerCell).toBe(1);
    const md = readFileSync(join(dir, 'grid.md'), 'utf8');
    expect(md).toMatch(/\| ρ = 0.5 \| hard [+-]\d/);
    expect(md).toMatch(/\*\*C4\*\*/);
    expect(existsSync(`${out}.partial`)).toBe(false);
  }, 240_000);
});
