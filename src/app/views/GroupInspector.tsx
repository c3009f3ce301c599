// The group inspector: one question of the current step, its G rollouts token by token, γ_fail against ρ,
// and what the algorithm decided to inject and why.
import { memo, useId } from 'react';
import type { StepRecord } from '../../core/record';
import { barPercent, decisionWords, leftOutWords } from './decision';
import { fmt } from './format';
import { InjectionSources } from './InjectionSources';
import { RolloutRow } from './RolloutRow';
import { COLOUR_MODES, type ColourBy } from './tokenColour';

export interface GroupInspectorProps {
  /** The step to show; null/undefined before the first step arrives. */
  record: StepRecord | null | undefined;
  groupIndex: number;
  onGroupChange: (index: number) => void;
  colourBy: ColourBy;
  onColourByChange: (mode: ColourBy) => void;
}

export const GroupInspector = memo(function GroupInspector(p: GroupInspectorProps) {
  const radioName = useId();
  const groups = p.record?.groups ?? [];
  if (!p.record || groups.length === 0)
    return (
      <section className="v-panel v-inspector" data-testid="group-inspector" aria-label="Group inspector">
        <h3>Group inspector</h3>
        <p className="v-muted">No step yet: start training to see a group of rollouts.</p>
      </section>
    );
  const B = groups.length;
  const gi = Math.min(Math.max(0, Math.floor(p.groupIndex) || 0), B - 1);
  const g = groups[gi];
  const rec = p.record;
  const words = decisionWords(g, rec);
  const leftOut = leftOutWords(g, rec);
  const mode = COLOUR_MODES.find((m) => m.value === p.colourBy) ?? COLOUR_MODES[0];
  // ρ and δ as the step ran (the record's settings); the ρ marker only where the method gates.
  const gate = rec.settings.method.gate;
  const delta = rec.settings.config.delta;

  return (
    <section className="v-panel v-inspector" data-testid="group-inspector" aria-label="Group inspector" data-step={p.record.step} data-group={gi}>
      <header className="v-inspector-head">
        <h3>Group inspector · step {p.record.step}</h3>
        <nav className="v-nav" aria-label="Groups of this step">
          <button type="button" onClick={() => p.onGroupChange(gi - 1)} disabled={gi <= 0} aria-label="Previous group" data-testid="group-prev">
            ‹ previous
          </button>
          <span data-testid="group-position" aria-live="polite">
            group {gi + 1} of {B}
          </span>
          <button type="button" onClick={() => p.onGroupChange(gi + 1)} disabled={gi >= B - 1} aria-label="Next group" data-testid="group-next">
            next ›
          </button>
        </nav>
      </header>

      <div className="v-question">
        <span className="v-q" data-testid="group-question">
          q: <code>{g.question}</code>
        </span>
        <span>
          answer <code data-testid="group-answer">{g.answer}</code>
        </span>
        <span className={`v-badge v-split-${g.split}`}>
          {g.split} · {g.difficulty} digit{g.difficulty === 1 ? '' : 's'}
        </span>
      </div>

      <div className="v-decision-row">
        <div className="v-gamma" role="group" data-testid="gamma-fail" data-gamma={g.failureRate} aria-label={`Failure rate γ_fail ${fmt(g.failureRate, 2)}${gate ? ` against ρ ${fmt(gate.rho, 2)}` : ''}`}>
          <div className="v-gamma-label">
            γ_fail = {fmt(g.failureRate, 2)} {gate ? <>{g.failureRate >= gate.rho ? '≥' : '<'} ρ = {fmt(gate.rho, 2)}</> : null}
          </div>
          <div className="v-gamma-bar" role="img" aria-label={`γ_fail bar, ${Math.round(barPercent(g.failureRate))} percent failed`}>
            <div className="v-gamma-fill" style={{ width: `${barPercent(g.failureRate)}%` }} />
            {gate && <div className="v-gamma-rho" style={{ left: `${barPercent(gate.rho)}%` }} title={`ρ = ${fmt(gate.rho, 2)}`} />}
          </div>
          <div className="v-muted v-small">share of on-policy rollouts with R &lt; δ = {fmt(delta, 2)}, before injection</div>
        </div>
        <div className={`v-decision v-tone-${words.tone}`} data-testid="injection-decision" data-decision={g.decision}>
          <strong>{words.label}</strong>
          <p>{words.detail}</p>
        </div>
      </div>

      <fieldset className="v-colour-by" data-testid="colour-by">
        <legend>Colour tokens by</legend>
        {COLOUR_MODES.map((m) => (
          <label key={m.value}>
            <input type="radio" name={radioName} value={m.value} checked={p.colourBy === m.value} onChange={() => p.onColourByChange(m.value)} />
            {m.label}
          </label>
        ))}
        <p className="v-muted v-small" data-testid="colour-legend">
          {mode.legend}. Hover a token for its numbers; $ marks the end of the response.
        </p>
      </fieldset>

      {leftOut && (
        <p className="v-leftout" data-testid="group-left-out">
          {leftOut}
        </p>
      )}
      <ol className="v-rollouts" aria-label={`Rollouts of group ${gi + 1}`}>
        {g.rollouts.map((r, i) => (
          <RolloutRow key={i} rollout={r} index={i} delta={delta} colourBy={p.colourBy} injected={r.source !== 'policy'} replaced={g.replacedIndex === i && r.source !== 'policy'} />
        ))}
      </ol>

      <InjectionSources group={g} step={rec} />
    </section>
  );
});
