// The settings panel, generated from the one config table and grouped as the table groups it.
import { CONFIG_KEYS, spec, type ConfigKey } from '../../core/config';
import { reset } from '../store/actions';
import { pendingResetKeys } from '../store/logic';
import { useApp } from '../store/store';
import { ConfigControl, labelOf } from './ConfigControl';
import { ExportConfigButton } from './ExportConfigDialog';

const GROUPS: [string, string][] = [['run', 'Run'], ['repo', 'RePO: when and what to inject'], ['rl', 'Policy optimisation'], ['luffy', 'LUFFY'], ['eval', 'Evaluation']];

export function Controls() {
  const pending = useApp((s) => pendingResetKeys(s.applied, s.draft).join(','));
  const compare = useApp((s) => s.compare);
  return (
    <section className="panel controls" aria-label="settings">
      <h2>Settings</h2>
      {pending && (
        <div className="pending-bar" data-testid="pending-reset">
          <span>{pending.split(',').map((k) => labelOf(k as ConfigKey)).join(', ')} change{pending.includes(',') ? '' : 's'} on reset.</span>
          <button onClick={reset}>Apply &amp; reset</button>
        </div>
      )}
      {GROUPS.map(([g, title]) => (
        <details key={g} open={g !== 'luffy' && g !== 'eval'}>
          <summary>{title}</summary>
          {CONFIG_KEYS.filter((k) => spec(k).group === g && !(k === 'algo' && compare)).map((k) => <ConfigControl key={k} k={k} />)}
          {g === 'run' && compare && <p className="help">Compare mode: the algorithms are chosen in the Compare panel.</p>}
        </details>
      ))}
      <div className="row"><ExportConfigButton /></div>
    </section>
  );
}
