// Feeds the group inspector: which run, which past step (also while paused), which group.
import { useState } from 'react';
import { GroupInspector, type ColourBy } from '../views';
import { inspect } from '../store/actions';
import { useApp } from '../store/store';
import { runName } from '../store/history';
import { useHistory } from '../useHistory';

export function InspectorPanel() {
  // Live and loaded runs; the history store notifies at most every 150 ms, each subscriber in its own task.
  const { runs } = useHistory();
  const sel = useApp((s) => s.inspector);
  const [colourBy, setColourBy] = useState<ColourBy>('logpOld');
  const run = runs[Math.min(sel.run, Math.max(0, runs.length - 1))];
  const records = run?.records ?? [];
  const n = records.length;
  // step null follows the newest record; otherwise it pins a step number (stable while new steps
  // arrive and old ones are trimmed; a trimmed step falls back to the oldest kept one)
  const pinned = sel.step === null ? -1 : records.findIndex((r) => r.step === sel.step);
  const idx = sel.step === null ? n - 1 : pinned >= 0 ? pinned : 0;
  const record = n > 0 ? records[idx] : null;
  const go = (i: number) => inspect({ step: i >= n - 1 ? null : records[Math.max(0, i)].step });
  return (
    <section className="panel inspector-panel" aria-label="inspector">
      <div className="inspector-nav">
        {runs.length > 1 && (
          <span className="run-tabs" role="tablist">
            {runs.map((r, i) => (
              <button key={i} role="tab" aria-selected={i === sel.run} className={i === sel.run ? 'active' : ''} onClick={() => inspect({ run: i })}>{runName(r)}</button>
            ))}
          </span>
        )}
        <button onClick={() => go(idx - 1)} disabled={idx <= 0} aria-label="previous step" data-testid="prev-step">◀ step</button>
        <input type="range" min={0} max={Math.max(0, n - 1)} value={Math.max(0, idx)} disabled={n < 2} onChange={(e) => go(Number(e.target.value))} aria-label="inspected step" />
        <button onClick={() => go(idx + 1)} disabled={idx >= n - 1} aria-label="next step" data-testid="next-step">step ▶</button>
        <span className="muted" data-testid="inspected-step">
          {record ? `step ${record.step}${sel.step === null ? ' (latest)' : ''}` : 'no step yet'}
          {n > 0 && records[0].step > 0 ? ` · keeping the last ${n} steps` : ''}
        </span>
        {sel.step !== null && <button onClick={() => inspect({ step: null })}>follow latest</button>}
      </div>
      <GroupInspector
        record={record}
        groupIndex={sel.group}
        onGroupChange={(g) => inspect({ group: g })}
        colourBy={colourBy}
        onColourByChange={setColourBy}
      />
    </section>
  );
}
