// The fused attention softmax and qkv head split (JS twins on cpu) against model.ts's unfused ops; the
// WebGPU programs are checked in fusedOpsWebGPU.test.ts with the same helper.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../../test/setup';
import { attentionAgreement } from './attentionTesting';

describe('fused attention kernels on cpu', () => {
  afterAll(() => backend('wasm'));
  it('softmax with the built-in causal and padding bias, and the qkv head split with RoPE: values and gradients within 1e-5, masked weights exactly 0, no leaks', async () => {
    await backend('cpu');
    const before = tf.memory().numTensors;
    const r = await attentionAgreement(3);
    console.log(`cpu attention agreement: ${Object.entries(r).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')}`);
    for (const k of ['softmax', 'softmaxGrad', 'heads', 'headsGrad'] as const) expect(r[k], k).toBeLessThanOrEqual(1e-5);
    expect(r.maskedWeight).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
