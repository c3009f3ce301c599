// Node-side setup shared by the CLI commands: backend, checkpoint loading, error exits.
import { NODE_BACKENDS, useBackend, watchWebGPUErrors, type BackendName } from '../core/backend';
import { oneLineReason } from '../core/checkpoint';
import { fail } from './args';
import { readCheckpointDir } from './fsio';

export { DEFAULT_CHECKPOINT } from './commands';
export { parseOrExit } from './args';

/**
 * Starts the named backend or exits with one line (code 2). On webgpu, any uncaptured WebGPU error
 * later ends the process with one line (code 1) rather than training on the garbage it leaves.
 */
export async function nodeBackend(name: string): Promise<BackendName> {
  if (!NODE_BACKENDS.includes(name as BackendName)) fail(`--backend must be one of ${NODE_BACKENDS.join(', ')} (got "${name}")`);
  if (name === 'webgpu') {
    const { setupNodeWebGPU } = await import('./webgpuNode');
    await setupNodeWebGPU().catch((e: Error) => fail(`--backend webgpu: ${e.message}`));
  }
  if (!(await useBackend(name as BackendName))) fail(`--backend ${name}: the tfjs backend did not start`);
  watchWebGPUErrors((message) => {
    process.stderr.write(`error: ${message}; stopped (the GPU dropped work, so results would be garbage)\n`);
    process.exit(1);
  });
  return name as BackendName;
}

/** Loads a checkpoint folder or exits with its one-line reason (code 2); an unverifiable one gets a warning line. */
export async function loadCheckpoint(dir: string) {
  try {
    const loaded = await readCheckpointDir(dir);
    if (loaded.warning) process.stderr.write(`warning: ${loaded.warning}\n`);
    return loaded;
  } catch (e) {
    fail(oneLineReason(e));
  }
}
