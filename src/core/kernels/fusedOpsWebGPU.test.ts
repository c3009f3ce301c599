// The fused layer norm, bias + GELU and RoPE as WGSL programs in Node (Dawn's WebGPU; SwiftShader where no
// GPU) against tfjs-webgpu's unfused ops: values and gradients alone and inside GPT.forward, fewer GPU
// dispatches, no leaked tensors, no WebGPU validation error. Skipped, with the reason, without an adapter.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyModel } from '../../test/setup';
import { checkedOnWebGPU, useBackend } from '../backend';
import type { GPT } from '../model';
import { fusedOpsActive, setFusedOps } from './fusedOps';
import { attentionAgreement } from './attentionTesting';
import { modelAgreement, opAgreement, randomBatch } from './fusedOpsTesting';
import { startNodeWebGPU } from '../../test/nodeWebGPU';
import { dispatchesIn } from '../callCounter';

const skip = await startNodeWebGPU('the fused row kernel WebGPU tests');

/** Dispatches of one forward + gradient on a batch of 4 ragged rows. */
function dispatchesPerUpdate(model: GPT): number {
  const b = randomBatch(6, 4);
  return tf.tidy(() => {
    const tokens = tf.tensor2d(b.inputs, [b.n, b.width], 'int32');
    const mask = tf.tensor2d(b.keyMask, [b.n, b.width]);
    return dispatchesIn(() => tf.variableGrads(() => tf.sum(model.forward(tokens, mask).logits) as tf.Scalar, model.trainable()));
  });
}

describe.skipIf(!!skip)('fused layer norm, bias + GELU and RoPE on WebGPU', () => {
  afterAll(() => useBackend('wasm'));

  it('alone: values and every gradient within 1e-5 of the unfused ops\' scale', async () => {
    await useBackend('webgpu');
    expect(fusedOpsActive()).toBe(true);
    const r = await checkedOnWebGPU(() => opAgreement(1));
    console.log(`webgpu op agreement: ${Object.entries(r).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')}`);
    expect(Object.keys(r)).toHaveLength(9);
    for (const [k, v] of Object.entries(r)) expect(v, k).toBeLessThanOrEqual(1e-5);
  });

  it('attention softmax and qkv head split: values and gradients within 1e-5, masked weights exactly 0', async () => {
    await useBackend('webgpu');
    const r = await checkedOnWebGPU(() => attentionAgreement(5));
    console.log(`webgpu attention agreement: ${Object.entries(r).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')}`);
    for (const k of ['softmax', 'softmaxGrad', 'heads', 'headsGrad'] as const) expect(r[k], k).toBeLessThanOrEqual(1e-5);
    expect(r.maskedWeight).toBe(0);
  });

  it('inside GPT.forward: logits and every weight\'s gradient within 1e-5, with fewer dispatches and no leaks', async () => {
    await useBackend('webgpu');
    const m = tinyModel(4);
    const r = await checkedOnWebGPU(() => modelAgreement(m, 9, 3));
    console.log(`webgpu d=${m.cfg.dModel}: logits ${r.logits.toExponential(2)}, gradients ${r.grads.toExponential(2)} (worst: ${r.worst})`);
    expect(r.logits).toBeLessThanOrEqual(1e-5);
    expect(r.grads).toBeLessThanOrEqual(1e-5);
    const fused = dispatchesPerUpdate(m);
    setFusedOps(false);
    const unfused = dispatchesPerUpdate(m);
    setFusedOps(true);
    console.log(`webgpu, tiny model: GPU dispatches per forward + gradient ${unfused} → ${fused}`);
    expect(fused).toBeLessThanOrEqual(unfused - (5 * 20 + 2 * 12 + 4 * 7)); // 5 layer norms, 2 GELUs, 4 RoPEs
    const before = tf.memory().numTensors;
    await checkedOnWebGPU(() => modelAgreement(m, 10, 3));
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
