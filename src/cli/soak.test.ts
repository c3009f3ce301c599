// The soak's rule on made-up samples, the CLI on a short run (30 steps: the 2,000-step soak is
// `npm run soak`), and its bad-input contract.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { soakVerdict, type SoakSample } from './soakVerdict';

const MB = 2 ** 20;
const s = (step: number, numTensors: number, heapMb: number, numBytes = 1000): SoakSample => ({ step, numTensors, numBytes, heapUsed: heapMb * MB, code: 0, rss: 0, external: 0 });

describe('soakVerdict', () => {
  it('passes flat tensors and < 1 % heap growth, ignoring what happened during warm-up', () => {
    const v = soakVerdict([s(0, 72, 40), s(100, 138, 50), s(200, 138, 55), s(300, 138, 55.2), s(400, 138, 55.5)], 200);
    expect(v.ok).toBe(true);
    expect(v.base.step).toBe(200);
    expect(v.heapGrowth).toBeCloseTo(0.5 / 55, 12);
    expect(v.tensorsSettledAt).toBe(100);
    expect(v.message).toMatch(/^flat after warm-up \(step 200 → 400\): 138 tensors/);
  });
  it('fails one tensor more after warm-up, even when it goes away again', () => {
    const v = soakVerdict([s(200, 138, 55), s(300, 139, 55), s(400, 138, 55)], 200);
    expect(v.ok).toBe(false);
    expect(v.message).toBe('numTensors changed after warm-up: 138 tensors (1000 B) at step 200, 139 (1000 B) at step 300');
  });
  it('fails a change of tensor bytes at the same count', () => {
    expect(soakVerdict([s(200, 138, 55), s(300, 138, 55, 1004)], 200).ok).toBe(false);
  });
  it('fails heap growth over the limit, first post-warm-up sample to last', () => {
    const v = soakVerdict([s(200, 138, 50), s(300, 138, 50.3), s(400, 138, 50.6)], 200);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/^heap grew 1\.20 % after warm-up \(limit 1 %\): 50\.00 MB at step 200, 50\.60 MB at step 400$/);
    expect(soakVerdict([s(200, 138, 50), s(400, 138, 50.6)], 200, 0.02).ok).toBe(true);
  });
  it('needs two samples after warm-up', () => {
    expect(() => soakVerdict([s(0, 1, 1), s(200, 1, 1)], 200)).toThrow(/at least two samples/);
  });
});

function soak(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/soak.ts', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stderr: r.stderr.trim(), stdout: r.stdout.trim() };
}

describe('soak CLI', () => {
  it('a 30-step RePO soak on wasm keeps tensors flat after a 10-step warm-up and writes its summary', () => {
    const json = join(mkdtempSync(join(tmpdir(), 'soak-')), 'soak.json');
    // Heap judged loosely here (10 %): 20 steps are too few for V8 to settle; the 2,000-step soak holds 1 %.
    const r = soak(['--steps', '30', '--every', '10', '--warmup', '10', '--max-heap-growth', '10', '--batchSize', '1', '--maxNewTokens', '32', '--rho', '0', '--repoVerify', 'false', '--json', json]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(5); // samples at 0, 10, 20, 30 and the verdict
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.samples.map((x: SoakSample) => x.step)).toEqual([0, 10, 20, 30]);
    const [, ...after] = out.samples as SoakSample[];
    expect(new Set(after.map((x) => x.numTensors)).size).toBe(1);
    expect(after[0].numTensors).toBeGreaterThan(out.samples[0].numTensors); // Adam's slots arrived in warm-up
    expect(out.injectionRate).toBe(1); // ρ 0, verifier off: every group
    expect(out.verdict.ok).toBe(true);
    expect(out.numTensorsAfterDispose).toBe(0);
    expect(r.stdout).toMatch(/^ok: flat after warm-up \(step 10 → 30\)/m);
  }, 240_000);
  it('rejects a warm-up that leaves no sample after it, in one line with exit code 2', () => {
    const r = soak(['--steps', '100', '--warmup', '100']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --steps 100 leaves no second sample after --warmup 100 (every 100); use more steps or a shorter warm-up');
  });
  it('rejects a bad --max-heap-growth and an unknown backend', () => {
    expect(soak(['--max-heap-growth', 'lots']).stderr).toBe('error: --max-heap-growth takes a percentage in [0, 100], got "lots"');
    const r = soak(['--backend', 'tpu', '--steps', '300']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --backend must be one of .*\(got "tpu"\)$/);
  });
});
