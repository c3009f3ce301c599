// Stamps a checkpoint folder with the SHA-256 of its weights (for checkpoints saved before checksums
// existed, such as the shipped base before issue 9). The weights are untouched; only model.json gains
// `weightsSha256`, written under a temporary name and renamed, so a failed stamp leaves the old file.
import * as tf from '@tensorflow/tfjs';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError, loadModel, oneLineReason } from '../core/checkpoint';
import { sha256Hex } from '../core/sha256';
import { fileHandler } from './fsio';

export type StampResult = 'stamped' | 'unchanged' | 'replaced';

export async function stampCheckpoint(dir: string, force = false): Promise<{ result: StampResult; sha256: string }> {
  const bad = (reason: string) => new CheckpointError(`checkpoint ${dir}: ${reason}`);
  let art: tf.io.ModelArtifacts;
  let json: { modelTopology: Record<string, unknown> };
  try {
    art = await fileHandler(dir).load!();
    json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  } catch (e) {
    throw bad(`could not be read (${oneLineReason(e)})`);
  }
  const data = art.weightData instanceof ArrayBuffer ? art.weightData : tf.io.concatenateArrayBuffers(art.weightData!);
  const sha256 = await sha256Hex(data);
  const old = json.modelTopology?.weightsSha256;
  if (old === sha256) return { result: 'unchanged', sha256 };
  if (old !== undefined && !force) throw bad('weights do not match their checksum (corrupted or edited); --force stamps them anyway');
  const modelTopology = { ...json.modelTopology, weightsSha256: sha256 };
  // Everything else must already be a valid checkpoint: a stamp vouches for the whole file.
  (await loadModel(tf.io.fromMemory({ ...art, modelTopology }), { label: dir })).model.dispose();
  const path = join(dir, 'model.json');
  writeFileSync(`${path}.tmp`, JSON.stringify({ ...json, modelTopology }));
  renameSync(`${path}.tmp`, path);
  return { result: old === undefined ? 'stamped' : 'replaced', sha256 };
}
