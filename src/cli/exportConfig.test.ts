// npm run export-config: prints what the pure export prints, takes every config key as train does,
// and rejects bad input with one line and exit code 2 (the CLI contract in cli.test.ts).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../core/config';
import { markdownTable, toTrl, toVerl } from '../core/export/exportConfig';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/exportConfig.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr.trim(), stdout: r.stdout };
}

function expectOneLineError(r: ReturnType<typeof cli>, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
}

describe('export-config CLI', () => {
  it('--to trl with config flags prints the TRL snippet for those settings', () => {
    const r = cli(['--to', 'trl', '--algo', 'grpo', '--groupSize', '4', '--aggregation', 'seq-mean-token-sum-norm', '--advScale', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(toTrl({ ...defaultConfig(), algo: 'grpo', groupSize: 4, aggregation: 'seq-mean-token-sum-norm', advScale: 'none' }));
    expect(r.stdout).toMatch(/num_generations=4,[\s\S]*loss_type="dr_grpo",[\s\S]*scale_rewards="none"/);
  });
  it('--to verl prints the YAML override', () => {
    const r = cli(['--to', 'verl', '--epsHigh', '0.28', '--beta', '0.001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(toVerl({ ...defaultConfig(), epsHigh: 0.28, beta: 0.001 }));
    expect(r.stdout).toMatch(/clip_ratio_high: 0\.28[\s\S]*use_kl_loss: true\n\s+kl_loss_coef: 0\.001/);
  });
  it('--to table prints the README table', () => {
    const r = cli(['--to', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(markdownTable() + '\n');
  });
  it('missing --to', () => expectOneLineError(cli(['--algo', 'grpo']), /required option '--to <target>' not specified/));
  it('unknown target lists the choices', () => expectOneLineError(cli(['--to', 'deepspeed']), /Allowed choices are trl, verl, table/));
  it('out-of-range value names the range', () => expectOneLineError(cli(['--to', 'trl', '--groupSize', '1']), /groupSize must be an integer in \[2, 32\], got "1"/));
  it('bad enum value lists the options', () => expectOneLineError(cli(['--to', 'verl', '--aggregation', 'sum']), /aggregation must be one of token-mean, seq-mean-token-mean, seq-mean-token-sum-norm/));
  it('unknown flag', () => expectOneLineError(cli(['--to', 'trl', '--bogus', '1']), /unknown option '--bogus'/));
});
