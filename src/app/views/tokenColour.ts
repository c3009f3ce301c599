// Colour scales for the per-token view of a rollout. Backgrounds stay light (at most ~65 % of the
// hue mixed into white) so the dark token text keeps a contrast ratio well above 4.5:1.
import type { RolloutRecord } from '../../core/record';

export type ColourBy = 'logpOld' | 'ratio' | 'clipped' | 'advantage' | 'behaviour';

export const COLOUR_MODES: { value: ColourBy; label: string; legend: string }[] = [
  { value: 'logpOld', label: 'log-prob (old)', legend: 'π_old(token): white = sure (p≈1), orange = surprising (p≈0)' },
  { value: 'ratio', label: 'ratio r', legend: 'r = π_θ/π_old at the last update: blue < 1 < red; white = 1 (log scale, full colour at |log r| ≥ 0.5, i.e. r ≤ 0.61 or ≥ 1.65)' },
  { value: 'clipped', label: 'clipped', legend: 'red = the clip stopped this token’s gradient at the last update' },
  { value: 'advantage', label: 'advantage', legend: 'A_i of the whole rollout: green pushed up, red pushed down (saturates at |A| = 2)' },
  { value: 'behaviour', label: 'behaviour log-ratio', legend: 'injected rows: log π_θ − log μ per token: purple = less likely now than under what wrote it, green = more likely, white = 0 (full colour at ±2)' },
];

const WHITE: Rgb = [255, 255, 255];
const ORANGE: Rgb = [230, 120, 20];
const BLUE: Rgb = [40, 110, 220];
const RED: Rgb = [215, 50, 40];
const GREEN: Rgb = [20, 150, 70];
const PURPLE: Rgb = [130, 60, 180];
const MAX_MIX = 0.65;
// |log r| at which the ratio colouring saturates: beyond the usual clip range (ε = 0.2 → |log r| ≈ 0.2),
// so on-policy drift within the clip still shows as a tint while LUFFY's far-off expert tokens saturate.
const RATIO_SATURATION = 0.5;

type Rgb = [number, number, number];

/** Linear mix of two colours, t ∈ [0,1] clamped; returns a CSS rgb() string. */
export function mix(a: Rgb, b: Rgb, t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * u));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Diverging scale: x ∈ [−1, 1] → negColour … white … posColour. */
export function diverging(x: number, neg: Rgb, pos: Rgb): string {
  if (!Number.isFinite(x)) return mix(WHITE, WHITE, 0);
  return x < 0 ? mix(WHITE, neg, -x * MAX_MIX) : mix(WHITE, pos, x * MAX_MIX);
}

export const NEUTRAL = 'rgb(236, 236, 236)'; // "no value for this token" (row not in the loss)

export interface TokenPaint {
  background: string;
  /** Hover text with the token's numbers. */
  title: string;
}

function num(v: number | undefined, d = 3): string {
  return v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d);
}

/** Colour and hover text of token t of a rollout under a colouring mode. */
export function paintToken(mode: ColourBy, r: RolloutRecord, t: number): TokenPaint {
  const lp = r.logpOld[t];
  const ratio = r.ratio.length ? r.ratio[t] : undefined;
  const clipped = r.clipped.length ? r.clipped[t] : undefined;
  const beh = r.behaviourLogRatio?.[t];
  const tok = r.tokens[t] === '$' ? '$ (end)' : JSON.stringify(r.tokens[t]);
  const title = [
    `token ${tok}`,
    `log π_old ${num(lp)} (p ${num(lp === undefined ? undefined : Math.exp(lp))})`,
    `r ${num(ratio)}`,
    `clipped ${clipped === undefined ? '—' : clipped ? 'yes' : 'no'}`,
    ...(beh !== undefined ? [`behaviour log-ratio ${num(beh)}`] : []),
  ].join(' · ');
  let background = NEUTRAL;
  switch (mode) {
    case 'logpOld':
      if (lp !== undefined && Number.isFinite(lp)) background = mix(WHITE, ORANGE, (1 - Math.exp(lp)) * MAX_MIX);
      break;
    case 'ratio':
      if (ratio !== undefined && ratio > 0) background = diverging(Math.max(-1, Math.min(1, Math.log(ratio) / RATIO_SATURATION)), BLUE, RED);
      break;
    case 'clipped':
      if (clipped !== undefined) background = clipped ? mix(WHITE, RED, MAX_MIX) : mix(WHITE, WHITE, 0);
      break;
    case 'advantage':
      if (r.advantage !== null && Number.isFinite(r.advantage)) background = diverging(Math.max(-1, Math.min(1, r.advantage / 2)), RED, GREEN);
      break;
    case 'behaviour':
      // Saturates at |log-ratio| = 2 (the token is e² ≈ 7× less, or more, likely under π_θ(·|q) than under μ).
      if (beh !== undefined && Number.isFinite(beh)) background = beh < 0 ? mix(WHITE, PURPLE, Math.min(1, -beh / 2) * MAX_MIX) : mix(WHITE, GREEN, Math.min(1, beh / 2) * MAX_MIX);
      break;
  }
  return { background, title };
}

/** Whether a mode has anything to show for this rollout (else the row is drawn neutral with a note). */
export function modeAvailable(mode: ColourBy, r: RolloutRecord): boolean {
  if (mode === 'ratio') return r.ratio.length > 0;
  if (mode === 'clipped') return r.clipped.length > 0;
  if (mode === 'behaviour') return (r.behaviourLogRatio?.length ?? 0) > 0;
  return true;
}
