// One rollout of a group: badges, reward against δ, advantage, and its tokens coloured per token.
import { memo } from 'react';
import type { RolloutRecord } from '../../core/record';
import { SOURCE_COLOURS, fmt, signed } from './format';
import { type ColourBy, modeAvailable, paintToken } from './tokenColour';

export interface RolloutRowProps {
  rollout: RolloutRecord;
  index: number;
  delta: number;
  colourBy: ColourBy;
  /** This row holds an injected solution (o_rep or the expert trace). */
  injected: boolean;
  /** This slot held the lowest-reward on-policy rollout before o_rep / k replaced it. */
  replaced: boolean;
}

const SOURCE_NAME = { policy: 'policy', rephrase: 'o_rep', expert: 'expert k' } as const;

export const RolloutRow = memo(function RolloutRow({ rollout: r, index, delta, colourBy, injected, replaced }: RolloutRowProps) {
  const available = modeAvailable(colourBy, r);
  return (
    <li
      className={`v-rollout${injected ? ' v-rollout-injected' : ''}`}
      data-testid="rollout"
      data-source={r.source}
      data-style={r.style}
      data-injected={injected ? 'true' : 'false'}
      data-failed={r.failed ? 'true' : 'false'}
    >
      <div className="v-rollout-meta">
        <span className="v-rollout-index">#{index + 1}</span>
        <span className="v-badge" style={{ borderColor: SOURCE_COLOURS[r.source], color: SOURCE_COLOURS[r.source] }} title={`source: ${r.source}`}>
          {SOURCE_NAME[r.source]}
        </span>
        <span className={`v-badge v-style-${r.style}`} title="style classifier: own scratchpad, expert decomposition, or malformed">
          {r.style}
        </span>
        <span className={`v-reward ${r.failed ? 'v-failed' : 'v-passed'}`} title={r.failed ? `failed: reward < δ = ${fmt(delta, 2)}` : `passed: reward ≥ δ = ${fmt(delta, 2)}`}>
          R {fmt(r.reward, 2)} {r.failed ? `✗ < δ` : `✓ ≥ δ`}
        </span>
        <span className="v-adv" title="group-normalised advantage A_i">
          A {signed(r.advantage)}
        </span>
        {replaced && <span className="v-note">took the slot of the rollout shown under “replaced rollout” below</span>}
      </div>
      <div className="v-tokens" title={available ? undefined : 'no value for this row in this colouring (row not in the loss, or not injected)'}>
        <span className="v-sr">{r.text || '(empty response)'}</span>
        {r.tokens.map((tok, t) => {
          const p = paintToken(colourBy, r, t);
          return (
            <span key={t} className={`v-tok${tok === '$' ? ' v-tok-eos' : ''}`} style={{ background: p.background }} title={p.title} aria-hidden="true">
              {tok}
            </span>
          );
        })}
        {!available && <span className="v-muted"> (no {colourBy === 'behaviour' ? 'behaviour log-ratio' : colourBy} for this row)</span>}
      </div>
    </li>
  );
});
