// The ρ × δ ablation in the worker: one short run per cell from the start checkpoint, with progress
// events after each cell. It stops between cells when `stop()` says so (cancel, a GPU error or loss).
import { ablationGrid, runAblationCell, type CellResult } from '../core/ablation';
import type { Config } from '../core/config';
import type { GPT } from '../core/model';
import type { Task } from '../core/tasks/task';
import type { AblationSpec, WorkerEvent } from './protocol';

export async function runAblation(task: Task, base: GPT, config: Config, spec: AblationSpec, post: (e: WorkerEvent) => void, stop: () => boolean): Promise<CellResult[]> {
  const cells = ablationGrid(spec.rhos, spec.deltas);
  const done: CellResult[] = [];
  post({ type: 'ablationProgress', done: 0, total: cells.length });
  for (const cell of cells) {
    const r = await runAblationCell(task, base, { ...config, algo: spec.algo }, cell, spec.stepsPerCell, spec.evalSize, stop);
    if (!r) break;
    done.push(r);
    post({ type: 'ablationProgress', done: done.length, total: cells.length, cell: r });
  }
  return done;
}
