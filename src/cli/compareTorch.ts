// npm run bench -- --compare-torch: the core of a default step on tfjs (wasm with one thread, or the first
// of --backends) and in PyTorch (CPU with one thread, or CUDA with --torch-device cuda; bench/torch_ref.py)
// in the same run, on the same machine, on the same work. The tfjs side samples; its prompts, sampled tokens and advantages go to the PyTorch child, which
// replays them (feeding the sampled tokens back), so both decode, score and update exactly
// the same shapes. The first update's loss and grad norm on both sides show they computed the same thing.
import * as tf from '@tensorflow/tfjs';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Config } from '../core/config';
import { packBatch, type GPT } from '../core/model';
import { FusedAdam } from '../core/optim/fusedAdam';
import { update, type LossBatch } from '../core/rl/loss';
import { mean, relativeError as rel } from '../core/stats';
import { groupAdvantages, type LossConfig } from '../core/rl/objective';
import { Rng } from '../core/rng';
import { generate, scoreLogProbs } from '../core/sampler';
import { sampleSplit, type Task } from '../core/tasks/task';
import { promptIds, responseText } from '../core/vocab';

export const TORCH_SCRIPT = 'bench/torch_ref.py';

/** Phase times of one round (one step's core work), ms: wall clock, and this process's CPU time, which
 *  other load on a shared machine inflates far less (a preempted process is not charged). */
export interface RoundTimes {
  genMs: number;
  scoreMs: number;
  updateMs: number;
  stepMs: number;
  genCpuMs: number;
  scoreCpuMs: number;
  updateCpuMs: number;
  stepCpuMs: number;
  tokens: number;
  loss: number[]; // per update pass
  gradNorm: number[];
}

interface Round {
  prompts: number[][];
  responses: number[][];
  decodeSteps: number;
  generated: number;
  advantages: number[];
}

/** The first Python that imports torch (`python3` may be a pyenv without it; Debian's is /usr/bin/python3). */
export function findTorchPython(candidates = ['python3', '/usr/bin/python3']): { python: string; version: string } | null {
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return null;
}

/** Runs one phase of a round; `--profile` passes a kernel timer here. */
export type PhaseRunner = <T>(phase: 'generation' | 'scoring' | 'update', fn: () => Promise<T>) => Promise<T>;

/** One round on the current tfjs backend: generate B×G rollouts, score old and ref log-probs, μ updates. */
export async function wasmRound(policy: GPT, ref: GPT, opt: FusedAdam, task: Task, cfg: Config, rng: Rng, phase: PhaseRunner = (_p, fn) => fn()): Promise<{ round: Round; times: RoundTimes }> {
  const problems = Array.from({ length: cfg.batchSize }, () => sampleSplit(task, rng, rng.float() < cfg.hardShare ? 'hard' : 'easy'));
  const prompts = problems.flatMap((p) => Array.from({ length: cfg.groupSize }, () => promptIds(p.question)));
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const c0 = cpu();
  const t0 = performance.now();
  const sample = await phase('generation', () => generate(policy, prompts, { maxNewTokens: cfg.maxNewTokens, temperature: cfg.temperature, rng }));
  const [t1, c1] = [performance.now(), cpu()];
  const responses = sample.tokens;
  const [old, logpRef] = await phase('scoring', async () => [await scoreLogProbs(policy, prompts, responses), cfg.beta > 0 ? await scoreLogProbs(ref, prompts, responses) : undefined]);
  const [t2, c2] = [performance.now(), cpu()];
  // Every row trains (no zero-std drop), so both sides update the same B×G rows whatever the rewards.
  const rewards = responses.map((ids, i) => task.reward(problems[Math.floor(i / cfg.groupSize)], responseText(ids)));
  const advantages = groupAdvantages(rewards, cfg.groupSize, 'group');
  const packed = packBatch(prompts, responses);
  const perToken = (rows: number[][]) => {
    const a = new Float32Array(rows.length * packed.contWidth);
    rows.forEach((r, i) => a.set(r, i * packed.contWidth));
    return a;
  };
  const batch: LossBatch = { packed, logpOld: perToken(old), logpRef: logpRef && perToken(logpRef), advantages: Float32Array.from(advantages), offPolicy: new Float32Array(prompts.length) };
  const loss: LossConfig = { epsLow: cfg.epsLow, epsHigh: cfg.epsHigh, beta: cfg.beta, aggregation: 'token-mean', maxNewTokens: cfg.maxNewTokens };
  const results = await phase('update', async () => {
    const rs = [];
    for (let k = 0; k < cfg.mu; k++) rs.push(await update(policy, opt, batch, loss, cfg.maxGradNorm));
    return rs;
  });
  const [t3, c3] = [performance.now(), cpu()];
  const decodeSteps = Math.max(...responses.map((r) => r.length));
  return {
    round: { prompts, responses, decodeSteps, generated: sample.generated, advantages },
    times: { genMs: t1 - t0, scoreMs: t2 - t1, updateMs: t3 - t2, stepMs: t3 - t0, genCpuMs: c1 - c0, scoreCpuMs: c2 - c1, updateCpuMs: c3 - c2, stepCpuMs: c3 - c0, tokens: sample.generated, loss: results.map((r) => r.loss), gradNorm: results.map((r) => r.gradNorm) },
  };
}

/** Where PyTorch runs: one CPU thread, or the GPU (eager CUDA). */
export type TorchDevice = 'cpu' | 'cuda';

export interface Comparison {
  torchVersion: string;
  blas: string; // the BLAS library on cpu; "CUDA <version>, <card>" on cuda
  python: string;
  device: TorchDevice;
  backend: string; // the tfjs backend of the other side
  rounds: number;
  tfjs: RoundTimes[];
  torch: RoundTimes[];
}

/** bench/torch_ref.py as a child that answers one round per line. */
function torchChild(python: string, checkpoint: string, device: TorchDevice) {
  const child = spawn(python, [TORCH_SCRIPT, checkpoint, '--device', device], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async <T>(): Promise<T> => {
    const r = await lines.next();
    if (r.done) throw new Error(`${TORCH_SCRIPT} stopped: ${stderr.trim().split('\n').pop() ?? 'no output'}`);
    return JSON.parse(r.value) as T;
  };
  return {
    send: (x: unknown) => child.stdin.write(JSON.stringify(x) + '\n'),
    next,
    close: () => child.stdin.end(),
  };
}

/**
 * Runs one warm-up and `rounds` timed rounds on the current tfjs backend, each followed at once by the
 * same round in PyTorch (interleaved, so both see the same machine load). Round 0 is the warm-up on
 * both sides (kernel set-up, Adam's slots) and is left out of the figures.
 */
export async function compareWithTorch(policy: GPT, ref: GPT, task: Task, cfg: Config, rounds: number, checkpoint: string, python: { python: string; version: string }, device: TorchDevice = 'cpu'): Promise<Comparison> {
  if (cfg.aggregation !== 'token-mean') throw new Error('--compare-torch mirrors the default token-mean loss only');
  const torch = torchChild(python.python, checkpoint, device);
  const opt = new FusedAdam(cfg.lr, 0.9, 0.999, 1e-8); // the trainer's optimiser
  try {
    torch.send({ temperature: cfg.temperature, epsLow: cfg.epsLow, epsHigh: cfg.epsHigh, beta: cfg.beta, lr: cfg.lr, maxGradNorm: cfg.maxGradNorm, mu: cfg.mu });
    const head = await torch.next<{ torch: string; blas: string }>();
    const rng = new Rng(cfg.seed);
    const ours: RoundTimes[] = [];
    const theirs: RoundTimes[] = [];
    for (let i = 0; i <= rounds; i++) {
      const { round, times } = await wasmRound(policy, ref, opt, task, cfg, rng);
      torch.send(round);
      const t = await torch.next<RoundTimes>();
      if (i > 0) (ours.push(times), theirs.push(t));
    }
    return { torchVersion: head.torch, blas: head.blas, python: python.python, device, backend: tf.getBackend(), rounds, tfjs: ours, torch: theirs };
  } finally {
    torch.close();
    opt.dispose();
  }
}

/** Per-phase means and ratios (tfjs ÷ torch), as table lines. The ≤ 1.5× target is wasm vs one CPU thread. */
export function comparisonLines(c: Comparison): string[] {
  type Key = 'genMs' | 'scoreMs' | 'updateMs' | 'stepMs' | 'genCpuMs' | 'scoreCpuMs' | 'updateCpuMs' | 'stepCpuMs';
  const m = (rs: RoundTimes[], k: Key) => mean(rs.map((r) => r[k]));
  const tps = (rs: RoundTimes[]) => (1000 * rs.reduce((a, r) => a + r.tokens, 0)) / rs.reduce((a, r) => a + r.genMs, 0);
  const row = (name: string, w: number, t: number, unit: string) => `  | ${name} | ${w.toFixed(0)} ${unit} | ${t.toFixed(0)} ${unit} | ${(w / t).toFixed(2)}× |`;
  const lossRel = Math.max(...c.tfjs.map((w, i) => rel(w.loss[0], c.torch[i].loss[0])));
  const normRel = Math.max(...c.tfjs.map((w, i) => rel(w.gradNorm[0], c.torch[i].gradNorm[0])));
  const ratio = m(c.tfjs, 'stepMs') / m(c.torch, 'stepMs');
  const cpuRatio = m(c.tfjs, 'stepCpuMs') / m(c.torch, 'stepCpuMs');
  const b = c.backend;
  const cpuSides = c.device === 'cpu' && b === 'wasm';
  const torchName = c.device === 'cpu' ? `PyTorch ${c.torchVersion} CPU (1 thread, BLAS ${c.blas}, ${c.python})` : `PyTorch ${c.torchVersion} ${c.blas} (eager, ${c.python})`;
  const mu = c.tfjs[0]?.loss.length ?? 0;
  const table = (k: (p: 'gen' | 'score' | 'update' | 'step') => Key) => [
    `  | phase | ${b} | PyTorch | ${b} ÷ PyTorch |`,
    '  | --- | --- | --- | --- |',
    row('generation', m(c.tfjs, k('gen')), m(c.torch, k('gen')), 'ms'),
    row('scoring (old + ref)', m(c.tfjs, k('score')), m(c.torch, k('score')), 'ms'),
    row(`update (μ=${mu} passes)`, m(c.tfjs, k('update')), m(c.torch, k('update')), 'ms'),
    row('step', m(c.tfjs, k('step')), m(c.torch, k('step')), 'ms'),
  ];
  return [
    `${b} (tfjs ${tf.version.tfjs}${b === 'wasm' ? ', 1 thread' : ''}) vs ${torchName}, same work, rounds interleaved, mean of ${c.rounds} after one warm-up:`,
    ...table((p) => `${p}Ms` as Key),
    `  generation tokens/s: ${b} ${tps(c.tfjs).toFixed(0)}, PyTorch ${tps(c.torch).toFixed(0)}`,
    ...(c.device === 'cpu'
      ? ['  CPU time of each process (what other load on the machine changes least):', ...table((p) => `${p}CpuMs` as Key)]
      : []),
    cpuSides
      ? `  target wasm ≤ 1.5 × PyTorch: ${ratio <= 1.5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}× wall clock, ${cpuRatio.toFixed(2)}× CPU time)`
      : c.device === 'cuda'
        ? `  ${b} step ÷ PyTorch-CUDA step: ${ratio.toFixed(2)}× (the GPU target is ≤ 3×)`
        : `  ${b} step ÷ PyTorch-CPU step: ${ratio.toFixed(2)}×`,
    `  same computation: first-update loss within ${lossRel.toExponential(1)} and grad norm within ${normRel.toExponential(1)} (relative, worst round)`,
  ];
}
