// The ρ × δ ablation: one short run per grid cell from the same checkpoint and seed, then a greedy
// evaluation on the hard tier. Framework-free so the worker (and a CLI) can drive it.
import type { Config } from './config';
import { evaluate } from './eval';
import { fixedEvalSets } from './evalsets';
import type { GPT } from './model';
import type { Task } from './tasks/task';
import { Trainer } from './trainer';

export interface CellResult {
  rho: number;
  delta: number;
  hardAcc: number; // greedy accuracy on the fixed hard set after the cell's steps
  easyAcc: number; // the same on the easy set: did the cell pay for hard gains with easy ones?
  injectionRate: number; // mean over the cell's steps
  rewardMean: number; // mean over the cell's steps
}

export { ablationGrid, linspace } from './ablationGrid';

/**
 * Trains one cell for `steps` steps and evaluates hard and easy accuracy on `evalSize` fixed problems each.
 * Returns null when `cancelled()` turns true between steps (the partial cell is discarded).
 */
export async function runAblationCell(
  task: Task,
  start: GPT,
  config: Config,
  cell: { rho: number; delta: number },
  steps: number,
  evalSize: number,
  cancelled: () => boolean,
): Promise<CellResult | null> {
  const trainer = new Trainer(task, start, { ...config, rho: cell.rho, delta: cell.delta, steps });
  try {
    let inj = 0;
    let reward = 0;
    for (let s = 0; s < steps; s++) {
      // Yield a macrotask: on wasm/cpu every readback resolves as a microtask, so without this a
      // cancel message could not be delivered until the whole sweep had finished.
      await new Promise((r) => setTimeout(r, 0));
      if (cancelled()) return null;
      const rec = await trainer.trainStep({ skipEval: true });
      inj += rec.metrics.injectionRate;
      reward += rec.metrics.rewardMean;
    }
    await new Promise((r) => setTimeout(r, 0));
    if (cancelled()) return null;
    const sets = fixedEvalSets(task, evalSize);
    const hard = await evaluate(trainer.policy, task, sets.hard);
    const easy = await evaluate(trainer.policy, task, sets.easy);
    return { ...cell, hardAcc: hard.accuracy, easyAcc: easy.accuracy, injectionRate: inj / steps, rewardMean: reward / steps };
  } finally {
    trainer.dispose();
  }
}
