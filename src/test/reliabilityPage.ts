// Entry of e2e/reliability.html (a test page, not linked from the app): exposes window.reliability so
// e2e/determinism.spec.ts can train twice on webgpu and compare the StepRecords (src/test/determinism.ts).
import * as tf from '@tensorflow/tfjs';
import { useBackend, watchWebGPUErrors, type BackendName } from '../core/backend';
import { loadModel } from '../core/checkpoint';
import { defaultConfig, type Config } from '../core/config';
import { registerWasmPaths } from '../worker/wasmPaths';
import { twoRuns, type TwoRuns } from './determinism';

registerWasmPaths(location.origin);

const api = {
  /** Two runs of `steps` steps from the shipped base checkpoint on `backend`, compared exactly. */
  async twoRuns(backend: BackendName, over: Partial<Config>, steps: number, skipEval: boolean): Promise<TwoRuns & { uncaptured: string[]; seconds: number }> {
    if (!(await useBackend(backend))) throw new Error(`backend ${backend} did not start`);
    const uncaptured: string[] = [];
    watchWebGPUErrors((m) => uncaptured.push(m));
    const t0 = performance.now();
    const { model, task } = await loadModel(tf.io.http(new URL('/checkpoints/base/model.json', location.origin).href));
    try {
      const r = await twoRuns(task, model, { ...defaultConfig(), ...over }, steps, skipEval);
      return { ...r, uncaptured, seconds: (performance.now() - t0) / 1000 };
    } finally {
      model.dispose();
    }
  },
};

(window as unknown as { reliability: typeof api }).reliability = api;
document.body.dataset.ready = 'true';
