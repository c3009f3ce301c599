// npm run check-base — the acceptance check of DESIGN §7 for a base checkpoint: unaided 4-digit
// accuracy must start near 0, and plain supervised training on correct 4-digit own-style
// demonstrations at the RL learning rate must raise it within ~150 steps. If even supervision cannot
// teach the hard tier, no RL method can (C2 would be unreachable whatever the algorithm).
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { CONFIG } from '../core/config';
import { evaluate } from '../core/eval';
import { ownExample, supervisedStep } from '../core/pretrain';
import { Rng } from '../core/rng';
import { addition } from '../core/tasks/addition';
import { fail, int } from './args';
import { DEFAULT_CHECKPOINT, loadCheckpoint, nodeBackend, parseOrExit } from './node';

const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1) fail(`--${name} takes a number in (0, 1], got "${v}"`);
  return n;
};

const cmd = new Command('check-base')
  .description('Acceptance check: supervised 4-digit demonstrations must raise unaided 4-digit accuracy within --steps steps')
  .option('--checkpoint <dir>', 'checkpoint to check', DEFAULT_CHECKPOINT)
  .option('--steps <n>', 'supervised steps', int('steps', 1, 10000), 150)
  .option('--batch-size <n>', 'demonstrations per step', int('batch-size', 1, 256), 16)
  .option('--lr <x>', 'learning rate (default: the RL default)', num('lr'), CONFIG.lr.default)
  .option('--digits <n>', 'difficulty trained and measured', int('digits', 1, 5), 4)
  .option('--eval-size <n>', 'problems in the fixed eval set', int('eval-size', 10, 2000), 200)
  .option('--min-gain <x>', 'required rise in accuracy (fraction)', num('min-gain'), 0.1)
  .option('--backend <name>', 'wasm | cpu', 'wasm');

async function main() {
  parseOrExit(cmd);
  const o = cmd.opts<{ checkpoint: string; steps: number; batchSize: number; lr: number; digits: number; evalSize: number; minGain: number; backend: string }>();
  await nodeBackend(o.backend);
  const { model } = await loadCheckpoint(o.checkpoint);
  // Seeds apart from the RL eval sets (1001/2002) and the training stream below.
  const evalRng = new Rng(4242);
  const probe = Array.from({ length: o.evalSize }, () => addition.sample(evalRng, o.digits));
  const acc = async () => (await evaluate(model, addition, probe)).accuracy;
  const before = await acc();
  const opt = tf.train.adam(o.lr, 0.9, 0.999, 1e-8);
  const rng = new Rng(7);
  const curve: string[] = [`0: ${(100 * before).toFixed(1)} %`];
  let after = before;
  for (let s = 1; s <= o.steps; s++) {
    await supervisedStep(model, opt, Array.from({ length: o.batchSize }, () => ownExample(addition, addition.sample(rng, o.digits))));
    if (s % 50 === 0 || s === o.steps) {
      after = await acc();
      curve.push(`${s}: ${(100 * after).toFixed(1)} %`);
      process.stderr.write(`step ${s}: ${o.digits}-digit accuracy ${(100 * after).toFixed(1)} %\n`);
    }
  }
  opt.dispose();
  model.dispose();
  const ok = before <= 0.1 && after - before >= o.minGain;
  console.log(
    `${ok ? 'PASS' : 'FAIL'}: ${o.digits}-digit greedy accuracy ${curve.join(' → ')} after ${o.steps} supervised steps (batch ${o.batchSize}, lr ${o.lr}); ` +
      `needs start ≤ 10 % and a rise ≥ ${(100 * o.minGain).toFixed(0)} points`,
  );
  process.exit(ok ? 0 : 1);
}

main().catch((e) => fail((e as Error).message));
