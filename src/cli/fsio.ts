// A tfjs IOHandler for the local file system (tfjs-node, which has one, cannot install here).
// Layout is the standard tfjs one: <dir>/model.json + <dir>/weights.bin, so the browser can load the
// same folder over http. Writes go to temporary names first, so a failed save leaves no half checkpoint.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
      let json: { modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
      try {
        json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        throw new Error(err.code === 'ENOENT' ? `no checkpoint at ${dir} (model.json missing)` : `model.json is not valid JSON (${err.message})`);
      }
      const manifest = json.weightsManifest?.[0];
      if (!manifest) throw new Error('model.json has no weightsManifest');
      const buf = readFileSync(join(dir, manifest.paths[0]));
      return {
        modelTopology: json.modelTopology as object,
        weightSpecs: manifest.weights,
        weightData: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
      };
    },
  };
}
