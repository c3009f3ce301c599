import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backend, tinyModel } from '../test/setup';
import { CheckpointError, loadModel, saveModel } from './checkpoint';

async function artifactsOf(): Promise<tf.io.ModelArtifacts> {
  let art: tf.io.ModelArtifacts | undefined;
  const m = tinyModel();
  await saveModel(m, tf.io.withSaveHandler(async (a) => ((art = a), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })), { task: 'addition' });
  m.dispose();
  return art!;
}

describe('checkpoint validation', () => {
  beforeAll(() => backend('cpu'));

  it('round-trips through an io handler', async () => {
    const { model } = await loadModel(tf.io.fromMemory(await artifactsOf()));
    expect(model.numParams).toBeGreaterThan(0);
    model.dispose();
  });

  it('refuses NaN weights, truncated data and foreign metadata with a CheckpointError', async () => {
    const art = await artifactsOf();
    const data = (art.weightData as ArrayBuffer).slice(0);
    new Float32Array(data)[5] = Number.NaN;
    await expect(loadModel(tf.io.fromMemory({ ...art, weightData: data }))).rejects.toThrow(/NaN or Inf/);
    await expect(loadModel(tf.io.fromMemory({ ...art, weightData: data.slice(0, 100) }))).rejects.toThrow(CheckpointError);
    await expect(loadModel(tf.io.fromMemory({ ...art, modelTopology: { format: 'x' } }))).rejects.toThrow(/not a RePO Playground checkpoint/);
    const before = tf.memory().numTensors;
    await loadModel(tf.io.fromMemory({ ...art, weightData: data })).catch(() => undefined);
    expect(tf.memory().numTensors).toBe(before); // a refused file leaves no tensors behind
  });
});
