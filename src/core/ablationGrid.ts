// The ρ × δ grid of the ablation (pure, no tfjs: the page builds it too).

/** Row-major grid: ρ varies slowest, so a heatmap fills row by row. */
export function ablationGrid(rhos: number[], deltas: number[]): { rho: number; delta: number }[] {
  return rhos.flatMap((rho) => deltas.map((delta) => ({ rho, delta })));
}

/** Evenly spaced values in [lo, hi], rounded to 2 decimals so labels and URL values stay tidy. */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (n <= 1) return [lo];
  return Array.from({ length: n }, (_, i) => Math.round((lo + ((hi - lo) * i) / (n - 1)) * 100) / 100);
}

/**
 * The grid both the CLI (`npm run ablate`) and the app sweep by default. With the reward's three levels
 * (1 / 0.25 / 0), δ = 0.25 fails only malformed answers and δ = 0.5 every wrong one (δ = 1 would act
 * as 0.5), so these two columns are the δ values that differ; ρ spans "a quarter failed" to "all failed".
 * `cellSteps`: at 40 steps the δ columns differ (no injection at δ = 0.25) and the injection rate falls with ρ;
 * ρ's effect on hard accuracy needs ~100 steps per cell (docs/SCIENCE.md, ρ × δ).
 */
export const ABLATION_DEFAULTS = { rhos: [0.25, 0.5, 1], deltas: [0.25, 0.5], seeds: [1, 2], cellSteps: 40, evalSize: 100 } as const;
