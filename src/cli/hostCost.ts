// npm run bench -- --host-cost record|replay --tape FILE: WebGPU's host cost per default step, measured
// without a GPU. On a GPU this model's step is host-bound (docs/speed.md: 70 ms of wall clock around
// 5 ms of GPU time): tfjs's bookkeeping and Dawn's validation and encoding of each dispatch. `record`
// runs default RePO steps on a real adapter (SwiftShader here: slow, but the values are right) and keeps
// every GPU → CPU readback. `replay` runs the same steps on Dawn's null backend, which does all of the
// host work and none of the device's, and hands back the recorded bytes in order, so the control flow
// (EOS, rewards, RePO's triggers, NaN checks) is the recorded run's. Its step times are the host cost.
// A tape fits the commit that recorded it: another commit reads back in another order (the replay
// checks each read's size and count and stops with one line when they differ).
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { CONFIG_KEYS, defaultConfig, parseValue, type Config } from '../core/config';
import { dropFreeBuffers, poolCounters, useBufferClasses } from '../core/gpuBufferClasses';
import { Trainer } from '../core/trainer';
import { fail } from './args';
import { loadCheckpoint, nodeBackend } from './node';
import { setupNodeWebGPU } from './webgpuNode';

interface Tape {
  format: 'repo-playground-readbacks/1';
  steps: number;
  checkpoint: string;
  config: Config; // the steps' config: a replay runs the very same steps
  reads: string[]; // base64, in the order the run asked for them
}

/** Small RePO steps (as the bench's tensor-growth check runs): seconds, not minutes, on SwiftShader. */
export const SMALL_STEP: Partial<Config> = { algo: 'repo', batchSize: 2, groupSize: 4, maxNewTokens: 24, evalEvery: 0, evalSize: 10, rho: 0, repoVerify: false, dropZeroStd: false };

interface ReadingBackend {
  getBufferData(buffer: unknown): Promise<ArrayBuffer>;
}

function loadTape(file: string): Tape {
  let tape: Tape;
  try {
    tape = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`--tape ${file}: ${(e as Error).message}`);
  }
  if (tape?.format !== 'repo-playground-readbacks/1' || !Array.isArray(tape.reads) || !Number.isInteger(tape.steps) || typeof tape.config !== 'object' || tape.config === null) fail(`--tape ${file}: not a readback tape (record one with --host-cost record)`);
  // The same ranges as every config flag; a key the tape lacks takes its default.
  const config = defaultConfig() as unknown as Record<string, unknown>;
  for (const key of CONFIG_KEYS) {
    const raw = (tape.config as unknown as Record<string, unknown>)[key];
    if (raw === undefined) continue;
    const p = parseValue(key, String(raw));
    if (!p.ok) fail(`--tape ${file}: config.${key}: ${p.error}`);
    config[key] = p.value;
  }
  return { ...tape, config: config as unknown as Config };
}

/** Steps from the checkpoint, timed (the first compiles the shaders); `made` gets each step's new GPU buffers. */
async function steps(checkpoint: string, n: number, cfg: Config, made: number[] = []): Promise<number[]> {
  const { model, task } = await loadCheckpoint(checkpoint);
  const t = new Trainer(task, model, { ...cfg });
  const ms: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const c0 = poolCounters.created;
      await t.trainStep({ skipEval: true });
      ms.push(performance.now() - t0);
      made.push(poolCounters.created - c0);
    }
  } finally {
    t.dispose();
    model.dispose();
  }
  return ms;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

export async function benchHostCost(mode: 'record' | 'replay', file: string, checkpoint: string, n: number, rounds: number, small: boolean, poolFloorBytes: number): Promise<void> {
  const tape = mode === 'replay' ? loadTape(file) : null;
  if (!tape) {
    try {
      writeFileSync(file, ''); // an unwritable path fails before minutes of recording
    } catch (e) {
      fail(`cannot write --tape ${file}: ${(e as Error).message}`);
    }
  }
  if (tape) process.env.WEBGPU_NODE_FLAGS = 'backend=null'; // before the adapter is made (webgpuNode.ts)
  await nodeBackend('webgpu');
  useBufferClasses(true, poolFloorBytes); // bench's --gpu-pool-floor
  const adapter = await setupNodeWebGPU(); // the one nodeBackend made (cached)
  const where = adapter.description || adapter.device || adapter.vendor || 'an unnamed adapter';
  if (tape && adapter.device !== 'null-backend') fail(`the replay must run on Dawn's null backend, got ${where}`);
  const b = tf.backend() as unknown as ReadingBackend;
  const read = b.getBufferData.bind(b);
  const reads: string[] = [];
  let at = 0;
  b.getBufferData = async (buffer) => {
    const got = await read(buffer);
    if (!tape) {
      reads.push(Buffer.from(got).toString('base64'));
      return got;
    }
    if (at >= tape.reads.length) fail(`the replay asked for more than the tape's ${tape.reads.length} reads: record the tape with this commit`);
    const rec = Buffer.from(tape.reads[at++], 'base64');
    if (rec.byteLength > got.byteLength) fail(`read ${at - 1}: the tape has ${rec.byteLength} bytes for a ${got.byteLength}-byte buffer: record the tape with this commit`);
    const out = new Uint8Array(got.byteLength); // a buffer may be larger than its tensor (gpuBufferClasses.ts)
    out.set(rec);
    return out.buffer;
  };
  if (!tape) {
    const config = { ...defaultConfig(), ...(small ? SMALL_STEP : {}) };
    const ms = await steps(checkpoint, n, config);
    writeFileSync(file, JSON.stringify({ format: 'repo-playground-readbacks/1', steps: n, checkpoint, config, reads } satisfies Tape) + '\n');
    console.log(`recorded on ${where}: ${n} ${small ? 'small' : 'default'} steps (${ms.map((x) => `${(x / 1000).toFixed(0)} s`).join(', ')}), ${reads.length} readbacks, to ${file}`);
    return;
  }
  const timed: number[][] = [];
  const made: number[] = [];
  for (let r = 0; r < rounds; r++) {
    at = 0;
    dropFreeBuffers(); // the null device holds at most 512 MB: each round starts from an empty pool
    const perStep: number[] = [];
    timed.push(await steps(tape.checkpoint, tape.steps, tape.config, perStep));
    made.push(...perStep.slice(1));
    if (at !== tape.reads.length) fail(`the replay read ${at} of the tape's ${tape.reads.length} readbacks: record the tape with this commit`);
  }
  const c = tape.config;
  console.log(`webgpu host cost (Dawn's null backend, ${tape.reads.length} recorded readbacks), ms per ${c.algo} step (B=${c.batchSize}, G=${c.groupSize}, μ=${c.mu}):`);
  timed.forEach((ms, r) => console.log(`  round ${r + 1}: ${ms.map((x) => x.toFixed(0)).join(', ')}`));
  console.log('  (the first step of a round is not warm: round 1 compiles the shaders, and each round starts with an empty buffer pool)');
  const warm = timed.flatMap((ms) => ms.slice(1));
  if (warm.length) console.log(`  median of the warm steps: ${median(warm).toFixed(0)} ms`);
  if (made.length) console.log(`  GPU buffers created per warm step: ${(made.reduce((a, x) => a + x, 0) / made.length).toFixed(0)}`);
}
