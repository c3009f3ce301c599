import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { backend, TINY, tinyModel } from '../test/setup';
import { CheckpointError, loadModel, saveModel, type CheckpointMeta } from './checkpoint';
import { paramCount, weightShapes } from './checkpointCheck';
import { DEFAULT_GPT, GPT } from './model';
import { sha256Hex } from './sha256';

async function artifactsOf(model = tinyModel()): Promise<tf.io.ModelArtifacts> {
  let art: tf.io.ModelArtifacts | undefined;
  await saveModel(model, tf.io.withSaveHandler(async (a) => ((art = a), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })), { task: 'addition' });
  model.dispose();
  return art!;
}

const metaOf = (art: tf.io.ModelArtifacts) => art.modelTopology as unknown as CheckpointMeta;
const load = (art: tf.io.ModelArtifacts) => loadModel(tf.io.fromMemory(art), { label: 'mem' });

/** The artifacts with new weight bytes and a checksum that matches them (an edit that re-stamps). */
async function restamped(art: tf.io.ModelArtifacts, data: ArrayBuffer): Promise<tf.io.ModelArtifacts> {
  return { ...art, weightData: data, modelTopology: { ...metaOf(art), weightsSha256: await sha256Hex(data) } };
}

describe('checkpoint validation', () => {
  beforeAll(() => backend('cpu'));

  it('round-trips, and the saved checksum is the SHA-256 of the weight bytes (what sha256sum prints)', async () => {
    const art = await artifactsOf();
    const bytes = Buffer.from(art.weightData as ArrayBuffer);
    expect(metaOf(art).weightsSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const { model, warning } = await load(art);
    expect(model.numParams).toBe(paramCount(TINY));
    expect(warning).toBeUndefined();
    model.dispose();
  });

  it('refuses a flipped bit as a checksum mismatch, naming the checkpoint in one line', async () => {
    const art = await artifactsOf();
    const data = (art.weightData as ArrayBuffer).slice(0);
    new Uint8Array(data)[1234] ^= 0x04; // a mantissa bit: still a finite, plausible weight
    const err = await load({ ...art, weightData: data }).catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toBe('checkpoint mem: weights do not match their checksum (corrupted or edited)');
  });

  it('loads a checkpoint without a checksum, with a warning', async () => {
    const art = await artifactsOf();
    const { weightsSha256: _, ...old } = metaOf(art);
    const { model, warning } = await load({ ...art, modelTopology: old });
    expect(warning).toMatch(/^checkpoint mem has no weights checksum .* npm run stamp-checkpoint/);
    model.dispose();
  });

  it('refuses NaN weights, truncated data, wrong shapes and foreign metadata; leaves no tensors behind', async () => {
    const art = await artifactsOf();
    const before = tf.memory().numTensors;
    const nan = (art.weightData as ArrayBuffer).slice(0);
    new Float32Array(nan)[5] = Number.NaN;
    await expect(load(await restamped(art, nan))).rejects.toThrow(/^checkpoint mem: weight tok_emb holds NaN or Inf$/);
    await expect(load({ ...art, weightData: nan.slice(0, 100) })).rejects.toThrow(/truncated or corrupt/);
    await expect(load({ ...art, modelTopology: { format: 'x' } })).rejects.toThrow(/^checkpoint mem: not a RePO Playground checkpoint \(format: /);
    await expect(load({ ...art, modelTopology: { ...metaOf(art), task: 'toString' } })).rejects.toThrow(/\(task: unknown task/);
    const specs = art.weightSpecs!.map((s) => (s.name === 'lnf.g' ? { ...s, shape: [TINY.dModel + 1] } : s));
    await expect(load({ ...art, weightSpecs: specs })).rejects.toThrow(`weight lnf.g has shape [${TINY.dModel + 1}] but the config needs [${TINY.dModel}]`);
    await expect(load({ ...art, weightSpecs: art.weightSpecs!.slice(1) })).rejects.toThrow(/lacks weights: tok_emb/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a config too large to load before allocating anything', async () => {
    const art = await artifactsOf();
    const before = tf.memory().numTensors;
    const huge = { ...metaOf(art), gpt: { ...TINY, dModel: 1 << 16, nHead: 4, nLayer: 1000 } };
    await expect(load({ ...art, modelTopology: huge })).rejects.toThrow(/larger than this build loads/);
    await expect(load({ ...art, modelTopology: { ...metaOf(art), gpt: { ...TINY, maxLen: 1e9 } } })).rejects.toThrow(/maxLen above/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('will not save a model with NaN weights', async () => {
    const m = tinyModel();
    m.weights.get('lnf.b')!.assign(tf.fill([TINY.dModel], Number.NaN));
    await expect(artifactsOf(m)).rejects.toThrow('not saved: weight lnf.b holds NaN or Inf');
  });

  it('knows the weights GPT builds (names, shapes, order) for the default and the test configs', () => {
    for (const cfg of [TINY, DEFAULT_GPT]) {
      const m = new GPT(cfg, 1);
      expect([...m.weights].map(([n, w]) => [n, w.shape])).toEqual(weightShapes(cfg));
      expect(m.numParams).toBe(paramCount(cfg));
      m.dispose();
    }
  });
});
