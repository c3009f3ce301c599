// sumN is the element-wise sum, and no kernel of a training update or of generation takes more than
// MAX_KERNEL_INPUTS tensors (more is an invalid pipeline on tfjs-webgpu: docs/DESIGN.md §8.9).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { backend, tinyModel } from '../test/setup';
import { DECODE_KERNEL } from './kernels/decodeLayout';
import { packBatch } from './model';
import { MAX_KERNEL_INPUTS, mmAddFlags, sumN } from './ops';
import { update } from './rl/loss';
import { Rng } from './rng';
import { generate, scoreLogProbs } from './sampler';

/** The most inputs any kernel took while `fn` ran, and that kernel's name. */
async function widestKernel(fn: () => Promise<unknown>): Promise<{ name: string; inputs: number; kernels: number }> {
  const info = await tf.profile(async () => {
    await fn();
  });
  let widest = { name: '', inputs: 0, kernels: info.kernels.length };
  for (const k of info.kernels) if (k.inputShapes.length > widest.inputs) widest = { name: k.name, inputs: k.inputShapes.length, kernels: info.kernels.length };
  return widest;
}

for (const name of ['cpu', 'wasm'] as const) {
  describe(`sumN on ${name}`, () => {
    it('equals the element-wise sum for 1, 2, 7, 8, 33 and 50 tensors, and leaks nothing', async () => {
      await backend(name);
      for (const n of [1, 2, 7, 8, 33, 50]) {
        const xs = Array.from({ length: n }, (_, i) => tf.randomNormal([3, 5], 0, 1, 'float32', i + 1));
        const before = tf.memory().numTensors;
        const got = sumN(xs);
        expect(tf.memory().numTensors).toBe(before + 1);
        const want = new Float64Array(15);
        for (const x of xs) (await x.data()).forEach((v, i) => (want[i] += v));
        (await got.data()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
        tf.dispose([got, ...xs]);
      }
    });

    it(`never builds a kernel with more than ${MAX_KERNEL_INPUTS} inputs`, async () => {
      await backend(name);
      const xs = Array.from({ length: 33 }, () => tf.ones([4]));
      const w = await widestKernel(async () => tf.dispose(sumN(xs)));
      expect(w.inputs).toBeLessThanOrEqual(MAX_KERNEL_INPUTS);
      expect(w.kernels).toBe(6); // 33 → 5 → 1
      tf.dispose(xs);
    });
  });
}

describe('kernel width of the training paths', () => {
  it(`a clipped update (loss, gradients, global norm, Adam) and KV-cached generation stay at ≤ ${MAX_KERNEL_INPUTS} inputs per kernel`, async () => {
    await backend('cpu');
    const model = tinyModel(5);
    expect(model.trainable().length).toBeGreaterThan(MAX_KERNEL_INPUTS); // the norm really sums many gradients
    const rng = new Rng(5);
    const prompts = Array.from({ length: 4 }, () => Array.from({ length: rng.int(2, 6) }, () => rng.int(3, 20)));
    const responses = Array.from({ length: 4 }, () => Array.from({ length: rng.int(1, 5) }, () => rng.int(3, 20)));
    const packed = packBatch(prompts, responses);
    const L = packed.contWidth;
    const lp = await scoreLogProbs(model, prompts, responses);
    const logpOld = new Float32Array(4 * L);
    lp.forEach((row, i) => row.forEach((v, t) => (logpOld[i * L + t] = v)));
    const opt = tf.train.adam(1e-2, 0.9, 0.999, 1e-8);
    const batch = { packed, logpOld, advantages: Float32Array.from([1, -1, 0.5, -0.5]), offPolicy: new Float32Array(4) };
    const upd = await widestKernel(() => update(model, opt, batch, { epsLow: 0.2, epsHigh: 0.28, beta: 0, aggregation: 'token-mean', maxNewTokens: 8 }, 1));
    expect(upd.inputs, `widest kernel ${upd.name}`).toBeLessThanOrEqual(MAX_KERNEL_INPUTS);
    for (const fused of [true, false]) {
      const gen = await widestKernel(() => generate(model, prompts, { maxNewTokens: 6, temperature: 1, rng: new Rng(1), useCache: true, fused }));
      expect(gen.inputs, `widest kernel ${gen.name} (fused ${fused})`).toBeLessThanOrEqual(MAX_KERNEL_INPUTS);
    }
    opt.dispose();
    model.dispose();
  });
});

describe('mmAddFlags on cpu', () => {
  it('is a·b + c in one kernel, with the gradients of a·b + c, for a residual [M, N] and a bias [N]', async () => {
    await backend('cpu');
    const a = tf.randomNormal([5, 3], 0, 1, 'float32', 1);
    const b = tf.randomNormal([3, 4], 0, 1, 'float32', 2);
    for (const c of [tf.randomNormal([5, 4], 0, 1, 'float32', 3), tf.randomNormal([4], 0, 1, 'float32', 4)]) {
      const w = tf.randomNormal([5, 4], 0, 1, 'float32', 5); // a weighted sum, so each output's gradient differs
      const loss = (f: (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(f(x, y, z), w));
      const want = tf.grads(loss((x, y, z) => tf.add(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), z)))([a, b, c]);
      const got = tf.grads(loss(mmAddFlags))([a, b, c]);
      expect(Array.from(await mmAddFlags(a, b, c).data())).toEqual(Array.from(await tf.add(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), c).data()));
      for (const [i, g] of got.entries()) {
        expect(g.shape).toEqual(want[i].shape);
        for (const [j, v] of (await g.data()).entries()) expect(v).toBeCloseTo((await want[i].data())[j], 5);
      }
      // backend kernels only (the profile also lists the op wrappers); reshapes dispatch nothing
      const kernels = (await tf.profile(() => mmAddFlags(a, b, c))).kernels.map((k) => k.name).filter((k) => k !== 'Reshape' && tf.getKernel(k, 'cpu') !== undefined);
      expect(kernels).toEqual(['_FusedMatMul']);
    }
  });
});

describe('kernels per decoded token', () => {
  it('the fused decoder runs one kernel per token read back (one per generation at WebGPU\'s default), ≥ 10× fewer than the unfused KV-cached path', async () => {
    await backend('cpu');
    const model = tinyModel(6);
    const prompts = [[1, 5, 6, 7], [1, 8], [1, 9, 10, 11, 12, 13], [1, 3]];
    const maxNewTokens = 12;
    const count = async (fused: boolean, readEvery?: number) => (await tf.profile(async () => void (await generate(model, prompts, { maxNewTokens, temperature: 1, rng: new Rng(1), fused, readEvery })))).kernels;
    const fused = await count(true, 1);
    const unfused = await count(false);
    const decodes = fused.filter((k) => k.name === DECODE_KERNEL).length;
    const whole = (await count(true, maxNewTokens)).filter((k) => k.name === DECODE_KERNEL).length;
    console.log(`kernels for ${prompts.length} rows × ≤ ${maxNewTokens} tokens: fused ${fused.length} (${decodes} decode; ${whole} when one call decodes all), unfused ${unfused.length}`);
    expect(decodes).toBeGreaterThan(0);
    expect(decodes).toBeLessThanOrEqual(maxNewTokens); // the prompt's columns ride with the first token's call
    expect(whole).toBe(1);
    expect(fused.length * 10).toBeLessThanOrEqual(unfused.length);
    model.dispose();
  });
});
