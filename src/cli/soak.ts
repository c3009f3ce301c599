// npm run soak -- [--steps 2000] [--every 100] [--warmup 200] [--backend wasm|cpu|webgpu] [--json FILE] [--<config key> <value> …]
// A long run on a small config that watches for leaks: tfjs tensors and the V8 heap (after a full GC)
// are sampled every `--every` steps and must be flat after warm-up (soakVerdict.ts has the rule).
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { defaultConfig, type Config } from '../core/config';
import { Trainer } from '../core/trainer';
import { fail, int } from './args';
import { DEFAULT_CHECKPOINT, loadCheckpoint, nodeBackend, parseOrExit } from './node';
import { addConfigOptions, configFromOptions } from './options';
import { soakVerdict, type SoakSample } from './soakVerdict';

/**
 * Small enough for 2,000 steps on two cores, and RePO so every path of a step runs: sampling,
 * rephrasing, the verifier, injection, the extra P(q,k) rows, μ = 2 updates, KL to the start
 * model. ρ 0.25 (default 0.5) makes injection frequent with G = 4: one failure in four suffices. Evaluation
 * every 500 steps (and at step 0) keeps that path in the loop too; evalSize 10 keeps it cheap.
 */
export const SOAK_CONFIG: Partial<Config> = { algo: 'repo', steps: 2000, batchSize: 2, groupSize: 4, rho: 0.25, evalEvery: 500, evalSize: 10 };

const cmd = addConfigOptions(new Command('soak').description('Long small-config training run that fails if tfjs tensors or the JS heap grow after warm-up'), SOAK_CONFIG)
  .option('--every <n>', 'sample numTensors and heap every n steps', int('every', 1, 100000), 100)
  .option('--warmup <n>', 'steps before the baseline sample (Adam slots, first injections, V8 tiering settle here)', int('warmup', 0, 100000), 200)
  .option('--max-heap-growth <pct>', 'allowed heap growth after warm-up, in percent', '1')
  .option('--json <file>', 'write the samples and verdict as JSON')
  .option('--no-opt', "diagnosis: V8's optimising compiler off, so heap growth from optimised code (and its deopt data) is out of the picture")
  .option('--checkpoint <dir>', 'start checkpoint folder', DEFAULT_CHECKPOINT)
  .option('--backend <name>', 'wasm | cpu | webgpu', 'wasm');

/** A full GC without needing `node --expose-gc`: the flag can be set at run time and `gc` read from a fresh context. */
function fullGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function main() {
  parseOrExit(cmd);
  const o = cmd.opts<{ every: number; warmup: number; maxHeapGrowth: string; json?: string; checkpoint: string; backend: string; opt: boolean }>();
  if (!o.opt) setFlagsFromString('--no-opt'); // before any training code is hot, so nothing is optimised yet
  const config = configFromOptions(cmd.opts(), { ...defaultConfig(), ...SOAK_CONFIG });
  const maxGrowth = Number(o.maxHeapGrowth);
  if (!/^\d+(\.\d+)?$/.test(o.maxHeapGrowth.trim()) || maxGrowth > 100) fail(`--max-heap-growth takes a percentage in [0, 100], got "${o.maxHeapGrowth}"`);
  if (o.warmup + o.every > config.steps) fail(`--steps ${config.steps} leaves no second sample after --warmup ${o.warmup} (every ${o.every}); use more steps or a shorter warm-up`);
  if (o.json) {
    try {
      writeFileSync(o.json, ''); // an unwritable path fails now, not after the run
    } catch (e) {
      fail(`cannot write --json ${o.json}: ${(e as Error).message}`);
    }
  }
  const gc = fullGc();
  const backend = await nodeBackend(o.backend);
  const { model, task } = await loadCheckpoint(o.checkpoint);
  const trainer = new Trainer(task, model, config);
  model.dispose();

  const samples: SoakSample[] = [];
  const sample = (step: number) => {
    gc();
    gc(); // a second pass collects what the first one's finalisers released
    const m = process.memoryUsage();
    const t = tf.memory();
    // V8's compiled code, reported apart: the 2,000-step soak's heap growth was this (and its deopt data), not objects
    const code = getHeapSpaceStatistics().filter((x) => x.space_name.startsWith('code')).reduce((a, x) => a + x.space_used_size, 0);
    const s: SoakSample = { step, numTensors: t.numTensors, numBytes: t.numBytes, heapUsed: m.heapUsed, code, rss: m.rss, external: m.external };
    samples.push(s);
    return s;
  };
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(2)} MB`.padStart(10);
  let injected = 0;
  let groups = 0;
  let skipped = 0;
  let firstInjection: number | null = null;
  let lastMark = Date.now();
  const t0 = Date.now();
  const log = (s: SoakSample, msPerStep: number) =>
    console.log(
      `step ${String(s.step).padStart(5)}  tensors ${s.numTensors}  tensor bytes ${s.numBytes}  heap ${mb(s.heapUsed)} (code ${mb(s.code)})  rss ${mb(s.rss)}  external ${mb(s.external)}  ` +
        `injected ${injected}/${groups} groups  ${msPerStep.toFixed(0)} ms/step`,
    );
  log(sample(0), 0);
  try {
    for (let step = 1; step <= config.steps; step++) {
      const rec = await trainer.trainStep();
      for (const g of rec.groups) if (g.decision === 'injected') injected++;
      groups += rec.groups.length;
      if (firstInjection === null && rec.groups.some((g) => g.decision === 'injected')) firstInjection = rec.step;
      if (rec.metrics.updateSkipped) skipped++;
      if (step % o.every === 0 || step === config.steps) {
        const prev = samples[samples.length - 1].step;
        const ms = (Date.now() - lastMark) / (step - prev); // before the GC, which is not a step's cost
        log(sample(step), ms);
        lastMark = Date.now();
      }
    }
  } catch (e) {
    fail(`training stopped: ${(e as Error).message}`);
  }
  trainer.dispose();
  const seconds = (Date.now() - t0) / 1000;
  const verdict = soakVerdict(samples, o.warmup, maxGrowth / 100);
  const summary = {
    backend,
    v8Optimiser: o.opt,
    checkpoint: o.checkpoint,
    config,
    every: o.every,
    warmup: o.warmup,
    maxHeapGrowth: maxGrowth / 100,
    seconds,
    msPerStep: (1000 * seconds) / config.steps,
    injectionRate: groups ? injected / groups : 0,
    firstInjectionStep: firstInjection,
    updatesSkipped: skipped,
    numTensorsAfterDispose: tf.memory().numTensors,
    verdict: { ok: verdict.ok, message: verdict.message, heapGrowth: verdict.heapGrowth, tensorsSettledAt: verdict.tensorsSettledAt },
    samples,
  };
  if (o.json) writeFileSync(o.json, JSON.stringify(summary, null, 1) + '\n');
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const line = `${config.algo} on ${backend}, ${config.steps} steps in ${seconds.toFixed(0)} s; injection ${pct(summary.injectionRate)} of groups (first at step ${firstInjection ?? 'never'}); tensors settled at step ${verdict.tensorsSettledAt}`;
  if (!verdict.ok) {
    process.stderr.write(`error: soak failed: ${verdict.message} (${line})\n`);
    process.exit(1);
  }
  console.log(`ok: ${verdict.message}; ${line}`);
}

main();
