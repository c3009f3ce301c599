// Story presets: one-click scenarios for a demo, each a short text, the settings, and the panel to watch.
// URL-addressable (`?preset=hard-wall`); explicit parameters in the same URL override a preset's settings.
// The texts claim only what the CLI runs measured (docs/SCIENCE.md); the numbers quoted are from there.
import type { Algo, Config } from '../core/config';
import type { Panel } from './urlState';

export interface Preset {
  id: string;
  title: string;
  /** What happens, in two or three sentences. */
  story: string;
  /** Which panel to watch and what to look for there. */
  watch: { panel: Exclude<Panel, 'header'>; what: string };
  settings: Partial<Config>;
  compare: Algo[] | null;
}

/** Where the numbers behind the texts are (in the repository). */
export const SCIENCE_DOC = 'docs/SCIENCE.md';

export const PRESETS: Preset[] = [
  {
    id: 'hard-wall',
    title: 'GRPO hits the hard wall',
    story:
      'The base model adds 1–3 digit numbers but never gets a 4-digit sum right. GRPO only learns from differences inside a group: when all eight rollouts of a hard question fail, every advantage is zero and the group is left out of the update.',
    watch: { panel: 'inspector', what: 'a hard group: γ_fail = 1, every rollout failed, advantage 0, “not in the loss”. The hard-accuracy curve stays at 0 % (0.0 % after 150 steps on all three seeds of the CLI runs).' },
    settings: { algo: 'grpo' },
    compare: null,
  },
  {
    id: 'own-words',
    title: 'RePO unlocks it in its own words',
    story:
      'RePO and GRPO train side by side from the same checkpoint and seed. When most of a group fails, RePO lets the policy read the expert solution and rewrite it in its own column-by-column style; a correct rewrite replaces the worst rollout, so the group now has one success to learn from.',
    watch: { panel: 'charts', what: 'hard accuracy: in the CLI runs at these settings RePO was at 4.5–6.5 % by step 50, 24–29.5 % by step 100 and 35.5–44 % by step 150, while GRPO stayed at 0 %. In the inspector, o_rep sits beside the rollout it replaced.' },
    settings: {},
    compare: ['repo', 'grpo'],
  },
  {
    id: 'luffy-ratios',
    title: 'LUFFY’s expert tokens and their ratio spread',
    story:
      'LUFFY puts the expert’s own solution into every group. Its tokens are written in a foreign style the policy would almost never produce, so their ratio π_θ/1 sits far below 1; RePO’s rewritten tokens are the policy’s own and sit near log r = 0.',
    watch: { panel: 'ratios', what: 'the log-ratio histograms: LUFFY’s expert tokens spread over many units of log r, RePO’s rephrase tokens stay in a narrow band around 0.' },
    settings: {},
    compare: ['repo', 'luffy'],
  },
  {
    id: 'rho-delta',
    title: 'ρ and δ decide who gets help',
    story:
      'With δ = 0.25 only malformed answers count as failed: the policy’s well-formed but wrong 4-digit answers pass, γ_fail stays low, and the gate γ_fail ≥ ρ hardly ever opens. Move δ above 0.25 and every wrong answer fails, so every hard group asks for a rewrite.',
    watch: { panel: 'inspector', what: 'γ_fail against ρ and the decision (“gate closed” vs “injected”): in the ρ × δ grid of the CLI, every δ = 0.25 cell injected nothing in 40 steps. Then the ablation panel for the whole grid.' },
    settings: { algo: 'repo', delta: 0.25 },
    compare: null,
  },
  {
    id: 'sft-forgets',
    title: 'SFT on the expert forgets',
    story:
      'Supervised fine-tuning on the expert’s solutions teaches the expert’s style instead of the policy’s own: the model loses its own way of adding and, with it, easy sums it used to solve.',
    watch: { panel: 'charts', what: 'easy accuracy and the style share: SFT drops while RePO keeps its own style.' },
    settings: {},
    compare: ['sft', 'repo'],
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
