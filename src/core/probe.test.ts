import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from './backend';
import { chooseBackend, measureCurrentBackend, numericsProblem, probeBackends, type ProbeMeasure } from './probe';
import { raceCurrentBackend } from './probeRace';

const m = (backend: ProbeMeasure['backend'], ms: number, loss = 0.5, gradNorm = 2): ProbeMeasure => ({ backend, ms, loss, gradNorm });

describe('chooseBackend (fake measurements)', () => {
  it('picks the fastest backend that agrees with cpu and says how much faster than the next', () => {
    const c = chooseBackend([m('webgpu', 10), m('wasm', 31), m('cpu', 200)]);
    expect(c.picked).toBe('webgpu');
    expect(c.reason).toBe('3.1× faster than wasm here');
    expect(c.rejected).toEqual([]);
  });

  it('passes over a faster backend whose loss or grad norm is off, and names it', () => {
    const c = chooseBackend([m('webgpu', 10, 0.52), m('webgl', 12, 0.5, 2.01), m('wasm', 30), m('cpu', 200)]);
    expect(c.picked).toBe('wasm');
    expect(c.reason).toBe('webgpu failed the numerics check (loss off by 4.0e-2 relative to cpu); webgl failed the numerics check (grad norm off by 5.0e-3 relative to cpu)');
    expect(c.rejected.map((r) => r.backend)).toEqual(['webgpu', 'webgl']);
  });

  it('accepts differences within the tolerance and rejects NaN and thrown errors', () => {
    const c = chooseBackend([m('webgpu', 5, NaN), { backend: 'webgl', error: 'context lost' }, m('wasm', 30, 0.5 * (1 + 5e-5)), m('cpu', 200)]);
    expect(c.picked).toBe('wasm');
    expect(c.rejected).toEqual([
      { backend: 'webgpu', reason: 'failed the numerics check (NaN or Inf)' },
      { backend: 'webgl', reason: 'failed (context lost)' },
    ]);
    expect(c.reason).toBe('webgpu failed the numerics check (NaN or Inf)'); // the errored one was not faster: not named
  });

  it('a slower backend that fails is rejected but not given as the reason', () => {
    const c = chooseBackend([m('wasm', 30), m('webgl', 90, 9), m('cpu', 200)]);
    expect(c.picked).toBe('wasm');
    expect(c.reason).toBe('6.7× faster than cpu here');
    expect(c.rejected.map((r) => r.backend)).toEqual(['webgl']);
  });

  it('cpu alone, or no cpu reference, is said plainly', () => {
    expect(chooseBackend([m('cpu', 200)]).reason).toBe('the only backend that passed the probe');
    expect(chooseBackend([m('wasm', 30), m('webgpu', 50)])).toMatchObject({ picked: 'wasm', reason: 'fastest in the probe (no cpu reference to check its numbers)' });
  });

  it('throws one clear message when nothing passes', () => {
    expect(() => chooseBackend([{ backend: 'cpu', error: 'boom' }])).toThrow(/^no backend passed the probe \(cpu failed \(boom\)\)$/);
  });

  it('numericsProblem is relative to cpu and ignores cpu itself', () => {
    expect(numericsProblem(m('cpu', 1, 7, 7), m('cpu', 1))).toBeNull();
    expect(numericsProblem(m('wasm', 1, 0.5, 2 * (1 + 2e-4)), m('cpu', 1))).toMatch(/grad norm off by 2\.0e-4/);
  });
});

describe('the probe on real backends', () => {
  it('wasm and cpu agree within the tolerance, wasm is chosen over cpu, and no tensor leaks', async () => {
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    const cpu = await measureCurrentBackend('cpu');
    expect(tf.memory().numTensors).toBe(before);
    expect(cpu.error).toBeUndefined();
    await useBackend('wasm');
    const wasm = await measureCurrentBackend('wasm');
    expect(wasm.error).toBeUndefined();
    expect(numericsProblem(wasm, cpu)).toBeNull();
    expect(Number.isFinite(wasm.loss)).toBe(true);
    expect(wasm.gradNorm!).toBeGreaterThan(0);
    const t0 = performance.now();
    const choice = await probeBackends(['wasm', 'cpu'], useBackend);
    expect(performance.now() - t0).toBeLessThan(20_000); // "a few seconds" on wasm; generous on a shared 2-core machine
    expect(choice.picked).toBe('wasm');
    expect(choice.reason).toMatch(/^\d+\.\d× faster than cpu here$/);
    expect(tf.getBackend()).toBe('wasm');
  }, 60_000);
});

describe('the race decides among backends that pass (fake measurements)', () => {
  // An NVIDIA H100 (docs/speed.md): the tiny batch favoured wasm 3.4×, a default-size round WebGPU.
  const raced = (backend: ProbeMeasure['backend'], ms: number, raceMs?: number): ProbeMeasure => ({ ...m(backend, ms), raceMs });

  it('ranks by the race where two or more backends ran it', () => {
    const c = chooseBackend([raced('webgpu', 189, 310), raced('wasm', 56, 720), raced('cpu', 794)]);
    expect(c.picked).toBe('webgpu');
    expect(c.reason).toBe('2.3× faster than wasm here');
  });

  it('falls back to the tiny batch when only one backend raced', () => {
    const c = chooseBackend([raced('wasm', 56, 720), raced('cpu', 794)]);
    expect(c).toMatchObject({ picked: 'wasm', reason: '14.2× faster than cpu here' });
  });
});

describe('raceCurrentBackend', () => {
  it('times a default-size round on wasm and leaks no tensor', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const ms = await raceCurrentBackend();
    expect(ms).toBeGreaterThan(0);
    expect(Number.isFinite(ms)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
