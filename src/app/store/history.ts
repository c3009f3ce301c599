// Per-run step history, kept OUTSIDE React state: the worker posts a record per run per step, and
// charts read it through a throttled external store so one step never re-renders the whole app.
// Live runs are keyed by the id the worker gave them (`run-<n>`), never by position: a tick's records are
// matched to runs by id, and a worker that resumes from a snapshot keeps each run's history.
// Runs loaded from files (a CLI JSONL, an app export) sit after the live runs, read-only: charts overlay
// them, the inspector and the ratio panel can select them, and a reset or a tick never touches them.
import type { Algo } from '../../core/config';
import type { StepMetrics, StepRecord } from '../../core/record';
import type { RunInfo } from '../../worker/protocol';

/** Full records (every token of every rollout) are large; keep the recent ones, metrics for all. */
export const FULL_RECORDS = 200;

/** A step's metrics with its step number (the shape the charts take). */
export type MetricPoint = StepMetrics & { step: number; algo: Algo };

export interface RunHistory {
  id?: string; // live runs: the worker's run id; loaded runs have none
  algo: Algo;
  /** Loaded runs: the name shown (the file name and algorithm); live runs are named by their algorithm. */
  label?: string;
  loaded?: boolean;
  note?: string; // loaded runs: what the file says about itself (seed, backend, final evaluation)
  records: StepRecord[]; // the last FULL_RECORDS steps, oldest first
  metrics: MetricPoint[]; // every step
}

export function emptyHistory(runs: RunInfo[]): RunHistory[] {
  return runs.map(({ id, algo }) => ({ id, algo, records: [], metrics: [] }));
}

/** Pure: the runs of a worker that resumed from a snapshot at `step`: each keeps its history before that
 *  step (a step the old worker finished after its last snapshot is redone, so it is dropped here). */
export function resumeHistory(prev: RunHistory[], runs: RunInfo[], step: number): RunHistory[] {
  return runs.map(({ id, algo }) => {
    const old = prev.find((r) => r.id === id);
    if (!old) return { id, algo, records: [], metrics: [] };
    return { ...old, records: old.records.filter((r) => r.step < step), metrics: old.metrics.filter((m) => m.step < step) };
  });
}

/** Pure: appends one lockstep tick (records keyed by run id), trimming full records to `cap`. */
export function appendTick(runs: RunHistory[], tick: Record<string, StepRecord>, cap = FULL_RECORDS): RunHistory[] {
  const keep = <T,>(xs: T[], x: T) => (xs.length >= cap ? [...xs.slice(xs.length - cap + 1), x] : [...xs, x]);
  return runs.map((run) => {
    const rec = run.id === undefined ? undefined : tick[run.id];
    if (!rec) return run;
    return {
      ...run,
      records: keep(run.records, rec),
      metrics: [...run.metrics, { ...rec.metrics, step: rec.step, algo: rec.algo }],
    };
  });
}

/** The name a run is shown under (legend, tabs, strips). */
export const runName = (r: Pick<RunHistory, 'algo' | 'label'>): string => r.label ?? r.algo;

/** A loaded run as a history entry: every metric point, the last `cap` full records. */
export function loadedHistory(label: string, algo: Algo, records: StepRecord[], cap = FULL_RECORDS): RunHistory {
  const kept = records.slice(-cap);
  return { algo, label, loaded: true, records: kept, metrics: records.map((r) => ({ ...r.metrics, step: r.step, algo: r.algo })) };
}

type Listener = () => void;

/** A tiny external store with a throttled notify (at most one render every `throttleMs`). */
export function createHistoryStore(throttleMs = 150) {
  let runs: RunHistory[] = []; // the live runs, in run order
  let loaded: RunHistory[] = [];
  let version = 0;
  let snapshot = { runs, version };
  const listeners = new Set<Listener>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const flush = () => {
    timer = null;
    last = Date.now();
    snapshot = { runs: loaded.length ? [...runs, ...loaded] : runs, version };
    // One task per subscriber, chained: each panel or chart re-renders in its own macrotask and
    // other work (input, timers) can run in between, instead of one long task for all of them.
    const queue = [...listeners];
    const next = () => {
      const l = queue.shift();
      if (!l) return;
      l();
      setTimeout(next, 0);
    };
    setTimeout(next, 0);
  };
  const notify = () => {
    version++;
    if (timer) return;
    const wait = Math.max(0, throttleMs - (Date.now() - last));
    timer = setTimeout(flush, wait);
  };
  return {
    subscribe(l: Listener) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getSnapshot: () => snapshot,
    push(tick: Record<string, StepRecord>) {
      runs = appendTick(runs, tick);
      notify();
    },
    /** New runs (from the checkpoint): their history starts empty. */
    reset(next: RunInfo[]) {
      runs = emptyHistory(next);
      notify();
    },
    /** The same runs, resumed from a snapshot at `step`. */
    resume(next: RunInfo[], step: number) {
      runs = resumeHistory(runs, next, step);
      notify();
    },
    /** Adds a run read from a file after the live ones (one of the same label is replaced). */
    addLoaded(run: RunHistory) {
      loaded = [...loaded.filter((r) => r.label !== run.label), run];
      notify();
    },
    removeLoaded(label: string) {
      loaded = loaded.filter((r) => r.label !== label);
      notify();
    },
    /** The latest live runs, unthrottled (exports read this; loaded runs are not exported again). */
    current: () => runs,
  };
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;
export const historyStore = createHistoryStore();
