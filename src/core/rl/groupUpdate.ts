// GRPO (docs/DESIGN.md §4): advantages within each group of G rollouts, then μ clipped-surrogate updates.
// RePO and LUFFY only change which rollouts a group holds; this update is shared by all three.
import type { GPT } from '../model';
import { packBatch } from '../model';
import type { Optimiser } from '../optim/apply';
import { update, type UpdateResult } from './loss';
import { groupAdvantages, type AdvantageScale, type LossConfig } from './objective';

/** One response to train on. logpOld is per response token (0 for an expert token: π_φ = 1). */
export interface TrainRow {
  group: number;
  prompt: number[];
  response: number[];
  logpOld: number[];
  logpQ: number[]; // log π_θold(o | q), whatever logpOld holds (for behaviour ratios and display)
  logpRef?: number[];
  offPolicy: boolean;
  /** An extra row outside the groups (after every group row): it takes the advantage (and inclusion) of row `like`. */
  like?: number;
}

export interface GrpoOptions {
  groupSize: number;
  scale: AdvantageScale;
  dropZeroStd: boolean;
  mu: number;
  maxGradNorm: number;
  loss: LossConfig;
}

export interface GrpoResult {
  advantages: number[]; // per row
  inLoss: boolean[]; // per row: false for rows of dropped (zero-std) groups
  last: UpdateResult | null; // the last update, or null when no row was left
  lastRows: number[]; // row indices of `last`'s batch, in its order
  updates: number; // updates applied (skipped NaN/Inf ones not counted)
  skipped: boolean; // some update was skipped for a NaN/Inf loss or gradient
}

/** Rows come group after group, `groupSize` each, rewards in the same order; extra rows (`like`) follow. */
export async function grpoUpdate(model: GPT, opt: Optimiser, rows: TrainRow[], rewards: number[], o: GrpoOptions): Promise<GrpoResult> {
  const grouped = groupAdvantages(rewards, o.groupSize, o.scale);
  const groupInLoss = rewards.map((_, i) => {
    if (!o.dropZeroStd) return true;
    const g = Math.floor(i / o.groupSize) * o.groupSize;
    const group = rewards.slice(g, g + o.groupSize);
    return group.some((r) => r !== group[0]);
  });
  const advantages = rows.map((r, i) => (i < rewards.length ? grouped[i] : grouped[r.like!]));
  const inLoss = rows.map((r, i) => (i < rewards.length ? groupInLoss[i] : groupInLoss[r.like!]));
  const lastRows = rows.map((_, i) => i).filter((i) => inLoss[i]);
  if (lastRows.length === 0) return { advantages, inLoss, last: null, lastRows, updates: 0, skipped: false };

  const kept = lastRows.map((i) => rows[i]);
  const packed = packBatch(kept.map((r) => r.prompt), kept.map((r) => r.response));
  const L = packed.contWidth;
  const perToken = (get: (r: TrainRow) => number[] | undefined) => {
    const a = new Float32Array(kept.length * L);
    kept.forEach((r, i) => a.set(get(r) ?? [], i * L));
    return a;
  };
  const batch = {
    packed,
    logpOld: perToken((r) => r.logpOld),
    logpRef: kept.every((r) => r.logpRef) ? perToken((r) => r.logpRef) : undefined,
    advantages: Float32Array.from(lastRows.map((i) => advantages[i])),
    offPolicy: Float32Array.from(kept.map((r) => (r.offPolicy ? 1 : 0))),
  };
  let last: UpdateResult | null = null;
  let updates = 0;
  let skipped = false;
  for (let k = 0; k < o.mu; k++) {
    last = await update(model, opt, batch, o.loss, o.maxGradNorm);
    if (last.skipped) skipped = true;
    else updates++;
  }
  return { advantages, inLoss, last, lastRows, updates, skipped };
}
