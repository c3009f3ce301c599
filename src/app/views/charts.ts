// The small multiples of the live dashboard: which metric goes in which chart, as pure data.
import { SOURCES, type StepMetrics } from '../../core/record';
import { STYLE_COLOURS, runColour } from './format';
import type { ChartData, SeriesSpec } from './smoothing';

type M = StepMetrics;
export interface ChartDef {
  name: string;
  title: string;
  hint?: string;
  specs: SeriesSpec<M>[];
  yDomain?: [number, number];
  percent?: boolean;
  marks?: boolean;
  /** A log-scaled y-axis (values ≤ 0 become gaps). */
  logY?: boolean;
  /** Fixed colours per series key; in compare mode the run is then told by the dash instead. */
  colours?: Record<string, string>;
}
// Steps without RL rows in the loss (all groups dropped, or SFT) have no update statistics (null), and a
// skipped update's are NaN/Inf: both are gaps, not values.
const rl = (m: M) => SOURCES.some((src) => m.ratio[src].count > 0) && !m.updateSkipped;
const s = (key: string, label: string, get: (m: M) => number | null | undefined, smooth = true): SeriesSpec<M> => ({ key, label, get: (m) => get(m) ?? undefined, smooth });

export const CHARTS: ChartDef[] = [
  { name: 'reward', title: 'Reward (mean)', hint: 'over the on-policy rollouts (injected ones excluded)', specs: [s('reward', 'reward', (m) => m.rewardMean)], yDomain: [0, 1] },
  {
    name: 'eval',
    title: 'Greedy eval accuracy',
    hint: 'only on eval steps',
    specs: [s('easy', 'easy', (m) => m.evalEasy, false), s('hard', 'hard', (m) => m.evalHard, false), s('rephraseHard', 'rephrase-hard', (m) => m.evalRephraseHard, false)],
    yDomain: [0, 1],
    percent: true,
  },
  { name: 'injection', title: 'Injection rate', hint: 'groups that received o_rep or k', specs: [s('inj', 'injection rate', (m) => m.injectionRate)], yDomain: [0, 1], percent: true },
  {
    name: 'clip',
    title: 'Clip fractions',
    hint: 'tokens whose gradient the clip stopped',
    specs: [s('low', 'low (r<1−ε, A<0)', (m) => (rl(m) ? m.clipFracLow : undefined)), s('high', 'high (r>1+ε, A>0)', (m) => (rl(m) ? m.clipFracHigh : undefined)), s('region', 'region', (m) => (rl(m) ? m.clipFracRegion : undefined))],
    percent: true,
  },
  { name: 'entropy', title: 'Entropy', hint: 'token mean, nats', specs: [s('entropy', 'entropy', (m) => (rl(m) ? m.entropy : undefined))] },
  { name: 'kl', title: 'KL to start (k3)', specs: [s('kl', 'KL', (m) => (rl(m) ? m.kl : undefined))] },
  { name: 'loss', title: 'Loss', hint: 'red lines: update skipped (NaN/Inf)', specs: [s('loss', 'loss', (m) => (m.updates > 0 && !m.updateSkipped ? m.loss : undefined))], marks: true },
  { name: 'gradnorm', title: 'Grad norm', hint: 'before clipping', specs: [s('grad', 'grad norm', (m) => (rl(m) ? m.gradNorm : undefined))], marks: true },
  {
    name: 'style',
    title: 'Style of on-policy rollouts',
    hint: 'own / expert / malformed share',
    specs: [s('own', 'own', (m) => m.styleShare.own), s('expert', 'expert', (m) => m.styleShare.expert), s('malformed', 'malformed', (m) => m.styleShare.malformed)],
    yDomain: [0, 1],
    percent: true,
  },
];


const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73'];
const DASH = [undefined, '6 3', '2 2'];
const DOTS_BELOW = 12; // finite points; more read as a line, and each dot is an SVG element to re-render

/** How one drawn line looks. */
export interface LineStyle {
  dataKey: string;
  name: string; // tooltip name
  colour: string;
  dash?: string;
  /** Few finite points (sparse eval series, the first steps): draw dots, or a lone point is invisible. */
  dots: boolean;
}
export interface ChartStyle {
  lines: LineStyle[];
  /** The key above the plot (series, not runs: runs have the panel legend). */
  legend: { label: string; colour: string; dash?: string }[];
  /** Style share as a stacked area; in compare mode as lines (areas of several runs would stack together). */
  stacked: boolean;
}

/**
 * The one mapping from (chart, runs) to colours, dashes and names. Single run: one colour per series.
 * Compare mode: the colour says the run, the dash says the series.
 */
export function chartStyle(chart: ChartDef, data: ChartData, runs: readonly { colour?: string }[]): ChartStyle {
  const compare = runs.length > 1;
  const style = chart.name === 'style';
  const series = (key: string, k: number) => chart.colours?.[key] ?? (style ? STYLE_COLOURS[key as keyof typeof STYLE_COLOURS] : SERIES_COLOURS[k % 3]) ?? SERIES_COLOURS[0];
  const si = (key: string) => Math.max(0, chart.specs.findIndex((sp) => sp.key === key));
  const finite = (dk: string) => data.rows.reduce((n, r) => (r[dk] === null || r[dk] === undefined ? n : n + 1), 0);
  if (chart.colours)
    return {
      lines: data.lines.map((l) => ({ dataKey: l.dataKey, name: compare ? `${l.runName} · ${l.label}` : l.label, colour: series(l.key, si(l.key)), dash: compare ? DASH[l.run % 3] : undefined, dots: finite(l.dataKey) < DOTS_BELOW })),
      legend: chart.specs.map((sp, k) => ({ label: sp.label, colour: series(sp.key, k) })),
      stacked: false,
    };
  return {
    lines: data.lines.map((l) => ({
      dataKey: l.dataKey,
      name: compare ? `${l.runName} · ${l.label}` : l.label,
      colour: compare ? runColour(l.run, runs[l.run]?.colour) : series(l.key, si(l.key)),
      dash: compare ? DASH[si(l.key) % 3] : undefined,
      dots: finite(l.dataKey) < DOTS_BELOW,
    })),
    legend: chart.specs.map((sp, k) => ({ label: sp.label, colour: compare ? '#333' : series(sp.key, k), dash: compare ? DASH[k % 3] : undefined })),
    stacked: style && !compare,
  };
}

/** Steps whose update was skipped (NaN/Inf), for the charts that mark them. */
export function skippedSteps(chart: ChartDef, runs: readonly { metrics: readonly (StepMetrics & { step: number })[] }[]): number[] | undefined {
  if (!chart.marks) return undefined;
  const out: number[] = [];
  for (const r of runs) for (const m of r.metrics) if (m.updateSkipped) out.push(m.step);
  return out;
}
