// The fused layer norm, bias + GELU and RoPE (JS twins on cpu) against tfjs's unfused ops: values and
// gradients alone and inside GPT.forward, fewer kernels, no leaked tensors; wasm keeps the unfused ops.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, tinyModel } from '../../test/setup';
import { DEFAULT_GPT, GPT } from '../model';
import { fusedOpsActive, setFusedOps } from './fusedOps';
import { COLUMN_SUM_KERNEL, GELU_DX_KERNEL, GELU_KERNEL, LN_DGAMMA_KERNEL, LN_DX_KERNEL, LN_KERNEL } from './fusedOpNames';
import { ATTN_SOFTMAX_GRAD_KERNEL, ATTN_SOFTMAX_KERNEL } from './attnSoftmax';
import { QKV_HEADS_GRAD_KERNEL, QKV_HEADS_KERNEL } from './qkvHeads';
import { kernelsIn } from '../callCounter';
import { modelAgreement, opAgreement, randomBatch } from './fusedOpsTesting';

const FUSED_KERNELS = [LN_KERNEL, LN_DX_KERNEL, LN_DGAMMA_KERNEL, COLUMN_SUM_KERNEL, GELU_KERNEL, GELU_DX_KERNEL, QKV_HEADS_KERNEL, QKV_HEADS_GRAD_KERNEL, ATTN_SOFTMAX_KERNEL, ATTN_SOFTMAX_GRAD_KERNEL]; // GPT.forward's RoPE runs inside the qkv head split

/** Names of the kernels that one forward and its gradient run, each once. */
async function kernelNames(model: GPT): Promise<Set<string>> {
  const b = randomBatch(4, 3);
  const info = await tf.profile(() => {
    tf.tidy(() => {
      const tokens = tf.tensor2d(b.inputs, [b.n, b.width], 'int32');
      const mask = tf.tensor2d(b.keyMask, [b.n, b.width]);
      tf.variableGrads(() => tf.sum(model.forward(tokens, mask).logits) as tf.Scalar, model.trainable());
    });
  });
  return new Set(info.kernels.map((k) => k.name));
}

/** Kernels of one scoring forward and of one forward + gradient, on a batch of 4 ragged rows. */
function kernelsPerPass(model: GPT): { forward: number; update: number } {
  const b = randomBatch(6, 4);
  return tf.tidy(() => {
    const tokens = tf.tensor2d(b.inputs, [b.n, b.width], 'int32');
    const mask = tf.tensor2d(b.keyMask, [b.n, b.width]);
    return {
      forward: kernelsIn(() => model.forward(tokens, mask)),
      update: kernelsIn(() => tf.variableGrads(() => tf.sum(model.forward(tokens, mask).logits) as tf.Scalar, model.trainable())),
    };
  });
}

describe('fused layer norm, bias + GELU and RoPE on cpu', () => {
  afterAll(() => backend('wasm'));

  it('alone: values and every gradient within 1e-5 of the unfused ops\' scale', async () => {
    await backend('cpu');
    for (const seed of [1, 2]) {
      const r = await opAgreement(seed);
      console.log(`cpu op agreement (seed ${seed}): ${Object.entries(r).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')}`);
      expect(Object.keys(r)).toHaveLength(9);
      for (const [k, v] of Object.entries(r)) expect(v, k).toBeLessThanOrEqual(1e-5);
    }
  });

  it('inside GPT.forward: logits and every weight\'s gradient within 1e-5, for the default sizes and a tiny model', async () => {
    await backend('cpu');
    for (const m of [new GPT(DEFAULT_GPT, 3), tinyModel(4)]) {
      const r = await modelAgreement(m, 9, 5);
      console.log(`cpu d=${m.cfg.dModel}: logits ${r.logits.toExponential(2)}, gradients ${r.grads.toExponential(2)} (worst: ${r.worst})`);
      expect(r.logits).toBeLessThanOrEqual(1e-5);
      expect(r.grads).toBeLessThanOrEqual(1e-5);
      m.dispose();
    }
  });

  it('runs every fused kernel, and far fewer kernels per forward and per gradient pass', async () => {
    await backend('cpu');
    const m = tinyModel(5); // 2 layers: 5 layer norms, 2 GELUs, 4 RoPEs
    const names = await kernelNames(m);
    for (const k of FUSED_KERNELS) expect(names.has(k), k).toBe(true);
    const fused = kernelsPerPass(m);
    setFusedOps(false);
    const unfused = kernelsPerPass(m);
    setFusedOps(true);
    console.log(`cpu, tiny model: kernels per forward ${unfused.forward} → ${fused.forward}, per forward + gradient ${unfused.update} → ${fused.update}`);
    // Each layer norm saves ≥ 8 forward kernels and ≥ 20 in all; each bias + GELU ≥ 5 and ≥ 12; each RoPE ≥ 5 and ≥ 7.
    expect(fused.forward).toBeLessThanOrEqual(unfused.forward - (5 * 8 + 2 * 5 + 4 * 5));
    expect(fused.update).toBeLessThanOrEqual(unfused.update - (5 * 20 + 2 * 12 + 4 * 7));
    m.dispose();
  });

  it('leaves no tensors behind over repeated training steps', async () => {
    await backend('cpu');
    const m = tinyModel(6);
    const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
    const b = randomBatch(7, 4);
    const step = () =>
      tf.tidy(() => {
        const tokens = tf.tensor2d(b.inputs, [b.n, b.width], 'int32');
        const mask = tf.tensor2d(b.keyMask, [b.n, b.width]);
        opt.minimize(() => tf.mean(tf.square(m.forward(tokens, mask).logits)) as tf.Scalar);
      });
    step(); // Adam creates its slots once
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      step();
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual([counts[0], counts[0], counts[0]]);
    opt.dispose();
    m.dispose();
  });
});

describe('wasm keeps the unfused ops', () => {
  it('runs none of the fused kernels, whatever setFusedOps says', async () => {
    await backend('wasm');
    expect(fusedOpsActive()).toBe(false);
    const m = tinyModel(8);
    const names = await kernelNames(m);
    for (const k of FUSED_KERNELS) expect(names.has(k), k).toBe(false);
    expect(names.has('Sigmoid')).toBe(true); // the unfused GELU ran
    m.dispose();
  });
});
