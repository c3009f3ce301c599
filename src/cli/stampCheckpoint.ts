// npm run stamp-checkpoint -- <dir…> [--force]: writes each checkpoint's weights checksum into its
// model.json (see stamp.ts). Bad input or a damaged checkpoint: one line, exit code 2.
import { fail } from './args';
import { stampCommand } from './commands';
import { nodeBackend, parseOrExit } from './node';
import { stampCheckpoint } from './stamp';

async function main() {
  const cmd = stampCommand();
  parseOrExit(cmd);
  const force = !!cmd.opts<{ force?: boolean }>().force;
  await nodeBackend('cpu'); // the stamp re-validates the whole checkpoint, which builds the model once
  for (const dir of cmd.args) {
    const { result, sha256 } = await stampCheckpoint(dir, force);
    console.log(`${dir}: ${result === 'unchanged' ? 'already stamped' : result} (sha256 ${sha256})`);
  }
}

main().catch((e) => fail((e as Error).message));
