// npm run pretrain — builds the shipped base checkpoint (deterministic for a seed on one backend).
// `--init <dir> --from-phase k` continues a checkpoint with phases k.. of the recipe: the same result as
// one run from scratch, since each phase starts a fresh optimiser and data stream.
import { saveModel } from '../core/checkpoint';
import { evaluateSuite } from '../core/eval';
import { fixedEvalSets } from '../core/evalsets';
import { DEFAULT_GPT, type GPT } from '../core/model';
import { finalTask, pretrain, PRETRAIN_DEFAULTS } from '../core/pretrain';
import { fail } from './args';
import { pretrainCommand } from './commands';
import { fileHandler } from './fsio';
import { loadCheckpoint, nodeBackend, parseOrExit } from './node';

const phases = PRETRAIN_DEFAULTS.phases;
const cmd = pretrainCommand();

async function main() {
  parseOrExit(cmd);
  const o = cmd.opts<{ fromPhase: number; toPhase: number; init?: string; batchSize: number; evalEvery: number; evalSize: number; backend: string; out: string }>();
  if (o.fromPhase > 1 && !o.init) fail('--from-phase above 1 needs --init <checkpoint of the phases before>');
  if (o.toPhase < o.fromPhase) fail(`--to-phase (${o.toPhase}) is before --from-phase (${o.fromPhase})`);
  const backend = await nodeBackend(o.backend);
  let init: GPT | undefined;
  if (o.init) {
    init = (await loadCheckpoint(o.init)).model;
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
