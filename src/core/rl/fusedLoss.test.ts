// The fused RL loss on cpu (its JS twin; the WGSL programs: fusedLossWebGPU.test.ts) against the tfjs ops it
// replaces: values and gradients for every aggregation and option, no NaN from masked garbage, no leaks,
// and lossTensors' gradients w.r.t. the weights the same with and without the fused ops.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, tinyModel } from '../../test/setup';
import { setFusedOps } from '../kernels/fusedOps';
import { AGGREGATIONS, lossAgreement, tokenLogProbsAgreement, lossConfig, lossFixture, VARIANTS } from './fusedLossTesting';
import { fusedLossTensors } from './fusedLoss';
import { lossTensors } from './loss';

beforeAll(() => backend('cpu'));
afterAll(() => setFusedOps(true));

describe('fused RL loss on cpu equals the tfjs ops', () => {
  for (const aggregation of AGGREGATIONS) {
    for (const variant of VARIANTS) {
      it(`${aggregation}, ${variant}`, async () => {
        const r = await lossAgreement(aggregation.length * 7 + variant.length, aggregation, variant);
        expect(r.worst, r.names.map((n, i) => `${n} ${r.errors[i]}`).join(', ')).toBeLessThan(1e-5);
      });
    }
  }

  it('no NaN from garbage at masked positions, no leaked tensors', async () => {
    const { logits, batch } = await lossFixture(3, 'kl');
    const before = tf.memory().numTensors;
    const [loss, g] = tf.tidy(() => {
      const grad = tf.grad((x: tf.Tensor) => fusedLossTensors(x as tf.Tensor3D, batch, lossConfig('token-mean', 'kl')).loss)(logits);
      return [fusedLossTensors(logits, batch, lossConfig('token-mean', 'kl')).loss, grad];
    });
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([loss, g]);
    expect(tf.memory().numTensors).toBe(before);
    logits.dispose();
  });

  it('lossTensors: the same loss and weight gradients with the fused ops on and off', async () => {
    const model = tinyModel(11);
    const { logits, batch } = await lossFixture(5, 'luffy-clip');
    logits.dispose();
    const c = lossConfig('seq-mean-token-mean', 'luffy-clip');
    const run = (on: boolean) => {
      setFusedOps(on);
      const { value, grads } = tf.variableGrads(() => lossTensors(model, batch, c).loss, model.trainable());
      const out = [value.dataSync()[0], ...Object.keys(grads).sort().map((k) => Array.from(grads[k].dataSync()))] as [number, ...number[][]];
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    const [fl, ...fg] = run(true);
    const [ul, ...ug] = run(false);
    expect(Math.abs(fl - ul)).toBeLessThan(1e-5 * Math.abs(ul));
    fg.forEach((g, k) => {
      const scale = Math.max(...ug[k].map(Math.abs));
      expect(Math.max(...g.map((v, i) => Math.abs(v - ug[k][i]))) / scale).toBeLessThan(1e-4);
    });
  });

  it('fusedTokenLogProbs equals tokenLogProbs', async () => {
    expect(await tokenLogProbsAgreement(9)).toBeLessThan(1e-5);
  });
});
