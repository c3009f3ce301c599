// Checkpoints through tfjs io handlers: the same artifacts go to files (CLI), http (the shipped base
// model), IndexedDB or a browser download. Metadata is validated with zod and the weights against the
// config, their checksum and finiteness, so a corrupt or foreign file is refused with one readable line
// ("checkpoint <label>: <reason>") before any tensor exists.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { byteLength, checkSpecs, firstNonFinite, MAX_LEN, MAX_PARAMS, paramCount } from './checkpointCheck';
import { GPT, type GPTConfig } from './model';
import { sha256Hex } from './sha256';
import { TASKS } from './tasks/registry';
import type { Task } from './tasks/task';
import { VOCAB, VOCAB_SIZE } from './vocab';

export const CHECKPOINT_FORMAT = 'repo-playground-gpt/1';

const dim = z.number().int().positive();
const gptSchema = z
  .object({ vocabSize: dim, dModel: dim, nLayer: dim, nHead: dim, dFF: dim, maxLen: dim })
  .refine((g) => g.vocabSize === VOCAB_SIZE, { message: `vocabSize must be ${VOCAB_SIZE}, the size of this vocabulary` })
  .refine((g) => g.dModel % g.nHead === 0 && (g.dModel / g.nHead) % 2 === 0, { message: 'dModel / nHead must be an even whole number (rotary positions)' })
  .refine((g) => g.maxLen <= MAX_LEN, { message: `maxLen above ${MAX_LEN}` })
  .refine((g) => paramCount(g) <= MAX_PARAMS, { message: `the model is larger than this build loads (${MAX_PARAMS} parameters)` });

const metaSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  vocab: z.literal(VOCAB, { message: 'the checkpoint was made for a different vocabulary' }),
  gpt: gptSchema,
  // The task (and so the prompt layout) the weights were trained for; a model is meaningless without it.
  task: z.string().refine((n) => Object.hasOwn(TASKS, n), { message: `unknown task (this build knows ${Object.keys(TASKS).join(', ')})` }),
  // SHA-256 of the weight bytes (what `sha256sum weights.bin` prints). Absent in checkpoints saved before
  // checksums existed: those still load, with a warning, since nothing can tell their bytes are intact.
  weightsSha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lower-case hex digits' }).optional(),
  note: z.record(z.string(), z.unknown()).optional(),
});
export type CheckpointMeta = z.infer<typeof metaSchema>;

export class CheckpointError extends Error {}

/** Error text from anywhere (a handler, the file system, zod) as one bounded line. */
export function oneLineReason(e: unknown): string {
  const text = (e instanceof Error ? e.message : String(e)).replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

const bytesOf = (d: tf.io.WeightData) => (d instanceof ArrayBuffer ? d : tf.io.concatenateArrayBuffers(d));

export async function saveModel(model: GPT, handler: tf.io.IOHandler, meta: Omit<CheckpointMeta, 'format' | 'vocab' | 'gpt' | 'weightsSha256'>): Promise<void> {
  if (!handler.save) throw new CheckpointError('this destination cannot be written to');
  const named: tf.NamedTensorMap = {};
  for (const [name, w] of model.weights) named[name] = w;
  const { data, specs } = await tf.io.encodeWeights(named);
  const bytes = bytesOf(data);
  // A model that diverged would be refused on load anyway; better to say so now than to write it.
  const bad = firstNonFinite(bytes, specs);
  if (bad) throw new CheckpointError(`not saved: weight ${bad} holds NaN or Inf`);
  const full: CheckpointMeta = { format: CHECKPOINT_FORMAT, vocab: VOCAB, gpt: model.cfg, ...meta, weightsSha256: await sha256Hex(bytes) };
  await handler.save({
    modelTopology: full as unknown as object,
    format: CHECKPOINT_FORMAT,
    generatedBy: 'repo-playground',
    weightSpecs: specs,
    weightData: bytes,
  });
}

export interface Loaded {
  model: GPT;
  meta: CheckpointMeta;
  task: Task;
  /** Set when the checkpoint carries no checksum: one line to show as a warning or notice. */
  warning?: string;
}

/**
 * Reads and validates a checkpoint; throws CheckpointError with one line, "checkpoint <label>: <reason>".
 * Every Node and browser path (files, http, IndexedDB, picked files, memory) comes through here.
 */
export async function loadModel(handler: tf.io.IOHandler, opts: { label?: string; seed?: number } = {}): Promise<Loaded> {
  const head = `checkpoint${opts.label ? ` ${opts.label}` : ''}`;
  const bad = (reason: string) => new CheckpointError(`${head}: ${oneLineReason(reason)}`);
  if (!handler.load) throw bad('this source cannot be read');
  let art: tf.io.ModelArtifacts;
  try {
    art = await handler.load();
  } catch (e) {
    throw bad(`could not be read (${oneLineReason(e)})`);
  }
  const parsed = metaSchema.safeParse(art?.modelTopology);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(`not a RePO Playground checkpoint (${issue.path.join('.') || 'metadata'}: ${issue.message})`);
  }
  const meta = parsed.data;
  if (!art.weightSpecs || !art.weightData) throw bad('the checkpoint has no weights');
  const checked = checkSpecs(art.weightSpecs, meta.gpt);
  if ('problem' in checked) throw bad(checked.problem);
  const { specs } = checked;
  const okData = art.weightData instanceof ArrayBuffer || (Array.isArray(art.weightData) && art.weightData.every((b) => b instanceof ArrayBuffer));
  if (!okData) throw bad('the weight data is not a byte buffer');
  const data = bytesOf(art.weightData);
  const expected = byteLength(specs);
  if (data.byteLength !== expected) throw bad(`the weight data is ${data.byteLength} bytes but the manifest needs ${expected} (truncated or corrupt file)`);
  let warning: string | undefined;
  if (meta.weightsSha256 === undefined) {
    warning = `${head} has no weights checksum (saved before checksums existed), so damage to its weights cannot be detected; save it again or run npm run stamp-checkpoint on it`;
  } else if ((await sha256Hex(data)) !== meta.weightsSha256) {
    throw bad('weights do not match their checksum (corrupted or edited)');
  }
  // NaN/Inf check on the raw float32 bytes, before any tensor exists: a synchronous GPU readback
  // (dataSync) per weight is slow on WebGPU and, in Chromium's worker, broke the device.
  const nonFinite = firstNonFinite(data, specs);
  if (nonFinite) throw bad(`weight ${nonFinite} holds NaN or Inf`);
  const tensors = tf.io.decodeWeights(data, art.weightSpecs);
  try {
    // Names and shapes were checked against the config above, so every weight is given and fits.
    const model = new GPT(meta.gpt as GPTConfig, opts.seed ?? 0, new Map(Object.entries(tensors)));
    return { model, meta, task: TASKS[meta.task], warning };
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

/** Copies b's weights into a (same architecture). Used to reset and to refresh a frozen copy. */
export function copyWeights(dst: GPT, src: GPT): void {
  for (const [name, w] of dst.weights) w.assign(src.weights.get(name)!);
}
