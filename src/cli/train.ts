// npm run train -- --algo repo --steps 200 --seed 1 --out run.jsonl [--<config key> <value> …]
import { SingleBar } from 'cli-progress';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { defaultConfig } from '../core/config';
import { Trainer } from '../core/trainer';
import { fail } from './args';
import { trainCommand } from './commands';
import { loadCheckpoint, nodeBackend, parseOrExit } from './node';
import { configFromOptions } from './options';

const cmd = trainCommand();

async function main() {
  parseOrExit(cmd);
  const o = cmd.opts<{ out?: string; checkpoint: string; backend: string; progress: boolean }>();
  const config = configFromOptions(cmd.opts(), defaultConfig());
  // Open the output first: an unwritable path fails before any work. It is written under a
  // temporary name and renamed only when the run completes, so a crash leaves nothing that looks done.
  let fd: number | undefined;
  const partial = o.out ? `${o.out}.partial` : undefined;
  if (partial) {
    try {
      fd = openSync(partial, 'w');
    } catch (e) {
      fail(`cannot write --out ${o.out}: ${(e as Error).message}`);
    }
  }
  const write = (obj: unknown) => fd !== undefined && writeSync(fd, JSON.stringify(obj) + '\n');
  // Whatever ends the process early (a failed checkpoint, a crash, Ctrl-C), the partial file goes.
  let complete = false;
  process.on('exit', () => {
    if (!complete && partial) rmSync(partial, { force: true });
  });
  process.on('SIGINT', () => fail('interrupted'));
  try {
    const backend = await nodeBackend(o.backend);
    const { model, meta, task } = await loadCheckpoint(o.checkpoint);
    const trainer = new Trainer(task, model, config);
    model.dispose();
    write({ config, algo: config.algo, seed: config.seed, backend, checkpoint: o.checkpoint, task: task.name, checkpointNote: meta.note ?? null });
    const bar = o.progress ? new SingleBar({ format: `${config.algo} seed ${config.seed} [{bar}] {value}/{total} | ETA {eta_formatted} | reward {reward} | inject {inject}`, stream: process.stderr, hideCursor: true }) : null;
    bar?.start(config.steps, 0, { reward: '-', inject: '-' });
    const t0 = Date.now();
    let first: { easy: number; hard: number } | undefined;
    let injections = 0;
    let skipped = 0;
    for (let s = 0; s < config.steps; s++) {
      const rec = await trainer.trainStep();
      if (s === 0) first = { easy: rec.metrics.evalEasy ?? NaN, hard: rec.metrics.evalHard ?? NaN };
      injections += rec.metrics.injectionRate;
      if (rec.metrics.updateSkipped) skipped++;
      write(rec);
      bar?.update(s + 1, { reward: rec.metrics.rewardMean.toFixed(2), inject: rec.metrics.injectionRate.toFixed(2) });
    }
    bar?.stop();
    const final = await trainer.evaluate();
    const seconds = (Date.now() - t0) / 1000;
    write({ final: { ...final, step: config.steps, seconds, numTensors: tf.memory().numTensors } });
    trainer.dispose();
    if (fd !== undefined) {
      closeSync(fd);
      renameSync(partial!, o.out!);
      complete = true;
    }
    const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
    console.log(
      `${config.algo} seed ${config.seed}: ${config.steps} steps in ${seconds.toFixed(0)} s (${((1000 * seconds) / config.steps).toFixed(0)} ms/step) on ${backend}; ` +
        `easy ${pct(first!.easy)} → ${pct(final.easy)}, hard ${pct(first!.hard)} → ${pct(final.hard)}, rephrase-hard ${pct(final.rephraseHard)}, ` +
        `injection ${pct(injections / config.steps)}${skipped ? `, ${skipped} updates skipped (NaN/Inf)` : ''}${o.out ? ` → ${o.out}` : ''}`,
    );
  } catch (e) {
    fail((e as Error).message);
  }
}

main();
