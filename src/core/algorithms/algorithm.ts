// The contract every training method fills in (docs/DESIGN.md §4). The trainer calls these hooks in
// order, the same for every method, and never asks which method it runs:
//   rolloutsPerGroup → (sample rollouts) → inject → (score rows) → oldLogp / extraRows → update
// Everything a view or a table later needs to explain a step leaves through `describe` (recorded with
// every StepRecord) and the group drafts' `decision`, so nothing downstream re-derives a gate.
// Methods hold rules only: the tensor work (sampling, scoring, updates) comes in through StepContext,
// so these files import no tfjs and the app's main thread can ask a method to describe a config.
import type { Config } from '../config';
import type { GPT } from '../model';
import type { Example } from '../pretrain';
import type { MethodSettings } from '../record';
import type { GrpoResult, TrainRow } from '../rl/groupUpdate';
import type { AdvantageScale, LossConfig } from '../rl/objective';
import type { GroupDraft, RolloutDraft } from '../rl/records';
import type { SampleResult } from '../sampler';
import type { Problem, Task } from '../tasks/task';

/** What a method may use during one step; the trainer supplies it. */
export interface StepContext {
  cfg: Config;
  method: MethodSettings; // the method's describe(cfg), computed once per step
  task: Task;
  policy: GPT; // π_θ, trained
  start: GPT; // the start checkpoint: KL reference, frozen rephraser
  /** Samples responses (the step's seeded sampling stream, cfg's temperature and length). */
  sample(model: GPT, prompts: number[][]): Promise<SampleResult>;
  /** Per-token log-probs of `responses` after `prompts`. */
  score(model: GPT, prompts: number[][], responses: number[][]): Promise<number[][]>;
  /** Group advantages (method.advScale), then μ clipped-surrogate updates under method.loss (rl/groupUpdate.ts). */
  policyGradient(rows: TrainRow[], rewards: number[]): Promise<GrpoResult>;
  /** One cross-entropy step of the policy on (prompt, response) examples; returns the loss. */
  crossEntropy(examples: Example[]): Promise<number>;
}

/** The update's outcome: a policy-gradient result, or a cross-entropy loss (SFT). */
export interface UpdateOutcome {
  result: GrpoResult | null;
  sftLoss?: number;
}

export interface Algorithm {
  readonly name: string;
  /** One line for --help and docs. */
  readonly summary: string;
  /** What this method has in force under `c`: stored in every StepRecord. */
  describe(c: Config): MethodSettings;
  /** On-policy rollouts to sample per question. */
  rolloutsPerGroup(c: Config): number;
  /** Decides for each group what joins it (setting `decision`), and does it. Returns tokens generated. */
  inject(ctx: StepContext, groups: GroupDraft[]): Promise<number>;
  /** The old log-probs a row trains against; given log π_θold(o|q). Default: those. */
  oldLogp?(c: Config, r: RolloutDraft, logpQ: number[]): number[];
  /** Whether a row is scored with the off-policy objective. Default: no. */
  offPolicy?(c: Config, r: RolloutDraft): boolean;
  /** Rows trained beyond the groups' own (each `like` a group row, after all of them). Default: none. */
  extraRows?(ctx: StepContext, groups: GroupDraft[], rows: TrainRow[]): Promise<TrainRow[]>;
  /** The optimiser step(s). `rewards` are the group rows' rewards, group after group. */
  update(ctx: StepContext, rows: TrainRow[], rewards: number[], problems: Problem[]): Promise<UpdateOutcome>;
}

/** The loss switches every policy-gradient method starts from. */
export function baseLoss(c: Config): LossConfig {
  return { epsLow: c.epsLow, epsHigh: c.epsHigh, beta: c.beta, aggregation: c.aggregation, maxNewTokens: c.maxNewTokens };
}

/** The advantage scale in force: the config's, or the method's own choice for 'auto'. */
export function advScale(c: Config, auto: AdvantageScale): AdvantageScale {
  return c.advScale === 'auto' ? auto : c.advScale;
}

/** The policy-gradient update (the method's loss and advantage scale, from ctx.method), as an outcome. */
export async function policyGradient(ctx: StepContext, rows: TrainRow[], rewards: number[]): Promise<UpdateOutcome> {
  return { result: await ctx.policyGradient(rows, rewards) };
}

/** For methods that never inject: every group's decision is 'none'. */
export async function noInjection(_ctx: StepContext, groups: GroupDraft[]): Promise<number> {
  for (const g of groups) g.decision = 'none';
  return 0;
}

/** Marks rollout `i` of a group as displaced by an injection, keeping what it was for the inspector. */
export function displace(g: GroupDraft, i: number, by: RolloutDraft): void {
  const r = g.rollouts[i];
  g.replacedIndex = i;
  g.replaced = { text: r.text, reward: r.reward, style: r.style };
  g.rollouts[i] = by;
}
