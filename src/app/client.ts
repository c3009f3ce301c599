// The page's side of the worker: starts it, sends commands, and folds events into the stores.
import type { Command, WorkerEvent } from '../worker/protocol';
import { setActivity } from './store/activity';
import { historyStore } from './store/history';
import { pushTime } from './store/logic';
import { addMessage, getApp, setApp } from './store/store';
import { saveBlob } from './download';

let worker: Worker | null = null;

export function send(cmd: Command): void {
  if (!worker) return addMessage('error', 'the training worker is not running');
  worker.postMessage(cmd);
}

export function startWorker(): void {
  worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (ev: MessageEvent<WorkerEvent>) => onEvent(ev.data);
  worker.onerror = (ev) => {
    ev.preventDefault();
    addMessage('error', `the training worker crashed: ${ev.message || 'script error'}`);
    setApp({ playing: false });
  };
}

export function onEvent(e: WorkerEvent): void {
  switch (e.type) {
    case 'ready':
      setApp({ ready: true, backend: e.backend, tried: e.tried, checkpoint: e.checkpoint, numParams: e.numParams });
      send({ type: 'listCheckpoints' });
      return;
    case 'backend':
      setApp({ backend: e.backend });
      if (!e.ok) addMessage('error', e.message ?? 'backend switch failed');
      else addMessage('notice', `now training on ${e.backend}; the run restarted from the checkpoint`);
      return;
    case 'progress':
      setActivity({ step: e.step, run: e.run, runs: e.runs, phase: e.phase, done: e.done, total: e.total, firstOnBackend: e.firstOnBackend });
      return;
    case 'steps': {
      setActivity(null);
      historyStore.push(e.records);
      const skipped = e.records.filter((r) => r.metrics.updateSkipped);
      if (skipped.length) addMessage('warning', `step ${skipped[0].step}: the loss or gradient was NaN/Inf, so no update was applied (${skipped.map((r) => r.algo).join(', ')})`);
      setApp((s) => ({ step: e.records[0].step + 1, tickTimes: pushTime(s.tickTimes, performance.now()) }));
      return;
    }
    case 'state':
      setApp({ playing: e.playing, step: e.step });
      return;
    case 'reset':
      setActivity(null);
      historyStore.reset(e.algos);
      setApp({ step: 0, tickTimes: [], inspector: { run: 0, step: null, group: 0 } });
      return;
    case 'checkpoint':
      setApp({ checkpoint: e.checkpoint, numParams: e.numParams, busy: null });
      addMessage('notice', `loaded checkpoint ${e.checkpoint}`);
      return;
    case 'checkpointList':
      setApp({ saved: e.names });
      return;
    case 'saved':
      setApp({ busy: null });
      addMessage('notice', e.target === 'indexeddb' ? `saved checkpoint "${e.name}" in this browser` : `downloaded ${e.name}.json and ${e.name}.weights.bin`);
      return;
    case 'download':
      saveBlob(new Blob([e.modelJson], { type: 'application/json' }), `${e.name}.json`);
      saveBlob(new Blob([e.weights], { type: 'application/octet-stream' }), `${e.name}.weights.bin`);
      return;
    case 'ablationProgress':
      setApp((s) => ({ ablation: { ...s.ablation, running: true, done: e.done, total: e.total, cells: e.cell ? [...s.ablation.cells, e.cell] : s.ablation.cells } }));
      return;
    case 'ablationDone':
      setApp((s) => ({ ablation: { ...s.ablation, running: false, cancelled: e.cancelled, cells: e.cells } }));
      if (e.cancelled) addMessage('notice', `ablation cancelled after ${e.cells.length} cells`);
      return;
    case 'notice':
      addMessage('notice', e.message);
      return;
    case 'error':
      if (e.scope === 'checkpoint') setApp({ busy: null });
      if (e.scope === 'ablation') setApp((s) => ({ ablation: { ...s.ablation, running: false } }));
      addMessage('error', `${label[e.scope]}: ${e.message}`);
      if (e.scope === 'training') setActivity(null);
      if (getApp().playing && e.scope === 'training') setApp({ playing: false });
      return;
  }
}

const label = { backend: 'Backend', checkpoint: 'Checkpoint', training: 'Training', ablation: 'Ablation', worker: 'Worker' } as const;
