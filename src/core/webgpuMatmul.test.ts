// WebGPU matmuls sum in a fixed order (backend.ts MATMUL_PACKED): tfjs's split-K program, which it picks for
// a weight gradient over ≥ 2000 rows, adds partial sums with atomics in whatever order workgroups finish.
// Runs in Node on Dawn's WebGPU (SwiftShader where no GPU); skipped with the reason without an adapter.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend';
import { startNodeWebGPU } from '../test/nodeWebGPU';

const skip = await startNodeWebGPU('the WebGPU matmul program test');

/** The WebGPU programs `fn` runs, by class name, and its result's values. */
async function programsOf(fn: () => tf.Tensor): Promise<{ programs: string[]; values: Float32Array }> {
  const b = tf.backend() as unknown as { runWebGPUProgram: (p: object, ...rest: unknown[]) => unknown };
  const run = b.runWebGPUProgram;
  const programs: string[] = [];
  b.runWebGPUProgram = function (this: unknown, p: object, ...rest: unknown[]) {
    programs.push(p.constructor.name);
    return run.call(this, p, ...rest);
  };
  try {
    const y = fn();
    const values = (await y.data()) as Float32Array;
    y.dispose();
    return { programs, values };
  } finally {
    b.runWebGPUProgram = run;
  }
}

describe.skipIf(!!skip)('WebGPU matmul', () => {
  afterAll(async () => {
    await useBackend('wasm');
  });

  it('runs a weight gradient over 2,560 rows on the packed program (no split-K atomics), equal to cpu within 1e-5', async () => {
    const rows = 2560; // N·T of a batch: the inner dimension of xᵀ·dy
    const x = Array.from({ length: rows * 64 }, (_, i) => Math.sin(i * 0.37));
    const dy = Array.from({ length: rows * 24 }, (_, i) => Math.cos(i * 0.11));
    const product = () => tf.tidy(() => tf.matMul(tf.tensor2d(x, [rows, 64]), tf.tensor2d(dy, [rows, 24]), true, false)); // [64, 24]

    await useBackend('webgpu');
    tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', -1); // tfjs's own choice, to show this shape takes split-K there
    expect((await programsOf(product)).programs).toContain('MatMulSplitKProgram');

    await useBackend('webgpu'); // sets the program type back
    const gpu = await programsOf(product);
    expect(gpu.programs).toEqual(['MatMulPackedProgram']);

    await useBackend('cpu');
    const y = product();
    const ref = await y.data();
    y.dispose();
    const worst = Math.max(...Array.from(gpu.values, (v, i) => Math.abs(v - ref[i]) / Math.max(1, Math.abs(ref[i]))));
    expect(worst).toBeLessThan(1e-5);
  });
});
