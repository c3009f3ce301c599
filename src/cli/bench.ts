// npm run bench — speed and memory figures (never asserted by tests): per Node backend, ms per default
// RL step split into generation / scoring / update, generated tokens/s, KV cache vs full recompute,
// and tf.memory().numTensors before and after 100 steps; then the browser figures (benchBrowser).
// --backends webgpu runs on Dawn's WebGPU in Node (webgpuNode.ts); --json FILE writes the figures.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { defaultConfig, type Config } from '../core/config';
import { packBatch, type GPT } from '../core/model';
import { FusedAdam } from '../core/optim/fusedAdam';
import { lossTensors, type LossBatch } from '../core/rl/loss';
import type { StepMetrics } from '../core/record';
import { Rng } from '../core/rng';
import { fusedDecodeAvailable } from '../core/kernels/fusedDecoder';
import { generate } from '../core/sampler';
import { sampleSplit, type Task } from '../core/tasks/task';
import { Trainer } from '../core/trainer';
import { promptIds } from '../core/vocab';
import { fail } from './args';
import { compareWithTorch, comparisonLines, findTorchPython, wasmRound, type TorchDevice } from './compareTorch';
import { probeBackends, type ProbeMeasure } from '../core/probe';
import { RACE } from '../core/probeRace';
import { useBackend, type BackendName } from '../core/backend';
import { countEngineKernels, countGpuDispatches } from '../core/callCounter';
import { poolCounters, useBufferClasses } from '../core/gpuBufferClasses';
import { benchHostCost, SMALL_STEP } from './hostCost';
import { cpuMs, profileKernels, profileLines, wallMs } from './kernelProfile';
import { mean } from '../core/stats';
import { benchCommand } from './commands';
import { loadCheckpoint, nodeBackend, parseOrExit } from './node';
import { twoRuns } from '../test/determinism';

const cmd = benchCommand();

/** The figures --json writes for each backend (means over the timed steps). */
export interface BackendFigures {
  backend: BackendName;
  stepMs: number;
  genMs: number;
  scoreMs: number;
  updateMs: number;
  genTokensPerSec: number;
  kernelsPerStep: number; // tfjs kernels dispatched per default step (ops, gradients, optimizer)
  gpuDispatchesPerStep?: number; // webgpu only: compute programs run (Reshape and the like run none)
  gpuPoolBytes?: number; // webgpu only: GPU memory tfjs's buffer pool holds after the timed steps
  gpuPeakUsedBytes?: number; // webgpu only: the most bytes tensors held at once
  gpuBuffersCreatedPerStep?: number; // webgpu only: new GPU buffers per timed step (the pool's misses)
  numTensorsBefore: number; // after warm-up
  numTensorsAfter: number; // after --growth-steps more steps
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

/** Counts the kernels tfjs dispatches and, on webgpu, the compute programs the backend actually runs. */
async function countKernels<T>(fn: () => Promise<T>): Promise<{ result: T; kernels: number; gpuDispatches?: number }> {
  const kernels = countEngineKernels();
  const gpu = countGpuDispatches();
  try {
    return { result: await fn(), kernels: kernels.calls, gpuDispatches: gpu?.calls };
  } finally {
    kernels.restore();
    gpu?.restore();
  }
}

type Timing = Pick<BackendFigures, 'stepMs' | 'genMs' | 'scoreMs' | 'updateMs' | 'genTokensPerSec' | 'kernelsPerStep' | 'gpuDispatchesPerStep' | 'gpuPoolBytes' | 'gpuPeakUsedBytes' | 'gpuBuffersCreatedPerStep'>;

const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function timeSteps(task: Task, base: GPT, cfg: Config, steps: number): Promise<{ line: string; timing: Timing }> {
  const t = new Trainer(task, base, cfg);
  // Warm-up (kernel compilation, Adam's slots). No evaluation anywhere: it is not part of a step's cost,
  // and its 3 × evalSize greedy answers take minutes on SwiftShader WebGPU.
  await t.trainStep({ skipEval: true });
  const recs: StepMetrics[] = [];
  const created = poolCounters.created;
  const { kernels, gpuDispatches } = await countKernels(async () => {
    for (let i = 0; i < steps; i++) recs.push((await t.trainStep({ skipEval: true })).metrics);
  });
  const held = recs[recs.length - 1].gpuMemoryBytes; // the pool after the last step; only on webgpu in Node
  const gpu = held !== undefined && { gpuPoolBytes: held, gpuPeakUsedBytes: poolCounters.peakUsedBytes, gpuBuffersCreatedPerStep: (poolCounters.created - created) / steps };
  t.dispose();
  const m = (k: 'stepMs' | 'genMs' | 'scoreMs' | 'updateMs' | 'genTokensPerSec') => mean(recs.map((r) => r[k]));
  const perRun = (m('stepMs') * cfg.steps) / 60000;
  const timing = { stepMs: m('stepMs'), genMs: m('genMs'), scoreMs: m('scoreMs'), updateMs: m('updateMs'), genTokensPerSec: m('genTokensPerSec'), kernelsPerStep: kernels / steps, gpuDispatchesPerStep: gpuDispatches === undefined ? undefined : gpuDispatches / steps, ...gpu };
  const line =
    `  default ${cfg.algo} step (B=${cfg.batchSize}, G=${cfg.groupSize}, μ=${cfg.mu}): ${ms(m('stepMs'))} = generation ${ms(m('genMs'))} + scoring ${ms(m('scoreMs'))} + update ${ms(m('updateMs'))}` +
    `; ${m('genTokensPerSec').toFixed(0)} generated tokens/s; ${timing.kernelsPerStep.toFixed(0)} kernels/step${gpuDispatches === undefined ? '' : ` (${(gpuDispatches / steps).toFixed(0)} GPU dispatches)`}` +
    (gpu ? `; GPU buffer pool ${MB(gpu.gpuPoolBytes)} (at most ${MB(gpu.gpuPeakUsedBytes)} in use at once; ${gpu.gpuBuffersCreatedPerStep.toFixed(0)} buffers created per step)` : '') +
    `; a ${cfg.steps}-step run ≈ ${perRun.toFixed(1)} min plus evaluations`;
  return { line, timing };
}

async function kvSpeedup(task: Task, model: GPT, cfg: Config): Promise<string> {
  const rng = new Rng(3);
  const prompts = Array.from({ length: cfg.batchSize * cfg.groupSize }, () => promptIds(sampleSplit(task, rng, rng.float() < 0.5 ? 'hard' : 'easy').question));
  const run = async (useCache: boolean, fused?: boolean) => {
    const t0 = performance.now();
    const r = await generate(model, prompts, { maxNewTokens: cfg.maxNewTokens, temperature: 1, rng: new Rng(9), useCache, fused });
    return { ms: performance.now() - t0, tokens: r.generated };
  };
  const rate = (r: { ms: number; tokens: number }) => `${ms(r.ms)} (${((1000 * r.tokens) / r.ms).toFixed(0)} tok/s)`;
  const fusedToo = fusedDecodeAvailable(model.cfg);
  await run(true, false); // warm-up (kernel compilation, allocations)
  if (fusedToo) await run(true, true);
  const cached = await run(true, false);
  const fused = fusedToo ? await run(true, true) : null;
  const full = await run(false);
  const best = fused && fused.ms < cached.ms ? fused : cached;
  return (
    `  generation of ${prompts.length} sequences: KV cache ${rate(cached)}` +
    (fused ? `, fused KV-cache kernel ${rate(fused)}` : '') +
    ` vs full recompute ${rate(full)}: ${(full.ms / best.ms).toFixed(1)}× faster (${fused ? 'the faster cached path' : 'cached'})`
  );
}

async function tensorGrowth(task: Task, base: GPT, steps: number): Promise<{ line: string; before: number; after: number }> {
  // Small sizes: what leaks is per-step bookkeeping, not batch size, so 100 cheap steps show it.
  const cfg = { ...defaultConfig(), ...SMALL_STEP };
  const t = new Trainer(task, base, cfg);
  await t.trainStep();
  await t.trainStep(); // Adam creates its two slots per variable in the first update
  const before = tf.memory().numTensors;
  for (let i = 0; i < steps; i++) await t.trainStep();
  const after = tf.memory().numTensors;
  t.dispose();
  return { line: `  numTensors after warm-up ${before}, after ${steps} more steps ${after}: growth ${after - before}`, before, after };
}

async function main() {
  parseOrExit(cmd);
  const o = cmd.opts<{ backends: BackendName[]; steps: number; growthSteps: number; checkpoint: string; browser: boolean; json?: string; compareTorch?: boolean; torchDevice: TorchDevice; profile?: boolean; python?: string; probe?: boolean; hostCost?: 'record' | 'replay'; tape?: string; rounds: number; small?: boolean; gpuPoolFloor: number; determinism?: boolean }>();
  if (o.hostCost) {
    if (!o.tape) fail('--host-cost needs --tape FILE');
    return benchHostCost(o.hostCost, o.tape, o.checkpoint, o.steps, o.rounds, !!o.small, o.gpuPoolFloor * 2 ** 20);
  }
  if (o.determinism) return benchDeterminism(o.backends[0], o.checkpoint, o.steps);
  if (o.compareTorch) return benchTorch(o.backends[0], o.checkpoint, o.steps, o.json, o.python, o.torchDevice);
  if (o.profile) return benchProfile(o.backends[0], o.checkpoint);
  const backends = o.backends; // checked while parsing (args.ts list)
  const figures: BackendFigures[] = [];
  let probe: { measures: ProbeMeasure[]; choice: string } | undefined;
  const save = (complete: boolean) => o.json && writeFileSync(o.json, JSON.stringify({ complete, node: process.version, steps: o.steps, growthSteps: o.growthSteps, gpuPoolFloorMB: o.gpuPoolFloor, checkpoint: o.checkpoint, backends: figures, probe }, null, 2) + '\n');
  if (o.json) {
    try {
      save(false); // an unwritable path fails before any work
    } catch (e) {
      fail(`cannot write --json ${o.json}: ${(e as Error).message}`);
    }
  }
  if (o.probe) {
    probe = await runProbe(backends);
    save(false);
  }
  for (const b of backends) {
    const name = await nodeBackend(b);
    if (name === 'webgpu') useBufferClasses(true, o.gpuPoolFloor * 2 ** 20);
    const { model, task } = await loadCheckpoint(o.checkpoint);
    console.log(`${name} (Node ${process.version}, ${model.numParams} parameters)`);
    const cfg = defaultConfig();
    const { line, timing } = await timeSteps(task, model, cfg, o.steps);
    console.log(line);
    console.log(await kvSpeedup(task, model, cfg));
    const growth = await tensorGrowth(task, model, o.growthSteps);
    console.log(growth.line);
    model.dispose();
    figures.push({ backend: name, ...timing, numTensorsBefore: growth.before, numTensorsAfter: growth.after });
    save(figures.length === backends.length);
  }
  if (o.browser) {
    console.log('browser (headless Chromium; SwiftShader WebGPU/WebGL: relative figures only)');
    try {
      const { benchBrowser } = await import('./benchBrowser');
      for (const line of await benchBrowser()) console.log(`  ${line}`);
    } catch (e) {
      console.log(`  skipped: ${(e as Error).message.split('\n')[0]}`);
    }
  }
}

/** Auto mode's probe (the browser's, src/core/probe.ts) on each backend, cpu the numerics reference. */
async function runProbe(backends: BackendName[]): Promise<{ measures: ProbeMeasure[]; choice: string }> {
  const started = [...new Set<BackendName>([...backends, 'cpu'])];
  for (const b of started) await nodeBackend(b); // sets up Dawn for webgpu; exits with one line if one cannot start
  let measures: ProbeMeasure[] = [];
  let choice: string;
  try {
    const c = await probeBackends(started, useBackend);
    measures = c.measures;
    choice = `auto would choose ${c.picked}: ${c.reason}`;
  } catch (e) {
    choice = (e as Error).message;
  }
  console.log(`probe (tiny batch: 4 decode steps + one update, loss and grad norm checked against cpu; race: ${RACE.rows} rows, ${RACE.decode} decode steps + one update on up to ${RACE.prompt + RACE.maxResponse} tokens):`);
  for (const m of measures) {
    const race = m.raceMs === undefined ? '' : `; race ${m.raceMs.toFixed(1)} ms`;
    console.log(`  ${m.backend}: ${m.error ? `error ${m.error}` : `tiny ${m.ms!.toFixed(1)} ms, loss ${m.loss}, grad norm ${m.gradNorm}${race}`}`);
  }
  console.log(`  ${choice}`);
  return { measures, choice };
}

/** Same checkpoint, seed and backend, twice: identical records (a GPU's atomics or races would show here). */
async function benchDeterminism(backend: BackendName, checkpoint: string, steps: number) {
  const name = await nodeBackend(backend);
  const { model, task } = await loadCheckpoint(checkpoint);
  const r = await twoRuns(task, model, defaultConfig(), steps, true);
  model.dispose();
  const c = r.coverage;
  const what = `${r.records} default step${r.records === 1 ? '' : 's'} (${c.updates} updates, ${c.injected} injections, ${c.ratiosOffOne} ratios off 1)`;
  console.log(`${name}: two runs of ${what}: ${r.diff ? `DIFFER at ${r.diff}` : 'identical, bit for bit'}`);
  if (r.diff) process.exitCode = 1;
}

async function benchTorch(backend: BackendName, checkpoint: string, rounds: number, json?: string, python?: string, device: TorchDevice = 'cpu') {
  const py = findTorchPython(python ? [python] : undefined);
  if (!py) fail(`--compare-torch: PyTorch is unavailable (${python ?? 'python3'} -c "import torch" fails; Debian: apt-get install python3-torch)`);
  await nodeBackend(backend); // wasm: one thread (useBackend turns wasm's threads off)
  const { model, task } = await loadCheckpoint(checkpoint);
  const { model: ref } = await loadCheckpoint(checkpoint);
  const c = await compareWithTorch(model, ref, task, defaultConfig(), rounds, checkpoint, py, device);
  for (const line of comparisonLines(c)) console.log(line);
  if (json) writeFileSync(json, JSON.stringify(c, null, 2) + '\n');
  model.dispose();
  ref.dispose();
}

async function benchProfile(backend: BackendName, checkpoint: string) {
  await nodeBackend(backend);
  const gpu = backend === 'webgpu';
  const { model, task } = await loadCheckpoint(checkpoint);
  const { model: ref } = await loadCheckpoint(checkpoint);
  const cfg = defaultConfig();
  const opt = new FusedAdam(cfg.lr, 0.9, 0.999, 1e-8); // the trainer's optimiser
  const rng = new Rng(cfg.seed);
  const first = await wasmRound(model, ref, opt, task, cfg, rng); // warm-up (WebGPU: shader compilation)
  const lines: string[] = [];
  const { times } = await wasmRound(model, ref, opt, task, cfg, rng, async (phase, fn) => {
    const r = await profileKernels(backend, fn, gpu ? wallMs : cpuMs);
    lines.push(...profileLines(`${backend} ${phase}`, r.stats, r.totalMs, 12, gpu ? 'ms wall clock' : 'ms CPU time', gpu ? 'outside kernels (tfjs bookkeeping, tape, JS, waiting for the GPU)' : undefined));
    return r.result;
  });
  console.log(`${backend}: core of a default step (B×G = ${cfg.batchSize * cfg.groupSize}, ${times.tokens} tokens, μ=${cfg.mu}), ${times.stepCpuMs.toFixed(0)} ms CPU time (${times.stepMs.toFixed(0)} ms wall clock) with every kernel timed`);
  if (gpu) console.log("  on webgpu a kernel's time is its host-side cost (recording and submitting GPU work), not GPU time");
  for (const l of lines) console.log(l);
  if (gpu) console.log(await gpuTimeLine(model, first.round));
  opt.dispose();
  model.dispose();
  ref.dispose();
}

/** webgpu: GPU time (timestamp queries, where the device has them) of one forward + backward pass of the
 *  update against its wall clock: if the GPU is busy for a small part of the wall clock, the host side
 *  (dispatch overhead) sets the speed. */
async function gpuTimeLine(model: GPT, r: { prompts: number[][]; responses: number[][]; advantages: number[] }): Promise<string> {
  const packed = packBatch(r.prompts, r.responses);
  const n = packed.n * packed.contWidth;
  const batch: LossBatch = { packed, logpOld: new Float32Array(n).fill(-3), logpRef: new Float32Array(n).fill(-3), advantages: Float32Array.from(r.advantages), offPolicy: new Float32Array(packed.n) };
  const loss = { ...defaultConfig(), aggregation: 'token-mean' as const };
  const pass = () => {
    const { value, grads } = tf.variableGrads(() => lossTensors(model, batch, loss).loss, model.trainable());
    tf.dispose([value, ...Object.values(grads)]);
  };
  const t = await tf.time(pass);
  const k = t.kernelMs as number | { error: string };
  const gpuMs = typeof k === 'number' ? `${k.toFixed(1)} ms GPU time (timestamp queries)` : `GPU time unavailable (${k.error})`;
  return `  one update forward + backward: ${t.wallMs.toFixed(1)} ms wall clock, ${gpuMs}`;
}

main().catch((e) => fail((e as Error).message));
