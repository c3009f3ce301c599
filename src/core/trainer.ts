// One training step in, one StepRecord out (docs/DESIGN.md §5). Knows nothing about the UI or the CLI,
// nor which method it runs: it calls the method's hooks (algorithms/algorithm.ts) in order, and
// everything it measures leaves in the record.
import * as tf from '@tensorflow/tfjs';
import { copyWeights } from './checkpoint';
import type { Algorithm, StepContext } from './algorithms/algorithm';
import { failureRate } from './algorithms/gate';
import { algorithm } from './algorithms/registry';
import type { Config } from './config';
import { evaluateSuite, type EvalProgress, type EvalSummary } from './eval';
import { fixedEvalSets } from './evalsets';
import { GPT } from './model';
import { FusedAdam } from './optim/fusedAdam';
import type { GroupRecord, StepProgress, StepRecord } from './record';
import { buildRecords, summarise, type GroupDraft } from './rl/records';
import { grpoUpdate, type TrainRow } from './rl/groupUpdate';
import { supervisedStep } from './pretrain';
import { Rng } from './rng';
import { generate, scoreLogProbs } from './sampler';
import { sampleSplit, type Problem, type Task } from './tasks/task';
import { promptIds, responseText } from './vocab';

export class Trainer {
  readonly task: Task;
  readonly policy: GPT;
  private readonly start: GPT; // the start checkpoint: reference for KL, frozen rephraser, reset
  private cfg: Config;
  private opt!: FusedAdam;
  private rngProblems!: Rng;
  private rngSample!: Rng;
  private stepIndex = 0;
  private evalSets: { easy: Problem[]; hard: Problem[] };

  /** `start` is copied; the caller keeps ownership of it. */
  constructor(task: Task, start: GPT, config: Config) {
    algorithm(config.algo); // an unknown method fails here, before any weights are copied
    this.task = task;
    this.cfg = { ...config };
    const init = new Map<string, tf.Tensor>(start.weights);
    this.start = new GPT(start.cfg, 0, init);
    this.policy = new GPT(start.cfg, 0, init);
    this.evalSets = this.makeEvalSets();
    this.restart();
  }

  get config(): Config {
    return { ...this.cfg };
  }

  get step(): number {
    return this.stepIndex;
  }

  /** Applies new settings from the next step on. Keys that need a reset are applied by `reset`. */
  setConfig(next: Config): void {
    algorithm(next.algo);
    const sizeChanged = next.evalSize !== this.cfg.evalSize;
    this.cfg = { ...next };
    if (sizeChanged) this.evalSets = this.makeEvalSets();
    this.opt.learningRate = this.cfg.lr;
  }

  /** Back to the start checkpoint, optimiser state and seed (with a new config if given). */
  reset(config?: Config): void {
    if (config) this.setConfig(config);
    copyWeights(this.policy, this.start);
    this.opt.dispose();
    this.restart();
  }

  private restart(): void {
    const root = new Rng(this.cfg.seed);
    this.rngProblems = root.fork();
    this.rngSample = root.fork();
    this.stepIndex = 0;
    // tf.train.adam's arithmetic (bit for bit on cpu/wasm), ~1.15 dispatches per weight on WebGPU (optim/);
    // explicit epsilon (docs/DESIGN.md §8.1)
    this.opt = new FusedAdam(this.cfg.lr, 0.9, 0.999, 1e-8);
  }

  private makeEvalSets() {
    return fixedEvalSets(this.task, this.cfg.evalSize);
  }

  evaluate(onProgress?: EvalProgress): Promise<EvalSummary> {
    return evaluateSuite(this.policy, this.task, this.evalSets, onProgress);
  }

  /** `skipEval`: no scheduled evaluation this step (ablation cells evaluate once, at their end).
   *  `onProgress`: told each phase as it starts (and eval progress); it changes nothing computed. */
  async trainStep(opts: { skipEval?: boolean; onProgress?: (p: StepProgress) => void } = {}): Promise<StepRecord> {
    const tell = opts.onProgress;
    const c = this.cfg;
    const algo = algorithm(c.algo);
    const ctx = this.context(algo);
    const t0 = performance.now();
    const step = this.stepIndex;
    const evalNow = !opts.skipEval && (step === 0 || (c.evalEvery > 0 && step % c.evalEvery === 0));
    const ev = evalNow ? await this.evaluate(tell && ((done, total) => tell({ phase: 'evaluating', done, total }))) : undefined;
    tell?.({ phase: 'generating' });

    // 1. Questions and on-policy rollouts, all B×n sequences in one batched generation.
    const tGen = performance.now();
    const problems = Array.from({ length: c.batchSize }, () => sampleSplit(this.task, this.rngProblems, this.rngProblems.float() < c.hardShare ? 'hard' : 'easy'));
    const n = algo.rolloutsPerGroup(c);
    const prompts = problems.flatMap((p) => Array.from({ length: n }, () => promptIds(p.question)));
    const sample = await ctx.sample(this.policy, prompts);
    const groups: GroupDraft[] = problems.map((p, g) => {
      const rollouts = sample.tokens.slice(g * n, (g + 1) * n).map((ids) => {
        const text = responseText(ids);
        return { ids, text, source: 'policy' as const, reward: this.task.reward(p, text), style: this.task.style(text) };
      });
      const rewards = rollouts.map((r) => r.reward);
      return { problem: p, expert: this.task.expertSolution(p), rollouts, failureRate: failureRate(rewards, c.delta), decision: 'none', replacedIndex: null, replaced: null, rephrase: null };
    });

    // 2. Injection: the method decides per group what joins it (RePO: o_rep; LUFFY: the expert).
    const generated = sample.generated + (await algo.inject(ctx, groups));
    const genMs = performance.now() - tGen;

    // 3. Old (and reference) log-probs, then the update.
    tell?.({ phase: 'scoring' });
    const tScore = performance.now();
    const rows = await this.trainRows(algo, ctx, groups);
    const scoreMs = performance.now() - tScore;
    tell?.({ phase: 'updating' });
    const tUpdate = performance.now();
    const rewards = groups.flatMap((g) => g.rollouts.map((r) => r.reward));
    const { result, sftLoss } = await algo.update(ctx, rows, rewards, problems);
    const updateMs = performance.now() - tUpdate;

    const records: GroupRecord[] = buildRecords(groups, rows, result, c.delta);
    const record: StepRecord = {
      step,
      algo: c.algo,
      settings: { config: { ...c }, method: ctx.method },
      groups: records,
      metrics: {
        ...summarise(records, result, sftLoss),
        ...(ev ? { evalEasy: ev.easy, evalHard: ev.hard, evalRephraseHard: ev.rephraseHard } : {}),
        stepMs: performance.now() - t0,
        genMs,
        scoreMs,
        updateMs,
        genTokensPerSec: generated / Math.max(genMs / 1000, 1e-9),
        ...memory(),
      },
    };
    this.stepIndex++;
    return record;
  }

  /** The engine a method works through: this step's config, models, sampling stream and optimiser. */
  private context(algo: Algorithm): StepContext {
    const c = this.cfg;
    const method = algo.describe(c);
    return {
      cfg: c,
      method,
      task: this.task,
      policy: this.policy,
      start: this.start,
      sample: (model, prompts) => generate(model, prompts, { maxNewTokens: c.maxNewTokens, temperature: c.temperature, rng: this.rngSample }),
      score: (model, prompts, responses) => scoreLogProbs(model, prompts, responses),
      policyGradient: (rows, rewards) =>
        grpoUpdate(this.policy, this.opt, rows, rewards, { groupSize: c.groupSize, scale: method.advScale ?? 'group', dropZeroStd: c.dropZeroStd, mu: c.mu, maxGradNorm: c.maxGradNorm, loss: method.loss! }),
      crossEntropy: (examples) => supervisedStep(this.policy, this.opt, examples),
    };
  }

  /** One TrainRow per rollout, scored under q by π_θold (and the reference); the method picks old log-probs
   *  and may add rows beyond the groups. */
  private async trainRows(algo: Algorithm, ctx: StepContext, groups: GroupDraft[]): Promise<TrainRow[]> {
    const c = this.cfg;
    const flat = groups.flatMap((g, gi) => g.rollouts.map((r) => ({ g, gi, r })));
    const prompts = flat.map(({ g }) => promptIds(g.problem.question));
    const responses = flat.map(({ r }) => r.ids);
    const old = await scoreLogProbs(this.policy, prompts, responses);
    const ref = c.beta > 0 ? await scoreLogProbs(this.start, prompts, responses) : undefined;
    const rows: TrainRow[] = flat.map(({ gi, r }, i) => ({
      group: gi,
      prompt: prompts[i],
      response: r.ids,
      logpOld: algo.oldLogp ? algo.oldLogp(c, r, old[i]) : old[i],
      logpQ: old[i],
      logpRef: ref?.[i],
      offPolicy: algo.offPolicy?.(c, r) ?? false,
    }));
    if (algo.extraRows) rows.push(...(await algo.extraRows(ctx, groups, rows)));
    return rows;
  }

  /** For trainerState.ts (snapshot/restore across backends): the optimiser, both random streams, the step. */
  internals(): { opt: FusedAdam; rngs: [Rng, Rng]; step: number } {
    return { opt: this.opt, rngs: [this.rngProblems, this.rngSample], step: this.stepIndex };
  }

  /** For trainerState.ts: goes on from restored random streams and step (the optimiser is restored in place). */
  resume(rngs: [Rng, Rng], step: number): void {
    [this.rngProblems, this.rngSample] = rngs;
    this.stepIndex = step;
  }

  dispose(): void {
    this.opt.dispose();
    this.policy.dispose();
    this.start.dispose();
  }
}

/** Live tensors, and the GPU memory the backend holds, in use and pooled (webgpu, webgl; not on CPU backends). */
function memory(): { numTensors: number; gpuMemoryBytes?: number } {
  const m = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number; numBytesInGPUAllocated?: number };
  const held = m.numBytesAllocatedInGPU ?? m.numBytesInGPUAllocated;
  return typeof held === 'number' && Number.isFinite(held) ? { numTensors: m.numTensors, gpuMemoryBytes: held } : { numTensors: m.numTensors };
}
