// What the worker is doing right now, for the status line: the step in flight and its phase, fed by the
// worker's `progress` events. Its own tiny store so a phase change re-renders the status line only.
import { create } from 'zustand';
import type { StepPhase } from '../../core/record';

export interface Activity {
  step: number;
  run: number;
  runs: number;
  phase: StepPhase;
  done?: number;
  total?: number;
  firstOnBackend: boolean;
  since: number; // ms (performance.now) when this phase of this run began
}

export const useActivity = create<{ activity: Activity | null }>()(() => ({ activity: null }));

/** A progress event: keeps `since` while the same phase of the same run goes on (eval progress). */
export function setActivity(a: Omit<Activity, 'since'> | null, now = performance.now()): void {
  useActivity.setState((s) => {
    if (!a) return s.activity ? { activity: null } : s;
    const prev = s.activity;
    const same = prev && prev.phase === a.phase && prev.run === a.run && prev.step === a.step;
    return { activity: { ...a, since: same ? prev.since : now } };
  });
}

const PHASES: Record<StepPhase, string> = {
  evaluating: 'evaluating problems',
  generating: 'generating rollouts',
  scoring: 'scoring log-probs',
  updating: 'updating the policy',
};

export interface StatusInput {
  ready: boolean;
  playing: boolean;
  step: number; // completed steps
  stepsLimit: number;
  ablating: boolean;
  backend: string | null;
  algos: readonly string[];
  activity: Activity | null;
  now: number;
}

/** The status line: never empty, says what the worker is doing (pure, for tests). */
export function statusText(s: StatusInput): string {
  if (!s.ready) return 'starting the training worker and loading the checkpoint…';
  if (s.ablating) return 'running the ρ × δ ablation (progress in its panel)';
  const a = s.activity;
  if (a) {
    const parts: string[] = [];
    if (a.firstOnBackend && s.backend === 'webgpu') parts.push('compiling shaders (first WebGPU step)');
    parts.push(`step ${a.step}${a.runs > 1 ? ` · ${s.algos[a.run] ?? `run ${a.run + 1}`} (${a.run + 1}/${a.runs})` : ''}`);
    let what = PHASES[a.phase];
    if (a.phase === 'evaluating' && a.total !== undefined) what = `${what} ${a.done ?? 0}/${a.total}${a.step === 0 ? ' (step-0 evaluation)' : ''}`;
    parts.push(what);
    const secs = Math.floor((s.now - a.since) / 1000);
    if (secs >= 1) parts.push(`${secs} s`);
    return parts.join(' · ');
  }
  if (s.playing) return s.step >= s.stepsLimit ? `reached ${s.stepsLimit} steps` : `step ${s.step} · starting…`;
  if (s.step === 0) return 'ready: press play (space) or step (→)';
  return s.step >= s.stepsLimit ? `stopped at ${s.step} steps (the "steps" setting)` : `paused after ${s.step} step${s.step === 1 ? '' : 's'}`;
}
