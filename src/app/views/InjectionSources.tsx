// P(q,k), o_rep and the expert trace k side by side, so one can see what the policy was shown and what
// it wrote back in its own style.
import { memo } from 'react';
import type { GroupRecord, StepRecord } from '../../core/record';
import { expertUseWords } from './decision';
import { fmt } from './format';

export interface InjectionSourcesProps {
  group: GroupRecord;
  step: Pick<StepRecord, 'algo' | 'settings'>;
}

export const InjectionSources = memo(function InjectionSources({ group: g, step }: InjectionSourcesProps) {
  const rep = g.rephrase;
  const delta = step.settings.config.delta;
  const rephrases = step.settings.method.injects === 'rephrase';
  return (
    <div className="v-sources" data-testid="injection-sources">
      <section className="v-source-box" aria-label="Rephrasing prompt P(q,k)">
        <h4>P(q,k) — rephrasing prompt</h4>
        {rep ? <pre className="v-pre" data-testid="rephrase-prompt">{rep.prompt}</pre> : <p className="v-muted">{rephrases ? 'Not asked: the gate was closed.' : `Not used by ${step.algo.toUpperCase()}.`}</p>}
      </section>
      <section className="v-source-box" aria-label="Rephrased solution o_rep">
        <h4>o_rep — the policy’s rephrasing</h4>
        {rep ? (
          <>
            <pre className="v-pre" data-testid="rephrase-text">{rep.text || '(empty)'}</pre>
            <p className={rep.reward < delta ? 'v-failed' : 'v-passed'}>
              R(o_rep) = {fmt(rep.reward, 2)} {rep.reward < delta ? '<' : '≥'} δ = {fmt(delta, 2)} · {rep.accepted ? 'injected' : 'not injected'}
            </p>
          </>
        ) : (
          <p className="v-muted">—</p>
        )}
      </section>
      <section className="v-source-box" aria-label="Expert solution k">
        <h4>k — expert solution</h4>
        <pre className="v-pre" data-testid="expert-text">{g.expert}</pre>
        <p className="v-muted">{expertUseWords(step)}</p>
      </section>
      {g.replaced && (
        <section className="v-source-box" aria-label="The rollout the injection replaced" data-testid="replaced-rollout">
          <h4>replaced rollout #{(g.replacedIndex ?? 0) + 1}</h4>
          <pre className="v-pre">{g.replaced.text || '(empty)'}</pre>
          <p className="v-muted">
            R = {fmt(g.replaced.reward, 2)} · {g.replaced.style} style — {step.settings.method.slot === 'last' ? 'the last slot' : 'the group’s lowest reward (ties: the last)'}, displaced by the injection
          </p>
        </section>
      )}
    </div>
  );
});
