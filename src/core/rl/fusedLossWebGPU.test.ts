// The fused RL loss as WGSL programs in Node (Dawn's WebGPU; SwiftShader where no GPU) against tfjs-webgpu's
// ops: values and gradients for every aggregation and option, no leaked tensors, no WebGPU validation
// error. Skipped, with the reason, without an adapter.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupNodeWebGPU } from '../../cli/webgpuNode';
import { checkedOnWebGPU, useBackend } from '../backend';
import { AGGREGATIONS, lossAgreement, tokenLogProbsAgreement, lossConfig, lossFixture, VARIANTS } from './fusedLossTesting';
import { fusedLossTensors } from './fusedLoss';

let skip = '';
try {
  await setupNodeWebGPU();
  if (!(await useBackend('webgpu'))) skip = 'tfjs webgpu backend did not start';
} catch (e) {
  skip = (e as Error).message;
}
if (skip) console.log(`skipping the fused RL loss WebGPU tests: ${skip}`);

describe.skipIf(!!skip)('fused RL loss on webgpu equals the tfjs ops', () => {
  for (const aggregation of AGGREGATIONS) {
    for (const variant of VARIANTS) {
      it(`${aggregation}, ${variant}`, async () => {
        const r = await checkedOnWebGPU(() => lossAgreement(aggregation.length * 7 + variant.length, aggregation, variant));
        expect(r.worst, r.names.map((n, i) => `${n} ${r.errors[i]}`).join(', ')).toBeLessThan(1e-5);
      });
    }
  }

  it('5 dispatches forward and 1 for the gradient, no NaN from masked garbage, no leaks', async () => {
    const { logits, batch } = await lossFixture(3, 'kl');
    const c = lossConfig('token-mean', 'kl');
    const b = tf.backend() as unknown as { runWebGPUProgram: (...args: unknown[]) => unknown };
    const original = b.runWebGPUProgram;
    let dispatches = 0;
    b.runWebGPUProgram = function (this: unknown, ...args: unknown[]) {
      dispatches++;
      return original.apply(this, args);
    };
    const before = tf.memory().numTensors;
    let g: tf.Tensor;
    try {
      g = tf.tidy(() => tf.grad((x: tf.Tensor) => fusedLossTensors(x as tf.Tensor3D, batch, c).loss)(logits));
    } finally {
      b.runWebGPUProgram = original;
    }
    expect(dispatches).toBe(6);
    expect(Array.from(await g.data()).every(Number.isFinite)).toBe(true);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    logits.dispose();
  });

  it('fusedTokenLogProbs equals tokenLogProbs', async () => {
    expect(await checkedOnWebGPU(() => tokenLogProbsAgreement(9))).toBeLessThan(1e-5);
  });
});
