// A tfjs IOHandler for the local file system (tfjs-node, which has one, cannot install here).
// Layout is the standard tfjs one: <dir>/model.json + <dir>/weights.bin, so the browser can load the
// same folder over http. Writes go to temporary names first, so a failed save leaves no half checkpoint.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadModel, type Loaded } from '../core/checkpoint';
import { MAX_PARAMS } from '../core/checkpointCheck';

export function fileHandler(dir: string): tf.io.IOHandler {
  return {
    async save(art: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      mkdirSync(dir, { recursive: true });
      const data = art.weightData instanceof ArrayBuffer ? art.weightData : tf.io.concatenateArrayBuffers(art.weightData as ArrayBuffer[]);
      const json = {
        modelTopology: art.modelTopology,
        format: art.format,
        generatedBy: art.generatedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }],
      };
      writeFileSync(join(dir, 'weights.bin.tmp'), Buffer.from(data));
      writeFileSync(join(dir, 'model.json.tmp'), JSON.stringify(json));
      renameSync(join(dir, 'weights.bin.tmp'), join(dir, 'weights.bin'));
      renameSync(join(dir, 'model.json.tmp'), join(dir, 'model.json'));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(art) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      let json: { modelTopology?: unknown; weightsManifest?: unknown };
      try {
        json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        throw new Error(err.code === 'ENOENT' ? `no checkpoint at ${dir} (model.json missing)` : `model.json is not valid JSON (${err.message})`);
      }
      const groups = typeof json === 'object' && json !== null ? json.weightsManifest : undefined;
      const ok = Array.isArray(groups) && groups.length > 0 && groups.every((g) => Array.isArray(g?.paths) && g.paths.every((p: unknown) => typeof p === 'string') && Array.isArray(g.weights));
      if (!ok) throw new Error('model.json has no valid weightsManifest');
      const manifest = groups as tf.io.WeightsManifestConfig;
      // Shards in manifest order, all inside the checkpoint folder; sizes first, so a huge file is never read.
      const files = manifest.flatMap((g) => g.paths).map((p) => resolve(dir, p));
      if (files.some((f) => relative(resolve(dir), f).startsWith('..'))) throw new Error('model.json names a weights file outside its folder');
      let total = 0;
      for (const f of files) {
        try {
          total += statSync(f).size;
        } catch {
          throw new Error(`weights file ${relative(dir, f)} missing`);
        }
      }
      if (total > 4 * MAX_PARAMS) throw new Error(`the weights files hold ${total} bytes, more than this build loads (${4 * MAX_PARAMS})`);
      const bufs = files.map((f) => readFileSync(f));
      const buf = Buffer.concat(bufs);
      return {
        modelTopology: json.modelTopology as object,
        weightSpecs: manifest.flatMap((g) => g.weights),
        weightData: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
      };
    },
  };
}

/** A checkpoint folder through the same validation as every other source; errors name the folder. */
export function readCheckpointDir(dir: string): Promise<Loaded> {
  return loadModel(fileHandler(dir), { label: dir });
}
