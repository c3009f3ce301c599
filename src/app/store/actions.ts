// Thin actions: each updates the store through the pure helpers and sends the worker one command. They
// never set `playing` or `busy`: the worker's `state` events do (client.ts, docs/PROTOCOL.md).
import type { BackendName } from '../../core/backendNames';
import type { CheckpointSource } from '../../worker/protocol';
import { ALGOS, type Algo, type ConfigKey } from '../../core/config';
import { parseAblationFile, summariseGrid } from '../../core/ablationFile';
import { ask, refreshSaved, send } from '../client';
import { saveBlob } from '../download';
import { metricsToCSV, runToJSON } from '../exportRun';
import { historyStore } from './history';
import { editConfig, newSeed } from './logic';
import { addMessage, getApp, runAlgos, setApp } from './store';

export const play = () => send({ type: 'play' });
export const pause = () => send({ type: 'pause' });
export const togglePlay = () => (getApp().playing ? pause() : play());
export const stepOnce = () => !getApp().playing && send({ type: 'step' });

export function setSpeed(intervalMs: number): void {
  setApp({ intervalMs });
  send({ type: 'setSpeed', intervalMs });
}

export function edit(key: ConfigKey, raw: unknown): void {
  const s = getApp();
  const r = editConfig(s.applied, s.draft, key, raw);
  if (r.notice) addMessage('notice', r.notice);
  setApp({ applied: r.applied, draft: r.draft });
  if (r.live) send({ type: 'setConfig', config: r.applied });
}

/** Back to the start checkpoint and seed; applies every pending (reset-needing) edit. The worker pauses. */
export function reset(): void {
  const s = getApp();
  setApp({ applied: s.draft });
  void ask({ type: 'reset', config: s.draft, algos: runAlgos({ applied: s.draft, compare: s.compare }) });
}

export function reseed(): void {
  const s = getApp();
  setApp({ draft: { ...s.draft, seed: newSeed(s.draft.seed) } });
  reset();
}

export function setCompare(algos: Algo[] | null): void {
  setApp({ compare: algos && algos.length >= 2 ? algos.slice(0, 3) : null });
  reset();
}

export const defaultCompare = (): Algo[] => ['repo', 'luffy', 'grpo'].filter((a) => (ALGOS as string[]).includes(a)) as Algo[];

export async function switchBackend(b: BackendName): Promise<void> {
  setApp({ backendPref: b });
  const r = await ask({ type: 'setBackend', backend: b });
  if (!r) return;
  setApp({ backend: r.backend });
  if (!r.ok) addMessage('error', r.message ?? 'backend switch failed');
  else addMessage('notice', `now training on ${r.backend}; the run restarted from the checkpoint`);
}

export async function saveCheckpoint(target: 'indexeddb' | 'download', name: string): Promise<void> {
  const clean = name.trim().replace(/[^\w.-]+/g, '-') || 'checkpoint';
  const runId = historyStore.getSnapshot().runs[getApp().inspector.run]?.id ?? null; // the inspected run (a loaded one: the first)
  const r = await ask({ type: 'saveCheckpoint', target, name: clean, runId });
  if (!r) return;
  if (r.download) {
    saveBlob(new Blob([r.download.modelJson], { type: 'application/json' }), `${r.name}.json`);
    saveBlob(new Blob([r.download.weights], { type: 'application/octet-stream' }), `${r.name}.weights.bin`);
    addMessage('notice', `downloaded ${r.name}.json and ${r.name}.weights.bin`);
  } else {
    addMessage('notice', `saved checkpoint "${r.name}" in this browser`);
    await refreshSaved();
  }
}

async function load(source: CheckpointSource): Promise<void> {
  const r = await ask({ type: 'loadCheckpoint', source });
  if (!r) return;
  setApp({ checkpoint: r.checkpoint, numParams: r.numParams });
  addMessage('notice', `loaded checkpoint ${r.checkpoint}`);
}

export const loadFromIndexedDB = (name: string) => load({ kind: 'indexeddb', name });

export function loadFromFiles(files: File[]): Promise<void> | void {
  if (files.length > 0) return load({ kind: 'files', files });
}

export const loadBase = () => load(baseSource());

export async function deleteSaved(name: string): Promise<void> {
  const r = await ask({ type: 'deleteCheckpoint', name });
  if (r) setApp({ saved: r.names });
}

export function baseSource() {
  const url = new URL(`${import.meta.env.BASE_URL}checkpoints/base/model.json`, location.origin).href;
  return { kind: 'url' as const, url, label: 'base (shipped)' };
}

export async function startAblation(rhos: number[], deltas: number[], stepsPerCell: number, evalSize: number): Promise<void> {
  const s = getApp();
  const algo: Algo = s.applied.algo === 'luffy' ? 'luffy' : 'repo';
  setApp({ ablation: { running: true, done: 0, total: rhos.length * deltas.length, cells: [], rhos, deltas, cancelled: false, source: null } });
  const r = await ask({ type: 'ablationStart', spec: { algo, rhos, deltas, stepsPerCell, evalSize } });
  setApp((x) => ({ ablation: { ...x.ablation, running: false, ...(r ? { cancelled: r.cancelled, cells: r.cells } : {}) } }));
  if (r?.cancelled) addMessage('notice', `ablation cancelled after ${r.cells.length} cells`);
}

export const cancelAblation = () => send({ type: 'ablationCancel' });

/** Shows a grid file written by `npm run ablate` in the heatmaps (cells: means over its seeds). */
export async function openAblationFile(file: File): Promise<void> {
  let grid;
  try {
    grid = parseAblationFile(await file.text());
  } catch (e) {
    return addMessage('error', `${file.name}: ${(e as Error).message}`);
  }
  const cells = summariseGrid(grid).map((c) => ({ rho: c.rho, delta: c.delta, hardAcc: c.hardAcc.mean, easyAcc: c.easyAcc.mean, injectionRate: c.injectionRate.mean, rewardMean: NaN }));
  const source = `${file.name}: ${grid.algo}, ${grid.stepsPerCell} steps per cell, mean of ${grid.seeds.length} seed${grid.seeds.length > 1 ? 's' : ''} (npm run ablate)`;
  setApp({ ablation: { running: false, done: cells.length, total: cells.length, cells, rhos: grid.rhos, deltas: grid.deltas, cancelled: false, source } });
}

export function exportRuns(format: 'json' | 'csv'): void {
  const s = getApp();
  const runs = historyStore.current();
  if (runs.every((r) => r.metrics.length === 0)) return addMessage('notice', 'nothing to export yet: train a few steps first');
  runs.forEach((run) => {
    const config = { ...s.applied, algo: run.algo };
    const name = `run-${run.algo}-seed${config.seed}`;
    if (format === 'json') {
      const header = { config, algo: run.algo, seed: config.seed, backend: s.backend ?? 'unknown', checkpoint: s.checkpoint };
      saveBlob(new Blob([runToJSON(header, run.records)], { type: 'application/json' }), `${name}.json`);
    } else saveBlob(new Blob([metricsToCSV(run.metrics)], { type: 'text/csv' }), `${name}.csv`);
  });
}

export function inspect(p: Partial<{ run: number; step: number | null; group: number }>): void {
  setApp((s) => ({ inspector: { ...s.inspector, ...p } }));
}
