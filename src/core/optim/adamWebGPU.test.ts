// The optimiser's WGSL kernels in Node (Dawn's WebGPU; SwiftShader where no GPU): FusedAdam on webgpu
// agrees with its cpu path (tf.train.adam's ops) to ≤ 1e-6 relative over 3 clipped steps, in one
// dispatch per variable plus one per 7 variables, with no tensor left behind; its packed moments grow
// for late variables and export/import continues a run exactly; the fused gradient norm agrees too and takes
// one dispatch per 7 gradients. Skipped, with the reason, without an adapter.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkedOnWebGPU, useBackend } from '../backend';
import { Rng } from '../rng';
import { FusedAdam } from './fusedAdam';
import { globalNorm } from './gradNorm';
import { startNodeWebGPU } from '../../test/nodeWebGPU';
import { countGpuDispatches } from '../callCounter';

const skip = await startNodeWebGPU('the WebGPU optimiser tests');

// Odd sizes (not multiples of the 64-thread workgroup): matrices, vectors, a scalar-like one, a rank-3 one.
const SHAPES = [[13, 37], [129], [1], [64, 65], [7], [3, 5], [200], [2, 2, 2], [31]]; // 9: two moments dispatches
const SCALES = [0.37, 1, 0.0025];

/** Per tensor, max |a − b| / max |b|: float32 rounding differences only, whatever the entries' size. */
function worst(a: Float32Array[], b: Float32Array[]): number {
  let w = 0;
  a.forEach((x, i) => {
    const top = Math.max(...b[i].map(Math.abs), 1e-30);
    x.forEach((v, j) => (w = Math.max(w, Math.abs(v - b[i][j]) / top)));
  });
  return w;
}

/** Host copies of `n` gradient sets for SHAPES, from one seed (the same on every backend). */
function gradData(seed: number, n: number): Float32Array[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => SHAPES.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.float() * 2 - 1)));
}

/** 3 FusedAdam steps on the current backend; the final weights and moments, and GPU dispatches per step. */
async function run(): Promise<{ start: Float32Array[]; weights: Float32Array[]; m: Float32Array[]; v: Float32Array[]; dispatches: number[]; leaked: number }> {
  const before = tf.memory().numTensors;
  const rng = new Rng(1);
  const vars = tf.tidy(() => SHAPES.map((s) => tf.variable(tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.float() - 0.5), s))));
  const opt = new FusedAdam(1e-2, 0.9, 0.999, 1e-8);
  const start = await Promise.all(vars.map((x) => x.data() as Promise<Float32Array>));
  const data = gradData(2, SCALES.length);
  const dispatches: number[] = [];
  for (const [k, scale] of SCALES.entries()) {
    const grads = Object.fromEntries(vars.map((x, i) => [x.name, tf.tensor(data[k][i], x.shape)]));
    const counter = countGpuDispatches(); // null on cpu: no GPU dispatches there
    try {
      opt.applyGradients(grads, scale);
    } finally {
      counter?.restore();
    }
    dispatches.push(counter?.calls ?? 0);
    tf.dispose(Object.values(grads));
  }
  const read = (ts: tf.Tensor[]) => Promise.all(ts.map((t) => t.data() as Promise<Float32Array>));
  const held = new Map((await opt.exportState()).moments);
  const out = { weights: await read(vars), m: vars.map((x) => held.get(x.name)!.m.data), v: vars.map((x) => held.get(x.name)!.v.data) };
  opt.dispose();
  tf.dispose(vars);
  return { start, ...out, dispatches, leaked: tf.memory().numTensors - before };
}

describe.skipIf(!!skip)('FusedAdam on WebGPU', () => {
  afterAll(() => useBackend('wasm'));

  it('equals the cpu path (tf.train.adam\'s ops) to ≤ 1e-6 relative over 3 clipped steps, in one dispatch per variable and one per 7', async () => {
    await useBackend('cpu');
    const cpu = await run();
    await useBackend('webgpu');
    const gpu = await checkedOnWebGPU(run);
    const d = { weights: worst(gpu.weights, cpu.weights), m: worst(gpu.m, cpu.m), v: worst(gpu.v, cpu.v) };
    console.log(`webgpu vs cpu after 3 steps, worst relative difference ${JSON.stringify(d)}; GPU dispatches per step ${gpu.dispatches}`);
    expect(d.weights).toBeLessThanOrEqual(1e-6);
    expect(d.m).toBeLessThanOrEqual(1e-6);
    expect(d.v).toBeLessThanOrEqual(1e-6);
    // The weights really moved (by ~lr per step), so agreeing to 1e-6 of their scale is a real check.
    expect(worst(gpu.weights, gpu.start)).toBeGreaterThan(1e-3);
    // m and v of up to 7 variables in one dispatch, then the weight per variable (the zero moments of
    // the first step are an upload, not a dispatch).
    expect(gpu.dispatches).toEqual(SCALES.map(() => Math.ceil(SHAPES.length / 7) + SHAPES.length));
    expect(gpu.leaked).toBe(0);
    expect(cpu.leaked).toBe(0);
  });

  it('grows its packed moments for a variable first seen later, keeping the others\' (as cpu\'s per-variable slots do)', async () => {
    const go = async () => {
      const vars = tf.tidy(() => [tf.variable(tf.fill([3, 5], 0.5)), tf.variable(tf.fill([7], -0.25))]);
      const opt = new FusedAdam(1e-2);
      const g = (x: tf.Variable, k: number) => tf.tidy(() => tf.mul(tf.onesLike(x), k));
      const g0 = { [vars[0].name]: g(vars[0], 0.3) };
      opt.applyGradients(g0); // only the first variable
      const g1 = { [vars[0].name]: g(vars[0], -0.7), [vars[1].name]: g(vars[1], 0.9) };
      opt.applyGradients(g1, 0.5); // now both
      const s = await opt.exportState();
      const w = await Promise.all(vars.map((x) => x.data()));
      tf.dispose([...Object.values(g0), ...Object.values(g1), ...vars]);
      opt.dispose();
      return { names: s.moments.length, m: s.moments.map(([, x]) => Array.from(x.m.data)), v: s.moments.map(([, x]) => Array.from(x.v.data)), w: w.map((x) => Array.from(x)) };
    };
    await useBackend('cpu');
    const cpu = await go();
    await useBackend('webgpu');
    const gpu = await checkedOnWebGPU(go);
    expect(gpu.names).toBe(2);
    expect(gpu).toEqual(cpu);
  });

  it('exportState → importState continues a run bit for bit on webgpu (one readback, one upload)', async () => {
    await useBackend('webgpu');
    const go = async (resume: boolean) => {
      const rng = new Rng(7);
      const vars = tf.tidy(() => SHAPES.map((sh) => tf.variable(tf.tensor(Float32Array.from({ length: sh.reduce((a, b) => a * b, 1) }, () => rng.float() - 0.5), sh))));
      let opt = new FusedAdam(1e-2);
      const data = gradData(4, SCALES.length);
      for (const [k, scale] of SCALES.entries()) {
        if (resume && k === 1) {
          const state = structuredClone(await opt.exportState());
          opt.dispose();
          opt = new FusedAdam(1e-2);
          opt.importState(state);
        }
        const grads = Object.fromEntries(vars.map((x, i) => [x.name, tf.tensor(data[k][i], x.shape)]));
        opt.applyGradients(grads, scale);
        tf.dispose(Object.values(grads));
      }
      const w = await Promise.all(vars.map((x) => x.data()));
      const moments = (await opt.exportState()).moments.map(([, m]) => [Array.from(m.m.data), Array.from(m.v.data)]);
      opt.dispose();
      tf.dispose(vars);
      return { w: w.map((x) => Array.from(x)), moments };
    };
    const straight = await checkedOnWebGPU(() => go(false));
    expect(await checkedOnWebGPU(() => go(true))).toEqual(straight);
  });

  it('the fused global norm equals cpu\'s to ≤ 1e-6 relative, one dispatch per 7 gradients plus the sum and the sqrt', async () => {
    const data = gradData(3, 1)[0];
    const many = Array.from({ length: 33 }, (_, i) => data[i % data.length]); // as many as the policy has weights
    const norm = async () => {
      const gs = many.map((x) => tf.tensor(x));
      const t = globalNorm(gs);
      const v = (await t.data())[0];
      tf.dispose([t, ...gs]);
      return v;
    };
    await useBackend('cpu');
    const want = await norm();
    await useBackend('webgpu');
    const counter = countGpuDispatches()!;
    const got = await checkedOnWebGPU(norm).finally(() => counter.restore());
    const n = counter.calls;
    console.log(`global norm of 33 gradients: webgpu ${got} vs cpu ${want}; ${n} GPU dispatches`);
    expect(Math.abs(got - want) / want).toBeLessThanOrEqual(1e-6);
    expect(n).toBe(Math.ceil(33 / 7) + 1 + 1); // 5 partial sums of squares, one AddN of them, the sqrt
  });
});
