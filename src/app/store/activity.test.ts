import { describe, expect, it } from 'vitest';
import { setActivity, statusText, useActivity, type StatusInput } from './activity';

const base: StatusInput = { ready: true, playing: false, step: 0, stepsLimit: 200, ablating: false, backend: 'wasm', algos: ['repo'], activity: null, now: 0 };
const act = { step: 0, run: 0, runs: 1, phase: 'evaluating' as const, done: 200, total: 600, firstOnBackend: true, since: 0 };

describe('status line', () => {
  it('is never empty: starting, ready, paused, stopped', () => {
    expect(statusText({ ...base, ready: false })).toMatch(/starting/);
    expect(statusText(base)).toMatch(/^ready/);
    expect(statusText({ ...base, step: 3 })).toBe('paused after 3 steps');
    expect(statusText({ ...base, step: 200 })).toMatch(/stopped at 200 steps/);
    expect(statusText({ ...base, playing: true, step: 4 })).toBe('step 4 · starting…');
    expect(statusText({ ...base, ablating: true })).toMatch(/ablation/);
  });
  it('says the phase, the eval progress, the run in compare mode and the seconds spent', () => {
    expect(statusText({ ...base, playing: true, activity: act, now: 400 })).toBe('step 0 · evaluating problems 200/600 (step-0 evaluation)');
    expect(statusText({ ...base, playing: true, activity: { ...act, step: 3, phase: 'updating' }, now: 2500 })).toBe('step 3 · updating the policy · 2 s');
    expect(statusText({ ...base, algos: ['repo', 'grpo', 'luffy'], activity: { ...act, step: 5, run: 1, runs: 3, phase: 'generating' }, now: 0 })).toBe('step 5 · grpo (2/3) · generating rollouts');
  });
  it('names shader compilation on the first WebGPU step only', () => {
    expect(statusText({ ...base, backend: 'webgpu', activity: { ...act, phase: 'generating' } })).toMatch(/^compiling shaders \(first WebGPU step\) · step 0/);
    expect(statusText({ ...base, backend: 'webgpu', activity: { ...act, phase: 'generating', firstOnBackend: false } })).not.toMatch(/compiling/);
    expect(statusText({ ...base, backend: 'wasm', activity: act })).not.toMatch(/compiling/);
  });
  it('keeps the start time while one phase reports progress, restarts it on the next phase', () => {
    const { since: _s, ...a } = act;
    setActivity(a, 10);
    setActivity({ ...a, done: 400 }, 20);
    expect(useActivity.getState().activity).toMatchObject({ done: 400, since: 10 });
    setActivity({ ...a, phase: 'generating' }, 30);
    expect(useActivity.getState().activity?.since).toBe(30);
    setActivity(null);
    expect(useActivity.getState().activity).toBeNull();
  });
});
