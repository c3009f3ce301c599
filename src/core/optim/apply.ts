// One step of whichever optimiser a caller holds. The trainer, the probe and the benches use FusedAdam;
// a plain tf.Optimizer is still accepted for callers that build their own (pretraining through
// supervisedStep, a few tests), and for it the clipping multiply stays a separate tfjs op.
import * as tf from '@tensorflow/tfjs';
import { FusedAdam } from './fusedAdam';

export type Optimiser = FusedAdam | tf.Optimizer;

/** Applies `grads` × `scale` (global-norm clipping; 1 for none). The caller keeps and disposes `grads`. */
export function applyScaled(opt: Optimiser, grads: tf.NamedTensorMap, scale: number): void {
  if (opt instanceof FusedAdam) {
    opt.applyGradients(grads, scale);
    return;
  }
  const scaled = tf.tidy(() => {
    const out: tf.NamedTensorMap = {};
    for (const [k, g] of Object.entries(grads)) out[k] = tf.mul(g, scale);
    return out;
  });
  opt.applyGradients(scaled);
  tf.dispose(scaled);
}
