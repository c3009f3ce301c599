// Number formatting shared by every view, so the same quantity reads the same everywhere.

/** A number with `digits` decimals (significant figures below 1); '—' for missing or non-finite values. */
export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  // Very small or large values (variances of LUFFY log-ratios, tiny KLs) stay readable in exponent form.
  if (a < 1e-3 || a >= 1e5) return v.toExponential(Math.max(1, digits - 1));
  // Below 1 keep `digits` significant figures (0.00452, not 0.005 or 0), above 1 `digits` decimals.
  return Number(a < 1 ? v.toPrecision(Math.max(1, digits)) : v.toFixed(digits)).toString();
}

/** A fraction in [0,1] as a percentage, e.g. 0.125 → '12.5 %'. */
export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(digits)} %`;
}

/** Signed value, so advantages show their direction at a glance: +0.75 / −0.25. */
export function signed(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const s = Math.abs(v).toFixed(digits);
  return v > 0 ? `+${s}` : v < 0 ? `−${s}` : s;
}

/** Milliseconds, switching to seconds above 10 s. */
export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

/** Colour-blind-safe (Okabe–Ito) colours for runs in compare mode, by index. */
export const RUN_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
export function runColour(i: number, given?: string): string {
  return given ?? RUN_COLOURS[((i % RUN_COLOURS.length) + RUN_COLOURS.length) % RUN_COLOURS.length];
}

/** Where a rollout came from: the same colours in the inspector and the ratio panel. */
export const SOURCE_COLOURS = { policy: '#0072B2', rephrase: '#009E73', expert: '#D55E00' } as const;
export const SOURCE_LABELS = { policy: 'policy (on-policy)', rephrase: 'rephrase (o_rep)', expert: 'expert (k)' } as const;
export const STYLE_COLOURS = { own: '#0072B2', expert: '#D55E00', malformed: '#999999' } as const;
