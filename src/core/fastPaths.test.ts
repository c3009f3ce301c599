// The speed changes for wasm (issue 7 item 4) must compute the same values as what they replaced.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from './backend';
import { swapHalves } from './ops';

/** The rope of before: split the last axis, rotate, concatenate. */
function ropeBySplit(x: tf.Tensor4D, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor4D {
  const half = x.shape[3] / 2;
  const [x1, x2] = tf.split(x, [half, half], 3);
  return tf.concat([tf.sub(tf.mul(x1, cos), tf.mul(x2, sin)), tf.add(tf.mul(x1, sin), tf.mul(x2, cos))], 3) as tf.Tensor4D;
}

/** The rope of now (model.ts). */
function ropeBySwap(x: tf.Tensor4D, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor4D {
  return tf.add(tf.mul(x, tf.concat([cos, cos], 1)), tf.mul(swapHalves(x), tf.concat([tf.neg(sin), sin], 1))) as tf.Tensor4D;
}

describe.each(['wasm', 'cpu'] as const)('on %s', (backend) => {
  it('swapHalves swaps exactly, and so does its gradient', async () => {
    await useBackend(backend);
    tf.tidy(() => {
      const x = tf.randomNormal([3, 2, 5, 16], 0, 10, 'float32', 4);
      const [a, b] = tf.split(x, 2, 3);
      expect(Array.from(swapHalves(x).dataSync())).toEqual(Array.from(tf.concat([b, a], 3).dataSync()));
      const w = tf.randomNormal([3, 2, 5, 16], 0, 1, 'float32', 5);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(swapHalves(t), w)))(x);
      const [w1, w2] = tf.split(w, 2, 3);
      expect(Array.from(g.dataSync())).toEqual(Array.from(tf.concat([w2, w1], 3).dataSync()));
    });
  });

  it('rope by swap equals rope by split bit for bit, values and gradients', async () => {
    await useBackend(backend);
    tf.tidy(() => {
      const x = tf.randomNormal([4, 4, 7, 16], 0, 2, 'float32', 6) as tf.Tensor4D;
      const ang = tf.outerProduct(tf.range(0, 7), tf.linspace(0.1, 1, 8));
      const [cos, sin] = [tf.cos(ang), tf.sin(ang)] as tf.Tensor2D[];
      expect(Array.from(ropeBySwap(x, cos, sin).dataSync())).toEqual(Array.from(ropeBySplit(x, cos, sin).dataSync()));
      const w = tf.randomNormal(x.shape, 0, 1, 'float32', 7);
      const loss = (f: typeof ropeBySplit) => (t: tf.Tensor) => tf.sum(tf.mul(f(t as tf.Tensor4D, cos, sin), w));
      expect(Array.from(tf.grad(loss(ropeBySwap))(x).dataSync())).toEqual(Array.from(tf.grad(loss(ropeBySplit))(x).dataSync()));
    });
  });
});

describe('wasm Identity and same-dtype Cast share the buffer (wasmKernels.ts)', () => {
  it('give the same values, survive the source being disposed, and leak nothing', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor([1.5, -2, 0, 3.25]);
    const c = tf.clone(x);
    const f = tf.cast(x, 'float32');
    const i = tf.cast(x, 'int32'); // a real conversion still converts
    const mask = tf.tensor([1, 0, 1], undefined, 'bool');
    const b = tf.cast(mask, 'float32');
    tf.dispose([x, mask]);
    expect(Array.from(c.dataSync())).toEqual([1.5, -2, 0, 3.25]);
    expect(Array.from(f.dataSync())).toEqual([1.5, -2, 0, 3.25]);
    expect(Array.from(i.dataSync())).toEqual([1, -2, 0, 3]);
    expect(Array.from(b.dataSync())).toEqual([1, 0, 1]);
    tf.dispose([c, f, i, b]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
