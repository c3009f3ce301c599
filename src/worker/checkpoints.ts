// Checkpoint sources and sinks for the worker: http (the shipped base), IndexedDB, user files, and
// downloads (built here as bytes and handed to the page, since a worker has no document to click).
import * as tf from '@tensorflow/tfjs';
import { CheckpointError, loadModel, oneLineReason, saveModel } from '../core/checkpoint';
import type { GPT } from '../core/model';
import type { Task } from '../core/tasks/task';
import type { Trainer } from '../core/trainer';
import type { CheckpointSource } from './protocol';

const IDB = 'indexeddb://';

export function sourceLabel(s: CheckpointSource): string {
  if (s.kind === 'url') return s.label;
  if (s.kind === 'indexeddb') return `${IDB}${s.name}`;
  return s.files.map((f) => f.name).join(' + ');
}

function idb(h: tf.io.IOHandler | undefined): tf.io.IOHandler {
  if (!h) throw new CheckpointError('IndexedDB is not available in this browser');
  return h;
}

function loadHandler(s: CheckpointSource): tf.io.IOHandler {
  if (s.kind === 'url') return tf.io.http(s.url);
  if (s.kind === 'indexeddb') return idb(tf.io.getLoadHandlers(`${IDB}${s.name}`)[0]);
  const json = s.files.find((f) => f.name.endsWith('.json'));
  const bins = s.files.filter((f) => f !== json);
  if (!json) throw new CheckpointError('choose the model .json file together with its weights .bin file');
  if (bins.length === 0) throw new CheckpointError(`${json.name} needs its weights file too (choose both files)`);
  return tf.io.browserFiles([json, ...bins]);
}

/** tf.io.browserFiles parses the .json in a FileReader callback, where a syntax error is thrown outside any
 *  promise (an uncaught error: the page would take the worker for crashed). So it is parsed here first. */
async function parsesAsJson(s: CheckpointSource): Promise<void> {
  const json = s.kind === 'files' ? s.files.find((f) => f.name.endsWith('.json')) : undefined;
  if (!json) return;
  try {
    JSON.parse(await json.text());
  } catch (e) {
    throw new CheckpointError(`${json.name} is not JSON (${oneLineReason(e)})`);
  }
}

/**
 * Loads and validates a checkpoint. Returns the model and the raw artifacts, which the host keeps
 * so that a reset or a backend switch can rebuild the start model without reading the source again,
 * and `warning` for a checkpoint without a weights checksum (the host shows it as a notice).
 * Errors are one line: "checkpoint <label>: <reason>".
 */
export async function readCheckpoint(s: CheckpointSource): Promise<{ model: GPT; task: Task; artifacts: tf.io.ModelArtifacts; warning?: string }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  const label = sourceLabel(s);
  let inner: tf.io.IOHandler;
  try {
    inner = loadHandler(s);
    await parsesAsJson(s);
  } catch (e) {
    throw new CheckpointError(`checkpoint ${label}: ${oneLineReason(e)}`);
  }
  const capturing: tf.io.IOHandler = {
    load: async () => {
      artifacts = await inner.load!();
      return artifacts;
    },
  };
  const { model, task, warning } = await loadModel(capturing, { label });
  return { model, task, artifacts: artifacts!, warning };
}

export async function rebuild(artifacts: tf.io.ModelArtifacts): Promise<GPT> {
  return (await loadModel(tf.io.fromMemory(artifacts))).model;
}

export async function saveToIndexedDB(model: GPT, task: Task, name: string, note: Record<string, unknown>): Promise<void> {
  await saveModel(model, idb(tf.io.getSaveHandlers(`${IDB}${name}`)[0]), { task: task.name, note });
}

/** The same two files tf.io.browserDownloads writes: `<name>.json` naming `./<name>.weights.bin`. */
export async function downloadArtifacts(model: GPT, task: Task, name: string, note: Record<string, unknown>): Promise<{ modelJson: string; weights: ArrayBuffer }> {
  let out: { modelJson: string; weights: ArrayBuffer } | undefined;
  const sink = tf.io.withSaveHandler(async (art) => {
    const data = art.weightData instanceof ArrayBuffer ? art.weightData : tf.io.concatenateArrayBuffers(art.weightData as ArrayBuffer[]);
    const json = {
      modelTopology: art.modelTopology,
      format: art.format,
      generatedBy: art.generatedBy,
      weightsManifest: [{ paths: [`./${name}.weights.bin`], weights: art.weightSpecs }],
    };
    out = { modelJson: JSON.stringify(json), weights: data };
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(art) };
  });
  await saveModel(model, sink, { task: task.name, note });
  return out!;
}

export async function listSaved(): Promise<string[]> {
  const all = await tf.io.listModels();
  return Object.keys(all)
    .filter((k) => k.startsWith(IDB))
    .map((k) => k.slice(IDB.length))
    .sort();
}

export async function removeSaved(name: string): Promise<void> {
  await tf.io.removeModel(`${IDB}${name}`);
}

/** Saves a run's policy to IndexedDB, or returns its two files' bytes for the page to download. */
export async function saveRun(t: Trainer | undefined, target: 'indexeddb' | 'download', name: string, from: string) {
  if (!t) throw new Error('no run to save yet');
  const note = { from, algo: t.config.algo, step: t.step, seed: t.config.seed, savedAt: new Date().toISOString() };
  if (target === 'indexeddb') {
    await saveToIndexedDB(t.policy, t.task, name, note);
    return { target, name };
  }
  return { target, name, download: await downloadArtifacts(t.policy, t.task, name, note) };
}
