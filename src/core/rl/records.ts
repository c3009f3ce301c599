// Turns a step's groups, rows and update result into the StepRecord's groups and metrics.
import type { Decision, GroupRecord, RatioStats, RolloutRecord, Source, StepMetrics } from '../record';
import { SOURCES } from '../record';
import type { Problem, Style } from '../tasks/task';
import { VOCAB } from '../vocab';
import type { GrpoResult, TrainRow } from './groupUpdate';
import { LINEAR_DOMAIN, LOG_DOMAIN, ratioStats } from './stats';

export interface RolloutDraft {
  ids: number[];
  text: string;
  source: Source;
  reward: number;
  style: Style;
  behaviourLogp?: number[]; // log μ(o) per token for injected rollouts
}

export interface GroupDraft {
  problem: Problem;
  expert: string;
  rollouts: RolloutDraft[];
  failureRate: number;
  decision: Decision;
  replacedIndex: number | null;
  replaced: GroupRecord['replaced'];
  rephrase: GroupRecord['rephrase'];
}

/** Rows are in group order, one per rollout. */
export function buildRecords(groups: GroupDraft[], rows: TrainRow[], result: GrpoResult | null, delta: number): GroupRecord[] {
  const position = new Map<number, number>(); // row index → index in the last update's batch
  result?.lastRows.forEach((row, j) => position.set(row, j));
  const last = result?.last ?? null;
  const L = last && result!.lastRows.length ? last.logpNew.length / result!.lastRows.length : 0;
  let i = 0;
  return groups.map((g) => {
    const rollouts = g.rollouts.map((r): RolloutRecord => {
      const row = rows[i];
      const j = position.get(i);
      const advantage = result ? result.advantages[i] : null;
      i++;
      const logpNew = last && j !== undefined ? Array.from(last.logpNew.subarray(j * L, j * L + r.ids.length)) : null;
      const out: RolloutRecord = {
        text: r.text,
        source: r.source,
        style: r.style,
        reward: r.reward,
        failed: r.reward < delta,
        advantage,
        tokens: r.ids.map((id) => VOCAB[id]),
        logpOld: row.logpOld,
        ratio: logpNew ? logpNew.map((lp, t) => Math.exp(lp - row.logpOld[t])) : [],
        clipped: logpNew ? Array.from(last!.clipped.subarray(j! * L, j! * L + r.ids.length), (v) => v > 0) : [],
      };
      if (r.behaviourLogp) out.behaviourLogRatio = (logpNew ?? row.logpQ).map((lp, t) => lp - r.behaviourLogp![t]);
      return out;
    });
    const inLoss = result ? result.inLoss[i - 1] : false;
    return {
      question: g.problem.question,
      answer: g.problem.answer,
      difficulty: g.problem.difficulty,
      split: g.problem.split,
      failureRate: g.failureRate,
      decision: g.decision,
      injected: g.decision === 'injected',
      replacedIndex: g.replacedIndex,
      replaced: g.replaced,
      inLoss,
      rephrase: g.rephrase,
      expert: g.expert,
      rollouts,
    };
  });
}

function bySource(groups: GroupRecord[], pick: (r: RolloutRecord) => number[] | undefined): Record<Source, number[]> {
  const out: Record<Source, number[]> = { policy: [], rephrase: [], expert: [] };
  for (const g of groups) for (const r of g.rollouts) out[r.source].push(...(pick(r) ?? []));
  return out;
}

function statsOf(values: Record<Source, number[]>, domain: [number, number]): Record<Source, RatioStats> {
  return Object.fromEntries(SOURCES.map((s) => [s, ratioStats(values[s], domain)])) as Record<Source, RatioStats>;
}

export function summarise(groups: GroupRecord[], result: GrpoResult | null, sftLoss?: number): Omit<StepMetrics, 'stepMs' | 'genMs' | 'scoreMs' | 'updateMs' | 'genTokensPerSec' | 'numTensors'> {
  const policy = groups.flatMap((g) => g.rollouts.filter((r) => r.source === 'policy'));
  const style: Record<Style, number> = { own: 0, expert: 0, malformed: 0 };
  for (const r of policy) style[r.style]++;
  const n = Math.max(policy.length, 1);
  const linear = bySource(groups, (r) => r.ratio);
  const last = result?.last;
  return {
    rewardMean: policy.reduce((a, r) => a + r.reward, 0) / n,
    injectionRate: groups.filter((g) => g.injected).length / Math.max(groups.length, 1),
    loss: sftLoss ?? last?.loss ?? null,
    entropy: last?.entropy ?? null,
    kl: last?.kl ?? null,
    gradNorm: last?.gradNorm ?? null,
    clipFracLow: last?.clipFracLow ?? null,
    clipFracHigh: last?.clipFracHigh ?? null,
    clipFracRegion: last?.clipFracRegion ?? null,
    ratio: statsOf(linear, LINEAR_DOMAIN),
    logRatio: statsOf({ policy: linear.policy.map(Math.log), rephrase: linear.rephrase.map(Math.log), expert: linear.expert.map(Math.log) }, LOG_DOMAIN),
    behaviourLogRatio: statsOf(bySource(groups, (r) => r.behaviourLogRatio), LOG_DOMAIN),
    styleShare: { own: style.own / n, expert: style.expert / n, malformed: style.malformed / n },
    updateSkipped: result?.skipped ?? false,
    updates: result?.updates ?? (sftLoss !== undefined ? 1 : 0),
  };
}
