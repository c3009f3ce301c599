// The WebGPU buffer pool's size classes and bound (gpuBufferClasses.ts). The classes themselves are pure;
// the rest runs in Node on Dawn's WebGPU (SwiftShader where no GPU), skipped with the reason without an
// adapter: reads come back at the tensor's size, a slightly larger tensor reuses a freed buffer, the free
// pool stays within its bound, and decoding plus two updates give the same bits with classes as without.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkedOnWebGPU, useBackend } from './backend';
import { poolCounters, sizeClass, useBufferClasses } from './gpuBufferClasses';
import { packBatch } from './model';
import { FusedAdam } from './optim/fusedAdam';
import { probeModel } from './probeModel';
import { update } from './rl/loss';
import { Rng } from './rng';
import { generate } from './sampler';
import { startNodeWebGPU } from '../test/nodeWebGPU';

describe('sizeClass', () => {
  const sizes = [1, 4, 15, 16, 17, 100, 128, 129, 148, 255, 256, 257, 1000, 4096, 4097, 123_456, 9_920_000, 2 ** 27 - 4];
  it('is at least the size, at most 12.5 % more above 128 bytes, a multiple of 16, and its own class', () => {
    for (const s of sizes) {
      const c = sizeClass(s);
      expect(c).toBeGreaterThanOrEqual(s);
      expect(c % 16).toBe(0);
      if (s > 128) expect(c / s).toBeLessThanOrEqual(1.125);
      expect(sizeClass(c)).toBe(c);
    }
  });
  it('is monotone and has eight classes per power of two', () => {
    for (let s = 1; s < 70_000; s += 7) expect(sizeClass(s + 7)).toBeGreaterThanOrEqual(sizeClass(s));
    const classes = new Set(Array.from({ length: 4096 }, (_, i) => sizeClass(4096 + i + 1)));
    expect(classes.size).toBe(8); // (4096, 8192]
  });
});

const skip = await startNodeWebGPU('the WebGPU buffer-pool tests');

/** Decoding and two clipped updates of the probe's model on one fixed batch: tokens, losses, weights. */
async function trainBits(): Promise<{ tokens: number[][]; losses: number[]; norms: number[]; weights: number[][] }> {
  const rng = new Rng(5);
  const N = 6;
  const prompts = Array.from({ length: N }, (_, i) => [1, ...Array.from({ length: 5 + i }, () => rng.int(3, 20))]); // ragged
  const model = probeModel();
  const opt = new FusedAdam(1e-2, 0.9, 0.999, 1e-8);
  try {
    const gen = await generate(model, prompts, { maxNewTokens: 7, temperature: 1, rng: new Rng(2) });
    const responses = gen.tokens.map((t, i) => t.concat([4, 5, 6]).slice(0, 3 + i)); // ragged, never empty
    const packed = packBatch(prompts, responses);
    const L = packed.contWidth;
    const batch = { packed, logpOld: new Float32Array(N * L).fill(-3), logpRef: new Float32Array(N * L).fill(-3.1), advantages: Float32Array.from({ length: N }, (_, i) => i / N - 0.4), offPolicy: new Float32Array(N) };
    const cfg = { epsLow: 0.2, epsHigh: 0.2, beta: 0.1, aggregation: 'token-mean' as const, maxNewTokens: 16 };
    const losses: number[] = [];
    const norms: number[] = [];
    for (let k = 0; k < 2; k++) {
      const r = await update(model, opt, batch, cfg, 0.5); // clipped: the norm is ~1
      losses.push(r.loss);
      norms.push(r.gradNorm);
    }
    const weights = await Promise.all([...model.weights.values()].map(async (w) => Array.from(await w.data())));
    return { tokens: gen.tokens, losses, norms, weights };
  } finally {
    opt.dispose();
    model.dispose();
  }
}

describe.skipIf(!!skip)('the WebGPU buffer pool', () => {
  afterAll(async () => {
    useBufferClasses(true);
    await useBackend('wasm');
  });

  it('reads a tensor back at its own size from a larger class buffer, float32 and int32', async () => {
    await useBackend('webgpu');
    for (const n of [1, 3, 37, 1001]) {
      const x = tf.tidy(() => tf.add(tf.range(0, n, 1, 'float32'), 0.5)); // computed on the GPU: a class buffer
      const i = tf.tidy(() => tf.cast(tf.range(0, n, 1, 'float32'), 'int32'));
      const [xv, iv] = [await x.data(), await i.data()];
      expect(xv.length).toBe(n);
      expect(Array.from(xv)).toEqual(Array.from({ length: n }, (_, k) => k + 0.5));
      expect(Array.from(iv)).toEqual(Array.from({ length: n }, (_, k) => k));
      expect((await x.data()).length).toBe(n); // the cached copy too
      tf.dispose([x, i]);
    }
  });

  it('gives a tensor one token longer the buffer its predecessor freed (tfjs alone makes a new one)', async () => {
    await useBackend('webgpu');
    const base = tf.ones([8, 48, 64]); // uploaded once; the tensors below are computed from it on the GPU
    const created = async (T: number) => {
      const before = poolCounters.created;
      const x = tf.tidy(() => tf.neg(tf.slice(base, [0, 0, 0], [8, T, 64])));
      expect((await x.data()).every((v) => v === -1)).toBe(true); // the read also submits: x's temporaries go back
      tf.dispose(x);
      return poolCounters.created - before;
    };
    await created(41);
    expect(await created(42)).toBe(0); // 86,016 and 88,064 bytes: one class (90,112)
    useBufferClasses(false);
    await created(45); // 92,160 bytes (not a class size, so no class buffer fits it either)
    expect(await created(46)).toBeGreaterThan(0); // exact sizes: 94,208 bytes fits nothing
    useBufferClasses(true);
    tf.dispose(base);
  });

  it('keeps its free buffers within the bound as sizes keep changing, evicting the least recently freed', async () => {
    await useBackend('webgpu');
    const floor = 1 << 20; // 1 MB instead of 64 MB, so a few tensors overflow it
    useBufferClasses(true, floor);
    const evicted = poolCounters.evicted;
    for (let k = 0; k < 40; k++) {
      const x = tf.tidy(() => tf.add(tf.ones([1000 + 997 * k]), k)); // 4 KB … 160 KB, a new class every few
      expect((await x.data())[0]).toBe(1 + k);
      tf.dispose(x);
      const m = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU: number; numBytesInGPU: number }; // tfjs-webgpu's pool
      expect(m.numBytesAllocatedInGPU - m.numBytesInGPU).toBeLessThanOrEqual(Math.max(floor, poolCounters.peakUsedBytes));
    }
    useBufferClasses(true);
    expect(poolCounters.evicted).toBeGreaterThan(evicted);
  });

  it('decodes and trains to the same bits with size classes as with tfjs\'s exact sizes', async () => {
    await useBackend('webgpu');
    useBufferClasses(false); // exact sizes: nothing past a tensor's end to read
    const exact = await checkedOnWebGPU(trainBits);
    useBufferClasses(true); // class sizes, with stale values past each tensor's end in reused buffers
    const classed = await checkedOnWebGPU(trainBits);
    expect(classed.losses.every(Number.isFinite)).toBe(true);
    expect(classed.norms[0]).toBeGreaterThan(0.5); // clipped updates: the weights really moved
    expect(classed).toEqual(exact);
  });
});
