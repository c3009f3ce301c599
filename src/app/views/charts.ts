// The small multiples of the live dashboard: which metric goes in which chart, as pure data.
import { SOURCES, type StepMetrics } from '../../core/record';
import type { SeriesSpec } from './smoothing';

type M = StepMetrics;
export interface ChartDef {
  name: string;
  title: string;
  hint?: string;
  specs: SeriesSpec<M>[];
  yDomain?: [number, number];
  percent?: boolean;
  marks?: boolean;
}
// Steps without RL rows in the loss (all groups dropped, or SFT) report 0 for these: a gap, not a value.
const rl = (m: M) => SOURCES.some((src) => m.ratio[src].count > 0) && !m.updateSkipped;
const s = (key: string, label: string, get: (m: M) => number | undefined, smooth = true): SeriesSpec<M> => ({ key, label, get, smooth });

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

