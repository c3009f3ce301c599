// The StepRecord (docs/DESIGN.md §5): what one training step emits. The CLI writes it as a JSON line; the
// worker posts the same object to the app.
import type { Algo, Config } from './config';
import type { LossConfig } from './rl/objective';
import type { Split, Style } from './tasks/task';

export type Source = 'policy' | 'rephrase' | 'expert';
export const SOURCES: Source[] = ['policy', 'rephrase', 'expert'];

/** Why a group did or did not receive an injected solution. */
export type Decision =
  | 'none' // the algorithm never injects (GRPO, SFT)
  | 'gate-closed' // γ_fail < ρ
  | 'verifier-rejected' // RePO: the rephrasing scored below δ
  | 'injected';

export interface RolloutRecord {
  text: string;
  source: Source;
  style: Style;
  reward: number;
  failed: boolean; // reward < δ (the δ of the step's settings)
  advantage: number | null; // null: not a policy-gradient row (SFT)
  tokens: string[]; // response tokens, EOS shown as '$'
  logpOld: number[];
  ratio: number[]; // the ratio the loss used at the last update ([] if the row was not in the loss)
  clipped: boolean[];
  behaviourLogRatio?: number[]; // injected rows: log π_θ(o|q) − log μ(o)
}

export interface GroupRecord {
  question: string;
  answer: string;
  difficulty: number;
  split: Split;
  failureRate: number; // γ_fail over the on-policy rollouts, before injection
  decision: Decision;
  injected: boolean;
  replacedIndex: number | null;
  replaced: { text: string; reward: number; style: Style } | null; // the rollout the injection displaced
  inLoss: boolean; // false when the group was dropped for zero reward std
  rephrase: { prompt: string; text: string; reward: number; accepted: boolean } | null;
  expert: string; // the expert solution k (shown beside o_rep)
  rollouts: RolloutRecord[];
}

/** Stats of a set of token ratios; every number is null when there were none (count 0). */
export interface RatioStats {
  count: number;
  mean: number | null;
  variance: number | null;
  min: number | null;
  max: number | null;
  p01: number | null;
  p50: number | null;
  p99: number | null;
  histogram: { edges: number[]; counts: number[] };
}

export interface StepMetrics {
  rewardMean: number;
  injectionRate: number; // injected groups / groups
  // null = not measured (no policy-gradient update this step: SFT, every group dropped, or skipped)
  loss: number | null; // SFT: its cross-entropy
  entropy: number | null;
  kl: number | null;
  gradNorm: number | null;
  clipFracLow: number | null;
  clipFracHigh: number | null;
  clipFracRegion: number | null;
  ratio: Record<Source, RatioStats>; // linear ratio the loss used
  logRatio: Record<Source, RatioStats>; // the same on a log scale (docs/DESIGN.md §4: measure spread here)
  behaviourLogRatio: Record<Source, RatioStats>; // injected rows only
  styleShare: Record<Style, number>; // over on-policy rollouts
  updateSkipped: boolean; // a NaN/Inf loss or gradient: no update was applied this step
  updates: number; // optimiser updates applied
  evalEasy?: number;
  evalHard?: number;
  evalRephraseHard?: number; // greedy accuracy when reading the expert solution (rephrase ability)
  stepMs: number;
  genMs: number;
  scoreMs: number;
  updateMs: number;
  genTokensPerSec: number;
  numTensors: number;
  /** webgpu, webgl: GPU memory the backend holds after the step, in use and pooled (gpuBufferClasses.ts). */
  gpuMemoryBytes?: number;
}

/** What a method made of the config: the rules a step ran under, so views never re-derive them. */
export interface MethodSettings {
  objective: 'policy-gradient' | 'cross-entropy';
  /** Injection happens only when γ_fail = #{R < δ}/G ≥ ρ; null: the method does not gate. */
  gate: { rho: number; delta: number } | null;
  /** What an injection puts into a group: the policy's rephrasing o_rep, the expert trace, or nothing. */
  injects: 'rephrase' | 'expert' | null;
  /** Which rollout an injection replaces (ties of the lowest reward: the last), or 'extra': none, it joins. */
  slot: 'lowest-reward' | 'last' | 'extra' | null;
  verifier: boolean; // RePO: an o_rep is injected only if R(o_rep) ≥ δ
  rephraser: 'policy' | 'frozen' | null;
  trainsRephrasePrompt: boolean; // o_rep also trained as the answer to P(q,k) (extra rows)
  /** Old log-probs of injected rows: under q, under P(q,k), or log π_φ = 0 for the expert. */
  oldLogpOfInjected: 'question' | 'rephrasePrompt' | 'expert-one' | null;
  loss: LossConfig | null; // the policy-gradient loss switches; null for cross-entropy
  advScale: 'group' | 'batch' | 'none' | null; // advantages ÷ group std, batch std, or not ('auto' resolved); null for cross-entropy
}

/** Everything in force for a step: the whole settings table and what the method made of it. */
export interface StepSettings {
  config: Config;
  method: MethodSettings;
}

export interface StepRecord {
  step: number;
  algo: Algo;
  settings: StepSettings;
  groups: GroupRecord[];
  metrics: StepMetrics;
}

/** Where a step is while it runs (for a status line; nothing of it enters the record). */
export type StepPhase = 'evaluating' | 'generating' | 'scoring' | 'updating';
export interface StepProgress {
  phase: StepPhase;
  done?: number; // evaluating: problems answered so far
  total?: number;
}
