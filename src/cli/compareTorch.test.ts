import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../core/backend';
import { defaultConfig } from '../core/config';
import { compareWithTorch, comparisonLines, findTorchPython, type Comparison, type RoundTimes } from './compareTorch';
import { loadCheckpoint } from './node';

const round = (genMs: number, scoreMs: number, updateMs: number): RoundTimes => ({ genMs, scoreMs, updateMs, stepMs: genMs + scoreMs + updateMs, genCpuMs: genMs / 2, scoreCpuMs: scoreMs / 2, updateCpuMs: updateMs / 2, stepCpuMs: (genMs + scoreMs + updateMs) / 2, tokens: 1000, loss: [0.5, 0.4], gradNorm: [2, 1.9] });

describe('comparisonLines', () => {
  it('gives per-phase means, ratios wasm ÷ PyTorch and whether ≤ 1.5× is met', () => {
    const c: Comparison = { torchVersion: '1.13', blas: 'libopenblas', python: 'python3', device: 'cpu', backend: 'wasm', rounds: 2, tfjs: [round(300, 200, 500), round(500, 200, 500)], torch: [round(100, 100, 200), round(100, 100, 200)] };
    const lines = comparisonLines(c);
    expect(lines).toContain('  | generation | 400 ms | 100 ms | 4.00× |');
    expect(lines).toContain('  generation tokens/s: wasm 2500, PyTorch 10000');
    expect(lines).toContain('  | scoring (old + ref) | 200 ms | 100 ms | 2.00× |');
    expect(lines).toContain('  | update (μ=2 passes) | 500 ms | 200 ms | 2.50× |');
    expect(lines).toContain('  | step | 1100 ms | 400 ms | 2.75× |');
    expect(lines).toContain('  | step | 550 ms | 200 ms | 2.75× |'); // CPU time
    expect(lines).toContain('  target wasm ≤ 1.5 × PyTorch: NOT met (2.75× wall clock, 2.75× CPU time)');
    const met = comparisonLines({ ...c, tfjs: c.torch });
    expect(met).toContain('  target wasm ≤ 1.5 × PyTorch: met (1.00× wall clock, 1.00× CPU time)');
  });

  it('against PyTorch-CUDA: names the backend and the card, gives the step ratio, no CPU-time table', () => {
    const c: Comparison = { torchVersion: '2.11', blas: 'CUDA 13.0, NVIDIA H100', python: 'python3', device: 'cuda', backend: 'webgpu', rounds: 1, tfjs: [round(300, 100, 400)], torch: [round(50, 10, 40)] };
    const lines = comparisonLines(c);
    expect(lines[0]).toMatch(/^webgpu \(tfjs [\d.]+\) vs PyTorch 2\.11 CUDA 13\.0, NVIDIA H100 \(eager, python3\)/);
    expect(lines).toContain('  | phase | webgpu | PyTorch | webgpu ÷ PyTorch |');
    expect(lines).toContain('  | step | 800 ms | 100 ms | 8.00× |');
    expect(lines).toContain('  webgpu step ÷ PyTorch-CUDA step: 8.00× (the GPU target is ≤ 3×)');
    expect(lines.some((l) => l.includes('CPU time'))).toBe(false);
  });
});

describe('npm run bench -- --compare-torch', () => {
  it('without torch: one line, exit 2', () => {
    const r = spawnSync('npx', ['tsx', 'src/cli/bench.ts', '--compare-torch', '--python', '/nonexistent/python3'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['error: --compare-torch: PyTorch is unavailable (/nonexistent/python3 -c "import torch" fails; Debian: apt-get install python3-torch)']);
  }, 60_000);

  // CI does not install torch; where it is installed, the reference must compute what tfjs computes.
  it.skipIf(!findTorchPython())('bench/torch_ref.py computes the same losses and grad norms as tfjs on the same work', async () => {
    await useBackend('wasm');
    const dir = 'public/checkpoints/base';
    const { model, task } = await loadCheckpoint(dir);
    const { model: ref } = await loadCheckpoint(dir);
    const cfg = { ...defaultConfig(), batchSize: 4, groupSize: 4, maxNewTokens: 40 };
    const c = await compareWithTorch(model, ref, task, cfg, 1, dir, findTorchPython()!);
    model.dispose();
    ref.dispose();
    expect(c.tfjs).toHaveLength(1);
    expect(c.tfjs[0].gradNorm[0]).toBeGreaterThan(1e-3); // a real gradient, or the comparison below says nothing
    for (const k of [0, 1]) {
      // the second update starts from weights each side updated itself: still float32 rounding apart
      expect(Math.abs(c.torch[0].loss[k] - c.tfjs[0].loss[k])).toBeLessThan(1e-4 * Math.max(1, Math.abs(c.tfjs[0].loss[k])));
      expect(Math.abs(c.torch[0].gradNorm[k] - c.tfjs[0].gradNorm[k]) / c.tfjs[0].gradNorm[k]).toBeLessThan(1e-4);
    }
  }, 120_000);
});
