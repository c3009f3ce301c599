// Node-side setup shared by the CLI commands: backend, checkpoint loading, error exits.
import { CommanderError, type Command } from 'commander';
import { NODE_BACKENDS, useBackend, watchWebGPUErrors, type BackendName } from '../core/backend';
import { CheckpointError, loadModel } from '../core/checkpoint';
import { fail } from './args';
import { fileHandler } from './fsio';

export const DEFAULT_CHECKPOINT = 'public/checkpoints/base';

/** Parses argv; any usage error becomes one line on stderr and exit code 2. */
export function parseOrExit(cmd: Command, argv = process.argv): void {
  cmd.exitOverride();
  cmd.configureOutput({ writeErr: () => {} });
  try {
    cmd.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(0);
      fail(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
}

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

export async function loadCheckpoint(dir: string) {
  try {
    return await loadModel(fileHandler(dir));
  } catch (e) {
    if (e instanceof CheckpointError || e instanceof Error) fail(`checkpoint ${dir}: ${e.message}`);
    throw e;
  }
}
