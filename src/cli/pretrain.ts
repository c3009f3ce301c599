// npm run pretrain — builds the shipped base checkpoint (deterministic for a seed on one backend).
import { Command } from 'commander';
import { saveModel } from '../core/checkpoint';
import { evaluateSuite } from '../core/eval';
import { DEFAULT_GPT } from '../core/model';
import { pretrain, PRETRAIN_DEFAULTS } from '../core/pretrain';
import { addition } from '../core/tasks/addition';
import { evalSet } from '../core/tasks/task';
import { fileHandler } from './fsio';
import { EVAL_SEEDS } from '../core/evalsets';
import { int, fail } from './args';
import { DEFAULT_CHECKPOINT, nodeBackend, parseOrExit } from './node';

const cmd = new Command('pretrain')
  .description('Supervised pretraining of the base policy; writes <out>/model.json + weights.bin')
  .option('--steps <n>', 'optimiser steps', int('steps', 1, 100000), PRETRAIN_DEFAULTS.steps)
  .option('--seed <n>', 'seed', int('seed', 0, 2 ** 31 - 1), PRETRAIN_DEFAULTS.seed)
  .option('--batch-size <n>', 'examples per step', int('batch-size', 1, 1024), PRETRAIN_DEFAULTS.batchSize)
  .option('--eval-every <n>', 'greedy eval every n steps (0 = only at the end)', int('eval-every', 0, 100000), 250)
  .option('--eval-size <n>', 'problems per eval set', int('eval-size', 10, 5000), 300)
  .option('--backend <name>', 'wasm | cpu', 'wasm')
  .option('--out <dir>', 'checkpoint folder', DEFAULT_CHECKPOINT);

async function main() {
  parseOrExit(cmd);
  const o = cmd.opts<{ steps: number; seed: number; batchSize: number; evalEvery: number; evalSize: number; backend: string; out: string }>();
  const backend = await nodeBackend(o.backend);
  const sets = {
    easy: evalSet(addition, 'easy', o.evalSize, EVAL_SEEDS.easy),
    hard: evalSet(addition, 'hard', o.evalSize, EVAL_SEEDS.hard),
  };
  const measure = (model: Parameters<typeof evaluateSuite>[0]) => evaluateSuite(model, addition, sets);
  const t0 = Date.now();
  let ema = NaN;
  const model = await pretrain(addition, { ...PRETRAIN_DEFAULTS, steps: o.steps, seed: o.seed, batchSize: o.batchSize, gpt: DEFAULT_GPT }, async (step, loss, m) => {
    ema = Number.isNaN(ema) ? loss : 0.95 * ema + 0.05 * loss;
    if (step % 50 === 0) process.stderr.write(`step ${step} loss ${ema.toFixed(4)} ${((Date.now() - t0) / 1000).toFixed(0)}s\n`);
    if (o.evalEvery > 0 && step > 0 && step % o.evalEvery === 0) process.stderr.write(`  eval ${JSON.stringify(await measure(m))}\n`);
  });
  const acc = await measure(model);
  const seconds = (Date.now() - t0) / 1000;
  await saveModel(model, fileHandler(o.out), {
    task: addition.name,
    note: { pretrain: { ...PRETRAIN_DEFAULTS, steps: o.steps, seed: o.seed, batchSize: o.batchSize, backend, seconds }, accuracy: acc, evalSize: o.evalSize, params: model.numParams },
  });
  console.log(`pretrained ${model.numParams} params in ${seconds.toFixed(0)} s on ${backend}: easy ${(100 * acc.easy).toFixed(1)} %, hard ${(100 * acc.hard).toFixed(1)} %, rephrase-hard ${(100 * acc.rephraseHard).toFixed(1)} % → ${o.out}`);
}

main().catch((e) => fail((e as Error).message));
