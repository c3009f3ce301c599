// The status line under the transport: what the worker is doing right now ("step 3 · evaluating problems
// 120/600 · 4 s"), so the page is never silent after play. Ticks once a second while a phase runs.
import { useEffect, useState } from 'react';
import './status.css';
import { statusText, useActivity } from '../store/activity';
import { runAlgos, useApp } from '../store/store';

export function StatusLine() {
  const activity = useActivity((s) => s.activity);
  const ready = useApp((s) => s.ready);
  const playing = useApp((s) => s.playing);
  const step = useApp((s) => s.step);
  const stepsLimit = useApp((s) => s.applied.steps);
  const ablating = useApp((s) => s.ablation.running);
  const backend = useApp((s) => s.backend);
  const algos = useApp((s) => runAlgos(s).join(','));
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    setNow(performance.now());
    if (!activity) return;
    const t = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(t);
  }, [activity]);
  const text = statusText({ ready, playing, step, stepsLimit, ablating, backend, algos: algos.split(','), activity, now });
  return (
    <div className="status-line" data-testid="status-line" data-phase={activity?.phase ?? (playing ? 'starting' : 'idle')} title="what the training worker is doing">
      {activity && <span className="status-dot" aria-hidden="true" />}
      {text}
    </div>
  );
}
