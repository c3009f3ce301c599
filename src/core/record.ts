// The StepRecord (DESIGN §5): what one training step emits. The CLI writes it as a JSON line; the
// worker posts the same object to the app.
import type { Algo } from './config';
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
  failed: boolean; // reward < δ
  advantage: number;
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

export interface RatioStats {
  count: number;
  mean: number;
  variance: number;
  min: number;
  max: number;
  p01: number;
  p50: number;
  p99: number;
  histogram: { edges: number[]; counts: number[] };
}

export interface StepMetrics {
  rewardMean: number;
  injectionRate: number; // injected groups / groups
  loss: number;
  entropy: number;
  kl: number;
  gradNorm: number;
  clipFracLow: number;
  clipFracHigh: number;
  clipFracRegion: number;
  ratio: Record<Source, RatioStats>; // linear ratio the loss used
  logRatio: Record<Source, RatioStats>; // the same on a log scale (DESIGN §7: measure spread here)
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
}

export interface StepRecord {
  step: number;
  algo: Algo;
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
