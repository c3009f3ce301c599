// Same checkpoint, seed, config and backend → the same StepRecords, bit for bit, except the wall-clock
// fields. Shared by src/core/determinism.test.ts (wasm, cpu) and the browser page e2e/reliability.html (webgpu).
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../core/config';
import type { GPT } from '../core/model';
import type { StepRecord } from '../core/record';
import type { Task } from '../core/tasks/task';
import { Trainer } from '../core/trainer';

/**
 * Fields that measure time, which legitimately differ between identical runs; and the GPU memory the
 * backend holds, which depends on what ran before in the process (tfjs's buffer pool), not on the run.
 */
export const WALL_CLOCK = ['stepMs', 'genMs', 'scoreMs', 'updateMs', 'genTokensPerSec', 'gpuMemoryBytes'] as const;

export function timeless(r: StepRecord): StepRecord {
  const metrics = { ...r.metrics };
  for (const k of WALL_CLOCK) delete (metrics as Partial<typeof metrics>)[k];
  return { ...r, metrics };
}

/**
 * The path of the first place `a` and `b` differ, with both values, or null when they are identical.
 * Numbers compare with Object.is: NaN equals NaN, but 0 and −0 differ (a sign is a computation too).
 */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) ? null : `${path}: ${a} vs ${b}`;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return firstDifference(Array.from(a as ArrayLike<number>), Array.from(b as ArrayLike<number>), path);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const va = (a as Record<string, unknown>)[k];
    const vb = (b as Record<string, unknown>)[k];
    if (!(k in a) || !(k in b)) return `${path}.${k}: present in only one (${JSON.stringify(va)} vs ${JSON.stringify(vb)})`;
    const d = firstDifference(va, vb, Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

/** What a run exercised, so a comparison of two runs that did nothing cannot pass unnoticed. */
export interface Coverage {
  steps: number;
  updates: number; // optimiser updates applied
  injected: number; // groups with an injection
  offPolicyRows: number; // rephrase or expert rollouts trained on
  ratiosOffOne: number; // on-policy tokens whose ratio moved off 1 (μ ≥ 2 after the first update)
}

export function coverage(recs: StepRecord[]): Coverage {
  const rollouts = recs.flatMap((r) => r.groups.flatMap((g) => g.rollouts));
  return {
    steps: recs.length,
    updates: recs.reduce((s, r) => s + r.metrics.updates, 0),
    injected: recs.reduce((s, r) => s + r.groups.filter((g) => g.decision === 'injected').length, 0),
    offPolicyRows: rollouts.filter((x) => x.source !== 'policy').length,
    ratiosOffOne: rollouts.filter((x) => x.source === 'policy').reduce((s, x) => s + x.ratio.filter((v) => Math.abs(v - 1) > 1e-6).length, 0),
  };
}

export interface TwoRuns {
  backend: string;
  diff: string | null; // first difference between the two runs' timeless records
  coverage: Coverage;
  records: number;
}

/**
 * Trains `steps` steps twice from `start` with the same config, one Trainer after the other (so
 * metrics.numTensors is comparable too), and compares the records. `skipEval` leaves out the step-0
 * evaluation (SwiftShader WebGPU is slow).
 */
export async function twoRuns(task: Task, start: GPT, config: Config, steps: number, skipEval = false): Promise<TwoRuns> {
  const run = async () => {
    const t = new Trainer(task, start, config);
    const out: StepRecord[] = [];
    try {
      for (let i = 0; i < steps; i++) out.push(timeless(await t.trainStep({ skipEval })));
    } finally {
      t.dispose();
    }
    return out;
  };
  const a = await run();
  const b = await run();
  return { backend: tf.getBackend(), diff: firstDifference(a, b), coverage: coverage(a), records: a.length };
}
