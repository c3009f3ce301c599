// The fused RL loss as WGSL programs in Node (Dawn's WebGPU; SwiftShader where no GPU) against tfjs-webgpu's
// ops: values and gradients for every aggregation and option, no leaked tensors, no WebGPU validation
// error. Skipped, with the reason, without an adapter.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkedOnWebGPU } from '../backend';
import { AGGREGATIONS, lossAgreement, tokenLogProbsAgreement, lossConfig, lossFixture, VARIANTS } from './fusedLossTesting';
import { fusedLossTensors } from './fusedLoss';
import { startNodeWebGPU } from '../../test/nodeWebGPU';
import { dispatchesIn } from '../callCounter';

const skip = await startNodeWebGPU('the fused RL loss WebGPU tests');

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
    const before = tf.memory().numTensors;
    let g!: tf.Tensor;
    const dispatches = dispatchesIn(() => {
      g = tf.tidy(() => tf.grad((x: tf.Tensor) => fusedLossTensors(x as tf.Tensor3D, batch, c).loss)(logits));
    });
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
