// The CLI's bad-input contract (issue 2, item 12): one clear line naming the problem and the accepted
// range, exit code 2, and no output file that looks complete.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHECKPOINT = 'public/checkpoints/base';

function cli(script: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { encoding: 'utf8', timeout: 60_000, env });
  return { code: r.status, stderr: r.stderr.trim(), stdout: r.stdout.trim() };
}

function expectOneLineError(r: ReturnType<typeof cli>, pattern: RegExp) {
  expect(r.code).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('train CLI rejects bad input with one line and exit code 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const out = join(dir, 'run.jsonl');
  it('unknown flag', () => expectOneLineError(cli('train', ['--bogus', '1', '--out', out]), /unknown option '--bogus'/));
  it('non-numeric value names the accepted range', () => expectOneLineError(cli('train', ['--rho', 'abc', '--out', out]), /rho must be a number in \[0, 1\], got "abc"/));
  it('out-of-range value', () => expectOneLineError(cli('train', ['--groupSize', '99', '--out', out]), /groupSize must be an integer in \[2, 32\]/));
  it('non-integer for an integer key', () => expectOneLineError(cli('train', ['--steps', '2.5', '--out', out]), /steps must be an integer/));
  it('bad enum value lists the options', () => expectOneLineError(cli('train', ['--algo', 'ppo', '--out', out]), /algo must be one of grpo, repo, luffy, sft/));
  it('missing checkpoint', () => expectOneLineError(cli('train', ['--checkpoint', join(dir, 'nope'), '--steps', '1', '--out', out]), /model\.json missing/));
  it('corrupt checkpoint: truncated weights', () => {
    const bad = mkdtempSync(join(dir, 'truncated'));
    copyFileSync(join(CHECKPOINT, 'model.json'), join(bad, 'model.json'));
    writeFileSync(join(bad, 'weights.bin'), Buffer.alloc(1000));
    expectOneLineError(cli('train', ['--checkpoint', bad, '--steps', '1', '--out', out]), /truncated or corrupt/);
  });
  it('corrupt checkpoint: model.json is not JSON', () => {
    const bad = mkdtempSync(join(dir, 'garbage'));
    writeFileSync(join(bad, 'model.json'), '{"modelTopology": ');
    expectOneLineError(cli('train', ['--checkpoint', bad, '--steps', '1', '--out', out]), /not valid JSON/);
  });
  it('unwritable --out', () => expectOneLineError(cli('train', ['--steps', '1', '--out', join(dir, 'no', 'such', 'dir.jsonl')]), /cannot write --out/));
  it('leaves no output file behind after any of these', () => {
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl') || f.endsWith('.partial'))).toEqual([]);
  });
});

describe('the other commands share the contract', () => {
  it('experiment: bad algorithm list', () => expectOneLineError(cli('experiment', ['--algos', 'grpo,ppo']), /--algos takes a comma-separated list of grpo, repo, repo-paper, luffy, sft/));
  it('check-base: out-of-range steps', () => expectOneLineError(cli('checkBase', ['--steps', '0']), /--steps takes an integer in \[1, 10000\]/));
  it('bench: unknown backend', () => expectOneLineError(cli('bench', ['--backends', 'tpu', '--no-browser']), /--backends takes a comma-separated list of wasm, cpu, webgpu, got "tpu"/));
  it('bench: unknown --torch-device', () => expectOneLineError(cli('bench', ['--compare-torch', '--torch-device', 'tpu']), /--torch-device must be one of cpu, cuda \(got "tpu"\)/));
  it('bench: --host-cost without --tape', () => expectOneLineError(cli('bench', ['--host-cost', 'replay']), /--host-cost needs --tape FILE/));
  it('bench: --host-cost with an unknown mode', () => expectOneLineError(cli('bench', ['--host-cost', 'time', '--tape', 'x.json']), /--host-cost must be one of record, replay \(got "time"\)/));
  it('bench: --host-cost replay of a file that is not a tape', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'cli-tape-'));
    const notTape = join(tmp, 'not-a-tape.json');
    writeFileSync(notTape, '{"reads": 3}');
    expectOneLineError(cli('bench', ['--host-cost', 'replay', '--tape', notTape]), /not a readback tape \(record one with --host-cost record\)/);
    expectOneLineError(cli('bench', ['--host-cost', 'replay', '--tape', join(tmp, 'missing.json')]), /--tape .*missing\.json: ENOENT/);
    writeFileSync(notTape, JSON.stringify({ format: 'repo-playground-readbacks/1', steps: 1, checkpoint: 'public/checkpoints/base', config: { batchSize: -3 }, reads: [] }));
    expectOneLineError(cli('bench', ['--host-cost', 'replay', '--tape', notTape]), /config\.batchSize: batchSize must be/);
    expectOneLineError(cli('bench', ['--host-cost', 'record', '--tape', join(tmp, 'no', 'such', 'dir.json')]), /cannot write --tape/);
  });
  it('bench: --gpu-pool-floor out of range', () => expectOneLineError(cli('bench', ['--backends', 'webgpu', '--gpu-pool-floor', '0']), /--gpu-pool-floor takes an integer in \[1, 65536\], got "0"/));
  it('bench: unwritable --json', () => expectOneLineError(cli('bench', ['--backends', 'cpu', '--no-browser', '--json', join(tmpdir(), 'no', 'such', 'dir.json')]), /cannot write --json/));
  it('pretrain: unknown flag', () => expectOneLineError(cli('pretrain', ['--bogus']), /unknown option '--bogus'/));
});

describe('--backend', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-backend-'));
  const out = join(dir, 'run.jsonl');
  it('an unknown backend names the accepted ones', () => expectOneLineError(cli('train', ['--backend', 'bogus', '--steps', '1', '--out', out]), /--backend must be one of wasm, cpu, webgpu \(got "bogus"\)/));
  it('webgpu without a usable Vulkan driver is one line (Dawn\'s own messages stay in a probe process)', () => {
    const r = cli('train', ['--backend', 'webgpu', '--steps', '1', '--out', out], { ...process.env, VK_DRIVER_FILES: join(dir, 'no-such-icd.json') });
    expectOneLineError(r, /--backend webgpu: no WebGPU adapter \(VK_DRIVER_FILES=.*no-such-icd\.json\)/);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe('bench --determinism', () => {
  it('trains twice from the checkpoint on wasm and finds the records identical (exit 0)', () => {
    const r = cli('bench', ['--determinism', '--backends', 'wasm', '--steps', '1']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wasm: two runs of 1 default step \(2 updates, \d+ injections, [1-9]\d* ratios off 1\): identical, bit for bit$/m);
  }, 60_000);
});
