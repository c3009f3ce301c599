// Node-side setup shared by the CLI commands: backend, checkpoint loading, error exits.
import { CommanderError, type Command } from 'commander';
import { NODE_ORDER, pickBackend, type BackendName } from '../core/backend';
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

export async function nodeBackend(name: string): Promise<BackendName> {
  if (!NODE_ORDER.includes(name as BackendName)) fail(`--backend must be one of ${NODE_ORDER.join(', ')} (got "${name}")`);
  return pickBackend([name as BackendName]);
}

export async function loadCheckpoint(dir: string) {
  try {
    return await loadModel(fileHandler(dir));
  } catch (e) {
    if (e instanceof CheckpointError || e instanceof Error) fail(`checkpoint ${dir}: ${e.message}`);
    throw e;
  }
}
