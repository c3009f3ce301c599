// The page's side of the worker: starts it (and restarts it after a crash, resuming from the last
// snapshot it posted), sends signals, turns requests into promises (requests.ts) and folds events into the
// stores. `playing` and `busy` are written in one place, the `state` case below, from the worker's word
// (docs/PROTOCOL.md); actions never set them.
import type { Command, Replies, Request, RunsSnapshot, Signal, WorkerEvent } from '../worker/protocol';
import { createRequests, RequestError } from './requests';
import { setActivity } from './store/activity';
import { historyStore } from './store/history';
import { pushTime } from './store/logic';
import { addMessage, getApp, setApp } from './store/store';

type Init = Extract<Request, { type: 'init' }>;

let worker: Worker | null = null;
let init: Init | null = null; // what the running worker was started with (its checkpoint kept up to date)
let snapshot: RunsSnapshot | null = null; // the runs after their last completed step, from the worker
let crashes: number[] = []; // when the worker crashed (ms), for the restart limit
const RESTARTS_PER_MINUTE = 3;
/** The worker's time to take each snapshot (ms), newest last: the price of being able to resume. */
export const snapshotTimes: number[] = [];

function post(cmd: Command): void {
  if (!worker) throw new Error('the training worker is not running');
  worker.postMessage(cmd);
}

const requests = createRequests(post);

/** Sends a command that expects no answer (play, pause, step, live settings). */
export function send(cmd: Signal): void {
  try {
    post(cmd);
  } catch (e) {
    addMessage('error', (e as Error).message);
  }
}

/** Sends a request and waits for its answer; a failure is shown (one line, labelled) and gives null. */
export async function ask<R extends Request>(req: R): Promise<Replies[R['type']] | null> {
  try {
    const result = await requests.request(req);
    if (req.type === 'loadCheckpoint' && init) init = { ...init, checkpoint: req.source }; // a restart starts from it
    return result;
  } catch (e) {
    const scope = e instanceof RequestError ? e.scope : 'worker';
    if (!(e instanceof RequestError && e.workerGone)) addMessage('error', `${label[scope]}: ${(e as Error).message}`); // a crash is said once
    return null;
  }
}

function spawn(): void {
  worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (ev: MessageEvent<WorkerEvent>) => onEvent(ev.data);
  worker.onerror = (ev) => {
    ev.preventDefault();
    void restart(ev.message || 'script error');
  };
}

async function start(req: Init): Promise<boolean> {
  init = { ...req, resume: undefined };
  const r = await ask(req);
  if (!r) return false;
  setApp({ ready: true, backend: r.backend, tried: r.tried, checkpoint: r.checkpoint, numParams: r.numParams });
  void refreshSaved();
  return true;
}

/** Starts the worker and its runs. `debug` (e2e only) lets the page send the worker's test-only signals. */
export function startSession(req: Omit<Init, 'debug' | 'resume'>): Promise<boolean> {
  const debug = !!(globalThis as { __E2E__?: boolean }).__E2E__;
  spawn();
  if (debug) exposeTestHooks();
  return start({ ...req, debug });
}

/** The worker died (an uncaught error: its state is unknown): a new one resumes from the last snapshot. */
async function restart(why: string): Promise<void> {
  const was = getApp();
  worker?.terminate();
  worker = null;
  requests.rejectAll(`the training worker crashed (${why})`);
  setActivity(null);
  const now = performance.now();
  crashes = [...crashes.filter((t) => now - t < 60_000), now];
  const giveUp = crashes.length > RESTARTS_PER_MINUTE || !init;
  // The dead worker cannot say it stopped: its last word is replaced through the same fold as its own.
  onEvent({ type: 'state', playing: false, busy: giveUp ? null : 'restarting the training worker', step: snapshot?.step ?? was.step });
  setApp({ ready: false });
  if (giveUp) return addMessage('error', `the training worker crashed (${why}) ${RESTARTS_PER_MINUTE + 1} times in a minute; reload the page`);
  addMessage('error', `the training worker crashed (${why}); restarted it, resuming from step ${snapshot?.step ?? 0}`);
  spawn();
  const ok = await start({ ...init!, config: was.applied, backend: was.backend ?? init!.backend, resume: snapshot ?? undefined });
  if (ok && was.playing) send({ type: 'play' });
}

export async function refreshSaved(): Promise<void> {
  const r = await ask({ type: 'listCheckpoints' });
  if (r) setApp({ saved: r.names });
}

export function onEvent(e: WorkerEvent): void {
  if (requests.settle(e)) return;
  switch (e.type) {
    case 'state':
      setApp({ playing: e.playing, busy: e.busy, step: e.step });
      return;
    case 'runs':
      setActivity(null);
      if (e.resumedFrom !== undefined) historyStore.resume(e.runs, e.resumedFrom);
      else {
        historyStore.reset(e.runs);
        snapshot = null;
        setApp({ tickTimes: [], inspector: { run: 0, step: null, group: 0 } });
      }
      return;
    case 'snapshot':
      snapshot = e.snapshot;
      snapshotTimes.push(e.ms);
      if (snapshotTimes.length > 100) snapshotTimes.shift();
      return;
    case 'progress':
      setActivity({ step: e.step, run: e.run, runs: e.runs, phase: e.phase, done: e.done, total: e.total, firstOnBackend: e.firstOnBackend });
      return;
    case 'steps': {
      setActivity(null);
      historyStore.push(e.records);
      const records = Object.values(e.records);
      const skipped = records.filter((r) => r.metrics.updateSkipped);
      if (skipped.length) addMessage('warning', `step ${e.step}: the loss or gradient was NaN/Inf, so no update was applied (${skipped.map((r) => r.algo).join(', ')})`);
      setApp((s) => ({ tickTimes: pushTime(s.tickTimes, performance.now()) }));
      return;
    }
    case 'backend':
      setApp({ backend: e.backend });
      return;
    case 'recovered':
      addMessage('warning', `WebGPU device lost (${e.reason}); continuing on ${e.backend} from step ${e.step}`);
      return;
    case 'ablationProgress':
      setApp((s) => ({ ablation: { ...s.ablation, running: true, done: e.done, total: e.total, cells: e.cell ? [...s.ablation.cells, e.cell] : s.ablation.cells } }));
      return;
    case 'notice':
      addMessage('notice', e.message);
      return;
    case 'error':
      if (e.scope === 'ablation') setApp((s) => ({ ablation: { ...s.ablation, running: false } }));
      if (e.scope === 'training') setActivity(null);
      addMessage('error', `${label[e.scope]}: ${e.message}`);
      return;
    case 'reply':
      return; // settled above
  }
}

const label = { backend: 'Backend', checkpoint: 'Checkpoint', training: 'Training', ablation: 'Ablation', worker: 'Worker' } as const;

/** e2e only (the page was opened with `window.__E2E__` set): lose the WebGPU device, crash the worker,
 *  read the history's run ids and step numbers, and the snapshot times. */
function exposeTestHooks(): void {
  Object.assign(globalThis, {
    __e2e: {
      loseDevice: () => send({ type: 'debug', action: 'loseDevice' }),
      crash: () => send({ type: 'debug', action: 'crash' }),
      history: () => historyStore.current().map((r) => ({ id: r.id, algo: r.algo, steps: r.metrics.map((m) => m.step) })),
      snapshotTimes: () => [...snapshotTimes],
    },
  });
}
