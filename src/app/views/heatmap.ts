// Pure helpers for the ρ × δ ablation heatmaps.

export interface AblationCell {
  rho: number;
  delta: number;
  hardAcc?: number;
  injectionRate?: number;
  easyAcc?: number;
}

/** Cells are matched by value with a tolerance: grid values come from float arithmetic (0.1·3 ≠ 0.3). */
export function findCell(cells: readonly AblationCell[], rho: number, delta: number): AblationCell | undefined {
  const eq = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  return cells.find((c) => eq(c.rho, rho) && eq(c.delta, delta));
}

// A perceptually ordered light→dark blue ramp (ColorBrewer "Blues" end points and middle).
const STOPS: [number, number, number][] = [
  [247, 251, 255],
  [158, 202, 225],
  [66, 146, 198],
  [8, 48, 107],
];

/** Colour of a value in [0,1] (clamped); missing values get a light grey. */
export function heatColour(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return 'rgb(235, 235, 235)';
  const t = Math.min(1, Math.max(0, v)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t));
  const u = t - i;
  const c = STOPS[i].map((x, k) => Math.round(x + (STOPS[i + 1][k] - x) * u));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Dark or light text, whichever contrasts more with the cell colour (WCAG relative luminance). */
export function textColourOn(rgb: string): '#111' | '#fff' {
  const m = rgb.match(/\d+/g);
  if (!m || m.length < 3) return '#111';
  const lin = m.slice(0, 3).map((s) => {
    const c = Number(s) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const L = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  // Contrast with black is (L+0.05)/0.05, with white 1.05/(L+0.05): pick the larger.
  return (L + 0.05) / 0.05 >= 1.05 / (L + 0.05) ? '#111' : '#fff';
}

/** Number of cells with a value for `metric`, for the "k of n done" line. */
export function filledCount(cells: readonly AblationCell[], rhos: readonly number[], deltas: readonly number[], metric: 'hardAcc' | 'injectionRate' | 'easyAcc'): number {
  let n = 0;
  for (const r of rhos) for (const d of deltas) if (Number.isFinite(findCell(cells, r, d)?.[metric])) n++;
  return n;
}
