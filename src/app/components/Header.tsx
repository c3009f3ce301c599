// Header: title, transport (play/pause, step, reset, re-seed, speed), step counter, steps/s and
// the backend badge with its selector.
import { BROWSER_ORDER, type BackendName } from '../../core/backendNames';
import { pause, play, reseed, reset, setSpeed, stepOnce, switchBackend } from '../store/actions';
import { stepsPerSecond } from '../store/logic';
import { runAlgos, useApp } from '../store/store';
import { startTour } from '../tour';
import { StatusLine } from './StatusLine';

const SPEEDS: [string, number][] = [['max', 0], ['2 / s', 500], ['1 / s', 1000], ['1 / 2 s', 2000], ['1 / 5 s', 5000]];

/** `compact` (for `?embed=` slides): app.css hides all but play, step, reset, the counters and the badge. */
export function Header({ compact = false }: { compact?: boolean }) {
  const s = useApp();
  const runs = runAlgos(s).length;
  const sps = stepsPerSecond(s.tickTimes);
  const busy = !s.ready || s.ablation.running;
  const why = backendWhy(s.tried, s.backend);
  return (
    <header className={compact ? 'header header-compact' : 'header'}>
      <div className="title">
        <h1>RePO Playground</h1>
        <span className="subtitle">GRPO · RePO · LUFFY, trained live in your browser</span>
      </div>
      <div className="transport" role="toolbar" aria-label="training controls">
        <button onClick={reset} disabled={busy} title="Reset to the start checkpoint and seed (r)" aria-label="reset">⟲</button>
        <button className="play" onClick={s.playing ? pause : play} disabled={busy} title="Play / pause (space)" aria-label={s.playing ? 'pause' : 'play'} data-testid="play">
          {s.playing ? '❚❚' : '▶'}
        </button>
        <button onClick={stepOnce} disabled={busy || s.playing} title="One step (→)" aria-label="step" data-testid="step">▶|</button>
        <button onClick={reseed} disabled={busy} title="New seed, then reset" className="text">new seed</button>
        <label className="speed">
          speed
          <select value={s.intervalMs} onChange={(e) => setSpeed(Number(e.target.value))} aria-label="speed">
            {SPEEDS.map(([l, v]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </label>
      </div>
      <div className="counters">
        <div><span className="big" data-testid="step-counter">{s.step}</span> steps{runs > 1 ? ` × ${runs} runs` : ''}</div>
        <div data-testid="steps-per-sec">{sps > 0 ? `${sps.toFixed(2)} steps/s` : '— steps/s'}</div>
        <div className="seed">seed {s.applied.seed}</div>
      </div>
      <StatusLine />
      <div className="backend">
        <span className={`badge badge-${s.backend ?? 'none'}`} data-testid="backend-badge" title={s.tried.map((t) => `${t.backend}: ${t.skipped ? `skipped, ${t.skipped}` : t.ok ? 'ok' : 'failed'}`).join('; ')}>
          {s.backend ?? 'starting…'}
        </span>
        {why && <span className="backend-why" data-testid="backend-why">{why}</span>}
        <button className="tour-button" onClick={() => startTour()} data-testid="tour-button" title="A guided tour of this page">Tour</button>
        <select aria-label="backend" value={s.backend ?? ''} disabled={busy} onChange={(e) => switchBackend(e.target.value as BackendName)}>
          {!s.backend && <option value="">…</option>}
          {BROWSER_ORDER.map((b) => <option key={b} value={b}>{b}</option>)}
        </select>
      </div>
    </header>
  );
}

/** Why auto mode chose this backend: the probe's verdict (core/probe.ts), then what it passed over and why. */
function backendWhy(tried: { backend: BackendName; skipped?: string; probe?: string }[], picked: BackendName | null): string {
  const probe = tried.find((t) => t.backend === picked)?.probe;
  // a backend the verdict already names ("webgpu failed the numerics check (…)") is not repeated
  const skipped = tried.filter((t) => t.skipped && !probe?.includes(`${t.backend} ${t.skipped}`));
  if (!picked || (skipped.length === 0 && !probe)) return '';
  return `auto chose ${picked}: ${[...(probe ? [probe] : []), ...skipped.map((t) => `${t.backend} skipped, it ${t.skipped}`)].join('; ')}`;
}
