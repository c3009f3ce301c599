// npm run check-base — the acceptance check of docs/DESIGN.md §2 for a base checkpoint: unaided 4-digit
// accuracy must start near 0, and plain supervised training on correct 4-digit own-style
// demonstrations at the RL learning rate must raise it within ~150 steps. If even supervision cannot
// teach the hard tier, no RL method can (C2 would be unreachable whatever the algorithm).
// Along the curve it also measures what the demonstrations cost: easy accuracy and the reading of P(q,k)
// (rephrase-hard) on the fixed RL eval sets. `--rephrase-share` / `--easy-share` mix P(q,k) → own and
// easy own-style examples into the batches (docs/SCIENCE.md, H3: what demonstrations under q do to reading).
import * as tf from '@tensorflow/tfjs';
import { evaluate } from '../core/eval';
import { fixedEvalSets } from '../core/evalsets';
import { ownExample, rephraseExample, supervisedStep } from '../core/pretrain';
import { Rng } from '../core/rng';
import { fail } from './args';
import { checkBaseCommand } from './commands';
import { loadCheckpoint, nodeBackend, parseOrExit } from './node';

const cmd = checkBaseCommand();

async function main() {
  parseOrExit(cmd);
  const o = cmd.opts<{ checkpoint: string; steps: number; batchSize: number; lr: number; digits: number; maxDigits?: number; rephraseShare: number; easyShare: number; evalSize: number; evalEvery: number; minGain: number; backend: string }>();
  const hi = o.maxDigits ?? o.digits;
  if (hi < o.digits) fail(`--max-digits (${hi}) is below --digits (${o.digits})`);
  await nodeBackend(o.backend);
  const { model, task } = await loadCheckpoint(o.checkpoint);
  // Seeds apart from the RL eval sets (1001/2002) and the training stream below.
  const evalRng = new Rng(4242);
  const probe = Array.from({ length: o.evalSize }, () => task.sample(evalRng, evalRng.int(o.digits, hi)));
  const sets = fixedEvalSets(task, o.evalSize);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const measure = async () => ({
    probe: (await evaluate(model, task, probe)).accuracy,
    easy: (await evaluate(model, task, sets.easy)).accuracy,
    rephraseHard: (await evaluate(model, task, sets.hard, { rephrase: true })).accuracy,
  });
  const line = (s: number, m: Awaited<ReturnType<typeof measure>>) => `${s}: ${pct(m.probe)} (easy ${pct(m.easy)}, rephrase-hard ${pct(m.rephraseHard)})`;
  const first = await measure();
  const opt = tf.train.adam(o.lr, 0.9, 0.999, 1e-8);
  const rng = new Rng(7);
  const curve: string[] = [line(0, first)];
  let after = first;
  const example = () => {
    if (rng.float() < o.easyShare) return ownExample(task, task.sample(rng, rng.int(1, 3)));
    const p = task.sample(rng, rng.int(o.digits, hi));
    return rng.float() < o.rephraseShare ? rephraseExample(task, p) : ownExample(task, p);
  };
  for (let s = 1; s <= o.steps; s++) {
    await supervisedStep(model, opt, Array.from({ length: o.batchSize }, example));
    if (s % o.evalEvery === 0 || s === o.steps) {
      after = await measure();
      curve.push(line(s, after));
      process.stderr.write(`step ${line(s, after)}\n`);
    }
  }
  opt.dispose();
  model.dispose();
  const ok = first.probe <= 0.1 && after.probe - first.probe >= o.minGain;
  const digits = hi > o.digits ? `${o.digits}–${hi}` : String(o.digits);
  console.log(
    `${ok ? 'PASS' : 'FAIL'}: ${digits}-digit greedy accuracy ${curve.join(' → ')} after ${o.steps} supervised steps ` +
      `(batch ${o.batchSize}, lr ${o.lr}, rephrase share ${o.rephraseShare}, easy share ${o.easyShare}); needs start ≤ 10 % and a rise ≥ ${(100 * o.minGain).toFixed(0)} points`,
  );
  process.exit(ok ? 0 : 1);
}

main().catch((e) => fail((e as Error).message));
