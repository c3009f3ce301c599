// The probe's model: the default architecture with fixed pseudo-random weights.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_GPT, GPT } from './model';
import { Rng } from './rng';

/** Deterministic weights (not tf.random*, whose streams could differ by backend): the same model everywhere. */
export function probeModel(): GPT {
  const rng = new Rng(12345);
  const shell = new GPT(DEFAULT_GPT, 0); // only for the weight names and shapes
  const init = new Map<string, tf.Tensor>();
  for (const [name, w] of shell.weights) {
    const v = new Float32Array(w.size);
    const isGain = name.endsWith('.g');
    for (let i = 0; i < v.length; i++) v[i] = isGain ? 1 + 0.1 * (rng.float() - 0.5) : 0.2 * (rng.float() - 0.5);
    init.set(name, tf.tensor(v, w.shape));
  }
  shell.dispose();
  const model = new GPT(DEFAULT_GPT, 0, init);
  tf.dispose([...init.values()]);
  return model;
}
