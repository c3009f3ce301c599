// One training step in, one StepRecord out (DESIGN §5). Knows nothing about the UI or the CLI:
// everything it measures leaves in the record.
import * as tf from '@tensorflow/tfjs';
import { copyWeights } from './checkpoint';
import { effectiveAdvScale, type Config } from './config';
import { evaluateSuite, type EvalProgress, type EvalSummary } from './eval';
import { fixedEvalSets } from './evalsets';
import { GPT } from './model';
import type { GroupRecord, StepProgress, StepRecord } from './record';
import { buildRecords, summarise, type GroupDraft } from './rl/records';
import { grpoUpdate, type TrainRow } from './rl/grpo';
import { expertIsOffPolicy, luffyDecision, luffyLoss, luffyPolicyRollouts, type LuffySwitches } from './rl/luffy';
import type { LossConfig } from './rl/objective';
import { failureRate, repoDecision, repoTriggered } from './rl/repo';
import { sftUpdate } from './rl/sft';
import { Rng } from './rng';
import { generate, scoreLogProbs } from './sampler';
import { sampleSplit, type Problem, type Task } from './tasks/task';
import { promptIds, responseIds, responseText } from './vocab';

export class Trainer {
  readonly task: Task;
  readonly policy: GPT;
  private readonly start: GPT; // the start checkpoint: reference for KL, frozen rephraser, reset
  private cfg: Config;
  private opt!: tf.Optimizer;
  private rngProblems!: Rng;
  private rngSample!: Rng;
  private stepIndex = 0;
  private evalSets: { easy: Problem[]; hard: Problem[] };

  /** `start` is copied; the caller keeps ownership of it. */
  constructor(task: Task, start: GPT, config: Config) {
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
    const sizeChanged = next.evalSize !== this.cfg.evalSize;
    this.cfg = { ...next };
    if (sizeChanged) this.evalSets = this.makeEvalSets();
    (this.opt as unknown as { learningRate: number }).learningRate = this.cfg.lr;
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
    this.opt = tf.train.adam(this.cfg.lr, 0.9, 0.999, 1e-8); // explicit epsilon (BROWSER.md #1)
  }

  private makeEvalSets() {
    return fixedEvalSets(this.task, this.cfg.evalSize);
  }

  evaluate(onProgress?: EvalProgress): Promise<EvalSummary> {
    return evaluateSuite(this.policy, this.task, this.evalSets, onProgress);
  }

  private luffySwitches(): LuffySwitches {
    const c = this.cfg;
    return { onlyWhenFailing: c.luffyOnlyWhenFailing, rho: c.rho, delta: c.delta, shaping: c.luffyShaping, gamma: c.luffyGamma, removeClip: c.luffyRemoveClip };
  }

  /** `skipEval`: no scheduled evaluation this step (ablation cells evaluate once, at their end).
   *  `onProgress`: told each phase as it starts (and eval progress); it changes nothing computed. */
  async trainStep(opts: { skipEval?: boolean; onProgress?: (p: StepProgress) => void } = {}): Promise<StepRecord> {
    const tell = opts.onProgress;
    const c = this.cfg;
    const t0 = performance.now();
    const step = this.stepIndex;
    const evalNow = !opts.skipEval && (step === 0 || (c.evalEvery > 0 && step % c.evalEvery === 0));
    const ev = evalNow ? await this.evaluate(tell && ((done, total) => tell({ phase: 'evaluating', done, total }))) : undefined;
    tell?.({ phase: 'generating' });

    // 1. Questions and on-policy rollouts, all B×n sequences in one batched generation.
    const tGen = performance.now();
    const problems = Array.from({ length: c.batchSize }, () => sampleSplit(this.task, this.rngProblems, this.rngProblems.float() < c.hardShare ? 'hard' : 'easy'));
    const luffy = this.luffySwitches();
    const nPolicy = c.algo === 'luffy' ? luffyPolicyRollouts(c.groupSize, luffy) : c.groupSize;
    const prompts = problems.flatMap((p) => Array.from({ length: nPolicy }, () => promptIds(p.question)));
    const sample = await generate(this.policy, prompts, { maxNewTokens: c.maxNewTokens, temperature: c.temperature, rng: this.rngSample });
    let generated = sample.generated;
    const groups: GroupDraft[] = problems.map((p, g) => {
      const rollouts = sample.tokens.slice(g * nPolicy, (g + 1) * nPolicy).map((ids) => {
        const text = responseText(ids);
        return { ids, text, source: 'policy' as const, reward: this.task.reward(p, text), style: this.task.style(text) };
      });
      const rewards = rollouts.map((r) => r.reward);
      return { problem: p, expert: this.task.expertSolution(p), rollouts, failureRate: failureRate(rewards, c.delta), decision: 'none', replacedIndex: null, replaced: null, rephrase: null };
    });

    // 2. Injection: RePO rephrases where the group struggles; LUFFY adds the expert.
    if (c.algo === 'repo') generated += await this.repoInject(groups);
    if (c.algo === 'luffy') this.luffyInject(groups, luffy);
    const genMs = performance.now() - tGen;

    // 3. Old (and reference / behaviour) log-probs, then the update.
    tell?.({ phase: 'scoring' });
    const tScore = performance.now();
    const rows = await this.trainRows(groups);
    const scoreMs = performance.now() - tScore;
    tell?.({ phase: 'updating' });
    const tUpdate = performance.now();
    const rewards = groups.flatMap((g) => g.rollouts.map((r) => r.reward));
    let result;
    let sftLoss: number | undefined;
    if (c.algo === 'sft') {
      sftLoss = await sftUpdate(this.policy, this.opt, this.task, problems);
      result = null;
    } else {
      const lossCfg: LossConfig = { epsLow: c.epsLow, epsHigh: c.epsHigh, beta: c.beta, aggregation: c.aggregation, maxNewTokens: c.maxNewTokens };
      result = await grpoUpdate(this.policy, this.opt, rows, rewards, {
        groupSize: groups[0].rollouts.length,
        scale: effectiveAdvScale(c),
        dropZeroStd: c.dropZeroStd,
        mu: c.mu,
        maxGradNorm: c.maxGradNorm,
        loss: c.algo === 'luffy' ? luffyLoss(lossCfg, luffy) : lossCfg,
      });
    }
    const updateMs = performance.now() - tUpdate;

    const records: GroupRecord[] = buildRecords(groups, rows, result, c.delta);
    const record: StepRecord = {
      step,
      algo: c.algo,
      groups: records,
      metrics: {
        ...summarise(records, result, sftLoss),
        ...(ev ? { evalEasy: ev.easy, evalHard: ev.hard, evalRephraseHard: ev.rephraseHard } : {}),
        stepMs: performance.now() - t0,
        genMs,
        scoreMs,
        updateMs,
        genTokensPerSec: generated / Math.max(genMs / 1000, 1e-9),
        numTensors: tf.memory().numTensors,
      },
    };
    this.stepIndex++;
    return record;
  }

  /** RePO: sample o_rep ~ π(·|P(q,k)) for triggered groups, verify, replace the worst rollout. */
  private async repoInject(groups: GroupDraft[]): Promise<number> {
    const c = this.cfg;
    const sw = { rho: c.rho, delta: c.delta, verify: c.repoVerify };
    const asking = groups.filter((g) => repoTriggered(g.rollouts.map((r) => r.reward), sw));
    for (const g of groups) g.decision = 'gate-closed';
    if (asking.length === 0) return 0;
    const rephraser = c.repoRephraser === 'frozen' ? this.start : this.policy;
    const prompts = asking.map((g) => this.task.rephrasePrompt(g.problem, g.expert));
    const out = await generate(rephraser, prompts.map(promptIds), { maxNewTokens: c.maxNewTokens, temperature: c.temperature, rng: this.rngSample });
    const behaviour = await scoreLogProbs(rephraser, prompts.map(promptIds), out.tokens);
    asking.forEach((g, i) => {
      const text = responseText(out.tokens[i]);
      const reward = this.task.reward(g.problem, text);
      const d = repoDecision(g.rollouts.map((r) => r.reward), reward, sw);
      g.decision = d.decision;
      g.rephrase = { prompt: prompts[i], text, reward, accepted: d.decision === 'injected' };
      if (d.replacedIndex !== null) {
        replace(g, d.replacedIndex);
        g.rollouts[d.replacedIndex] = { ids: out.tokens[i], text, source: 'rephrase', reward, style: this.task.style(text), behaviourLogp: behaviour[i] };
      }
    });
    return out.generated;
  }

  /** LUFFY: the expert solution joins the group (always, or only when it fails often enough). */
  private luffyInject(groups: GroupDraft[], sw: LuffySwitches): void {
    for (const g of groups) {
      const d = luffyDecision(g.rollouts.map((r) => r.reward), sw);
      g.decision = d.decision;
      if (d.decision !== 'injected') continue;
      const expert = { ids: responseIds(g.expert), text: g.expert, source: 'expert' as const, reward: this.task.reward(g.problem, g.expert), style: this.task.style(g.expert), behaviourLogp: [] as number[] };
      expert.behaviourLogp = expert.ids.map(() => 0); // π_φ = 1 for every expert token
      if (d.replacedIndex === null) g.rollouts.push(expert);
      else {
        replace(g, d.replacedIndex);
        g.rollouts[d.replacedIndex] = expert;
      }
    }
  }

  /** One TrainRow per rollout, with old (π_θold under q), reference and behaviour log-probs. */
  private async trainRows(groups: GroupDraft[]): Promise<TrainRow[]> {
    const c = this.cfg;
    const flat = groups.flatMap((g, gi) => g.rollouts.map((r) => ({ g, gi, r })));
    const prompts = flat.map(({ g }) => promptIds(g.problem.question));
    const responses = flat.map(({ r }) => r.ids);
    const old = await scoreLogProbs(this.policy, prompts, responses);
    const ref = c.beta > 0 ? await scoreLogProbs(this.start, prompts, responses) : undefined;
    const offPolicyExpert = expertIsOffPolicy(this.luffySwitches());
    const rows: TrainRow[] = flat.map(({ gi, r }, i) => {
      let logpOld = old[i];
      if (r.source === 'expert') logpOld = r.ids.map(() => 0); // π_φ = 1
      if (r.source === 'rephrase' && c.repoScoreUnder === 'rephrasePrompt') logpOld = r.behaviourLogp!;
      return { group: gi, prompt: prompts[i], response: r.ids, logpOld, logpQ: old[i], logpRef: ref?.[i], offPolicy: r.source === 'expert' && offPolicyExpert };
    });
    // repoTrainPrompt (not in the paper): o_rep also as a response to the prompt that produced it, with o_rep's
    // advantage. Its old log-probs are its behaviour log-probs: π_θold(·|P(q,k)) for the policy rephraser (ratio
    // 1 at the first update); with a frozen rephraser, the frozen model's (the honest behaviour ratio).
    if (c.algo === 'repo' && c.repoTrainPrompt) {
      const reps = flat.map((f, i) => ({ ...f, i })).filter(({ r }) => r.source === 'rephrase');
      const repPrompts = reps.map(({ g }) => promptIds(this.task.rephrasePrompt(g.problem, g.expert)));
      const repRef = c.beta > 0 && reps.length ? await scoreLogProbs(this.start, repPrompts, reps.map(({ r }) => r.ids)) : undefined;
      reps.forEach(({ r, i }, k) => {
        rows.push({ group: rows[i].group, prompt: repPrompts[k], response: r.ids, logpOld: r.behaviourLogp!, logpQ: r.behaviourLogp!, logpRef: repRef?.[k], offPolicy: false, like: i });
      });
    }
    return rows;
  }

  dispose(): void {
    this.opt.dispose();
    this.policy.dispose();
    this.start.dispose();
  }
}

/** Marks rollout `i` of a group as displaced by an injection, keeping what it was for the inspector. */
function replace(g: GroupDraft, i: number): void {
  const r = g.rollouts[i];
  g.replacedIndex = i;
  g.replaced = { text: r.text, reward: r.reward, style: r.style };
}
