// Checkpoints through tfjs io handlers: the same artifacts go to files (CLI), http (the shipped base
// model), IndexedDB or a browser download. Metadata is validated with zod so a corrupt or foreign
// file is refused with a readable message before any weight is touched.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { GPT, type GPTConfig } from './model';
import { TASKS } from './tasks/registry';
import type { Task } from './tasks/task';
import { VOCAB } from './vocab';

export const CHECKPOINT_FORMAT = 'repo-playground-gpt/1';

const metaSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  vocab: z.literal(VOCAB, { message: 'the checkpoint was made for a different vocabulary' }),
  gpt: z.object({
    vocabSize: z.number().int().positive(),
    dModel: z.number().int().positive(),
    nLayer: z.number().int().positive(),
    nHead: z.number().int().positive(),
    dFF: z.number().int().positive(),
    maxLen: z.number().int().positive(),
  }),
  // The task (and so the prompt layout) the weights were trained for; a model is meaningless without it.
  task: z.string().refine((n) => n in TASKS, { message: `unknown task (this build knows ${Object.keys(TASKS).join(', ')})` }),
  note: z.record(z.string(), z.unknown()).optional(),
});
export type CheckpointMeta = z.infer<typeof metaSchema>;

export class CheckpointError extends Error {}

export async function saveModel(model: GPT, handler: tf.io.IOHandler, meta: Omit<CheckpointMeta, 'format' | 'vocab' | 'gpt'>): Promise<void> {
  const named: tf.NamedTensorMap = {};
  for (const [name, w] of model.weights) named[name] = w;
  const { data, specs } = await tf.io.encodeWeights(named);
  const full: CheckpointMeta = { format: CHECKPOINT_FORMAT, vocab: VOCAB, gpt: model.cfg, ...meta };
  if (!handler.save) throw new CheckpointError('this destination cannot be written to');
  await handler.save({
    modelTopology: full as unknown as object,
    format: CHECKPOINT_FORMAT,
    generatedBy: 'repo-playground',
    weightSpecs: specs,
    weightData: data,
  });
}

/** Reads and validates a checkpoint; throws CheckpointError with a one-line reason. */
export async function loadModel(handler: tf.io.IOHandler, seed = 0): Promise<{ model: GPT; meta: CheckpointMeta; task: Task }> {
  if (!handler.load) throw new CheckpointError('this source cannot be read');
  let art: tf.io.ModelArtifacts;
  try {
    art = await handler.load();
  } catch (e) {
    throw new CheckpointError(`could not read the checkpoint: ${(e as Error).message}`);
  }
  const parsed = metaSchema.safeParse(art.modelTopology);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CheckpointError(`not a RePO Playground checkpoint (${issue.path.join('.') || 'metadata'}: ${issue.message})`);
  }
  const meta = parsed.data;
  if (!art.weightSpecs || !art.weightData) throw new CheckpointError('the checkpoint has no weights');
  const data = art.weightData instanceof ArrayBuffer ? art.weightData : tf.io.concatenateArrayBuffers(art.weightData);
  const expected = art.weightSpecs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (data.byteLength !== expected) {
    throw new CheckpointError(`the weight data is ${data.byteLength} bytes but the manifest needs ${expected} (truncated or corrupt file)`);
  }
  // NaN/Inf check on the raw float32 bytes, before any tensor exists: a synchronous GPU readback
  // (dataSync) per weight is slow on WebGPU and, in Chromium's worker, broke the device.
  let offset = 0;
  for (const s of art.weightSpecs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const view = new Float32Array(data, offset, n);
    offset += 4 * n;
    for (let i = 0; i < n; i++) if (!Number.isFinite(view[i])) throw new CheckpointError(`weight ${s.name} holds NaN or Inf`);
  }
  const tensors = tf.io.decodeWeights(data, art.weightSpecs);
  try {
    const init = new Map(Object.entries(tensors));
    const model = new GPT(meta.gpt as GPTConfig, seed, init);
    const missing = [...model.weights.keys()].filter((k) => !init.has(k));
    if (missing.length) {
      model.dispose();
      throw new CheckpointError(`the checkpoint lacks weights: ${missing.slice(0, 3).join(', ')}`);
    }
    for (const [name, w] of model.weights) {
      const t = init.get(name)!;
      if (t.shape.join() !== w.shape.join()) {
        model.dispose();
        throw new CheckpointError(`weight ${name} has shape [${t.shape}] but the config needs [${w.shape}]`);
      }
    }
    return { model, meta, task: TASKS[meta.task] };
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

/** Copies b's weights into a (same architecture). Used to reset and to refresh a frozen copy. */
export function copyWeights(dst: GPT, src: GPT): void {
  for (const [name, w] of dst.weights) w.assign(src.weights.get(name)!);
}
