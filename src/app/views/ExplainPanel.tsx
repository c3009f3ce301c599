// Plain-words glossary that ties each symbol to the panel where it is seen. Static teaching text only:
// every number on screen comes from the other views.
import { memo } from 'react';
import type { Algo } from '../../core/config';

export interface ExplainPanelProps {
  /** Highlights the terms that matter for this algorithm. */
  algo?: Algo;
  /** Open all entries (e.g. for a printed handout); default: collapsed except the story. */
  expanded?: boolean;
}

interface Term {
  id: string;
  term: string;
  formula: string;
  where: string;
  words: string;
  algos: Algo[];
}

export const TERMS: Term[] = [
  {
    id: 'gamma',
    term: 'γ_fail — failure rate',
    formula: 'γ_fail = #{i : R_i < δ} / (number of own rollouts)',
    where: 'Group inspector: the bar under the question.',
    words: 'The share of the policy’s own rollouts for one question that failed, measured before anything is injected. A group that fails every time has γ_fail = 1.',
    algos: ['grpo', 'repo', 'luffy'],
  },
  {
    id: 'rho',
    term: 'ρ — injection threshold',
    formula: 'inject when γ_fail ≥ ρ',
    where: 'Group inspector: the dark marker on the γ_fail bar; Ablation: the rows.',
    words: 'How badly a group must struggle before RePO brings in help. ρ = 0 helps every group; ρ = 1 only groups where everything failed.',
    algos: ['repo', 'luffy'],
  },
  {
    id: 'delta',
    term: 'δ — pass mark',
    formula: 'failed ⇔ R < δ;  inject o_rep only if R(o_rep) ≥ δ',
    where: 'Group inspector: “✗ < δ” on each rollout and under o_rep; Ablation: the columns.',
    words: 'The reward a rollout needs to count as a success. The same mark is used by the verifier: a rephrasing that scores below δ is thrown away.',
    algos: ['repo', 'luffy'],
  },
  {
    id: 'adv',
    term: 'A_i — advantage',
    formula: 'A_i = (R_i − mean(R)) / (std(R) + 1e-4)   (LUFFY by default: no division)',
    where: 'Group inspector: “A +0.75” on each rollout, and the “advantage” token colouring.',
    words: 'How much better than its group-mates a rollout did. Positive: make it more likely; negative: less likely. If all rewards are equal every A_i is 0 and the group teaches nothing — why GRPO cannot learn a problem it never solves.',
    algos: ['grpo', 'repo', 'luffy'],
  },
  {
    id: 'ratio',
    term: 'r — importance ratio',
    formula: 'r = π_θ(token) / π_old(token) = exp(log π_θ − log π_old)',
    where: 'Ratios panel: histograms per source; Group inspector: the “ratio r” colouring.',
    words: 'How much the policy has changed its mind about a token since the rollout was scored. r = 1 means no change. For LUFFY’s expert tokens π_old is 1, so r is just the policy’s probability and is usually far below 1.',
    algos: ['grpo', 'repo', 'luffy'],
  },
  {
    id: 'clip',
    term: 'clip — ε_low, ε_high',
    formula: 'loss = −min(r·A, clip(r, 1−ε_low, 1+ε_high)·A)',
    where: 'Training curves: “Clip fractions”; Group inspector: the “clipped” colouring; Ratios: dashed 1−ε, 1+ε lines.',
    words: 'A safety belt: once a token’s ratio has moved more than ε, the update stops pushing it further in that direction. Many clipped tokens mean the samples are far from what the policy would write.',
    algos: ['grpo', 'repo', 'luffy'],
  },
  {
    id: 'shaping',
    term: 'f(p) — LUFFY’s shaping',
    formula: 'f(p) = p / (p + γ),  γ = 0.1',
    where: 'Ratios panel: the expert histogram (LUFFY runs).',
    words: 'LUFFY trains on the expert’s tokens through f instead of the raw probability p, which boosts the gradient of tokens the policy finds unlikely. It is how LUFFY learns a style it would never produce itself.',
    algos: ['luffy'],
  },
  {
    id: 'orep',
    term: 'P(q,k) and o_rep — the rephrasing',
    formula: 'o_rep ~ π_old( · | P(q,k) )',
    where: 'Group inspector: the three boxes at the bottom, and the green “o_rep” row.',
    words: 'RePO shows the policy the question q together with the expert solution k (the prompt P(q,k)) and asks for a solution in its own words. That answer, o_rep, replaces the worst rollout of the group, so the injected text is in the policy’s own style.',
    algos: ['repo'],
  },
  {
    id: 'behaviour',
    term: 'behaviour log-ratio',
    formula: 'log π_θ(o | q) − log μ(o)',
    where: 'Ratios panel: “Behaviour log-ratio of injected rollouts”; Group inspector: the “behaviour log-ratio” colouring.',
    words: 'How off-policy an injected sample truly is: μ is what really wrote it (the policy reading P(q,k) for o_rep, the expert for LUFFY). Near 0: the policy could have written it itself. Very negative: a foreign text. Clipping never sees this number — it sees r.',
    algos: ['repo', 'luffy'],
  },
];

export const ExplainPanel = memo(function ExplainPanel({ algo, expanded = false }: ExplainPanelProps) {
  return (
    <aside className="v-panel v-explain-panel" data-testid="explain-panel" aria-label="What the symbols mean">
      <h3>What am I looking at?</h3>
      {algo && <p className="v-muted v-small">● marks the terms that matter for {algo.toUpperCase()}.</p>}
      <details open>
        <summary>The story in four rows</summary>
        <ul className="v-story">
          <li><strong>GRPO</strong> learns only from its own tries: on a problem it always fails, every advantage is 0 — no gradient.</li>
          <li><strong>LUFFY</strong> puts an expert solution in every group: hard problems become learnable, but the expert’s tokens are unlikely for the policy (ratios far below 1) and the style drifts toward the expert’s.</li>
          <li><strong>RePO</strong> has the policy rewrite the expert solution in its own style, only where a group struggles: learnable, with ratios near 1.</li>
          <li><strong>SFT</strong> copies the expert’s solutions directly: it learns the expert’s style and can drift from its own.</li>
        </ul>
      </details>
      {TERMS.map((t) => (
        <details key={t.id} open={expanded} className={algo && t.algos.includes(algo) ? 'v-term-relevant' : undefined} data-testid={`explain-${t.id}`}>
          <summary>{t.term}</summary>
          <p className="v-formula">
            <code>{t.formula}</code>
          </p>
          <p>{t.words}</p>
          <p className="v-small v-where">Where: {t.where}</p>
        </details>
      ))}
    </aside>
  );
});
