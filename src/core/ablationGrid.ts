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
