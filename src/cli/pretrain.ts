// npm run pretrain — builds the shipped base checkpoint (deterministic for a seed on one backend).
// `--init <dir> --from-phase k` continues a checkpoint with phases k.. of the recipe: the same result as
// one run from scratch, since each phase starts a fresh optimiser and data stream.
import { Command } from 'commander';
import { loadModel, saveModel } from '../core/checkpoint';
import { evaluateSuite } from '../core/eval';
import { fixedEvalSets } from '../core/evalsets';
import { DEFAULT_GPT, type GPT } from '../core/model';
import { finalTask, pretrain, PRETRAIN_DEFAULTS } from '../core/pretrain';
import { fail, int } from './args';
import { fileHandler } from './fsio';
import { DEFAULT_CHECKPOINT, nodeBackend, parseOrExit } from './node';

const phases = PRETRAIN_DEFAULTS.phases;
const cmd = new Command('pretrain')
  .description(`Supervised pretraining of the base policy (${phases.length} phases: ${phases.map((p) => `${p.steps} steps`).join(' + ')}); writes <out>/model.json + weights.bin`)
  .option('--from-phase <k>', 'first phase to run (with --init)', int('from-phase', 1, phases.length), 1)
  .option('--to-phase <k>', 'last phase to run', int('to-phase', 1, phases.length), phases.length)
  .option('--init <dir>', 'start from this checkpoint instead of fresh weights')
  .option('--batch-size <n>', 'examples per step', int('batch-size', 1, 1024), PRETRAIN_DEFAULTS.batchSize)
  .option('--eval-every <n>', 'greedy eval every n steps (0 = only at the end)', int('eval-every', 0, 100000), 500)
  .option('--eval-size <n>', 'problems per eval set', int('eval-size', 10, 5000), 300)
  .option('--backend <name>', 'wasm | cpu | webgpu', 'wasm')
  .option('--out <dir>', 'checkpoint folder', DEFAULT_CHECKPOINT);

async function main() {
  parseOrExit(cmd);
  const o = cmd.opts<{ fromPhase: number; toPhase: number; init?: string; batchSize: number; evalEvery: number; evalSize: number; backend: string; out: string }>();
  if (o.fromPhase > 1 && !o.init) fail('--from-phase above 1 needs --init <checkpoint of the phases before>');
  if (o.toPhase < o.fromPhase) fail(`--to-phase (${o.toPhase}) is before --from-phase (${o.fromPhase})`);
  const backend = await nodeBackend(o.backend);
  let init: GPT | undefined;
  if (o.init) {
    try {
      init = (await loadModel(fileHandler(o.init))).model;
    } catch (e) {
      fail(`--init ${o.init}: ${(e as Error).message}`);
    }
  }
  const run = phases.slice(o.fromPhase - 1, o.toPhase);
  const task = finalTask(run);
  const sets = fixedEvalSets(task, o.evalSize);
  const measure = (model: GPT) => evaluateSuite(model, task, sets);
  const t0 = Date.now();
  let ema = NaN;
  const model = await pretrain({ batchSize: o.batchSize, gpt: DEFAULT_GPT, phases: run }, async (step, loss, m) => {
    ema = Number.isNaN(ema) ? loss : 0.95 * ema + 0.05 * loss;
    if (step % 50 === 0) process.stderr.write(`step ${step} loss ${ema.toFixed(4)} ${((Date.now() - t0) / 1000).toFixed(0)}s\n`);
    if (o.evalEvery > 0 && step > 0 && step % o.evalEvery === 0) process.stderr.write(`  eval ${JSON.stringify(await measure(m))}\n`);
  }, init);
  init?.dispose();
  const acc = await measure(model);
  const seconds = (Date.now() - t0) / 1000;
  await saveModel(model, fileHandler(o.out), {
    task: task.name,
    note: { pretrain: { batchSize: o.batchSize, phases: run, fromPhase: o.fromPhase, init: o.init ?? null, backend, seconds }, accuracy: acc, evalSize: o.evalSize, params: model.numParams },
  });
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(`pretrained ${model.numParams} params (phases ${o.fromPhase}–${o.toPhase}) in ${seconds.toFixed(0)} s on ${backend}: easy ${pct(acc.easy)}, hard ${pct(acc.hard)}, rephrase-hard ${pct(acc.rephraseHard)} → ${o.out}`);
}

main().catch((e) => fail((e as Error).message));
