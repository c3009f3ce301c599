// Thin actions: each updates the store through the pure helpers and sends the worker one command.
import type { BackendName } from '../../core/backendNames';
import { ALGOS, type Algo, type ConfigKey } from '../../core/config';
import { parseAblationFile, summariseGrid } from '../../core/ablationFile';
import { send } from '../client';
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

/** Back to the start checkpoint and seed; applies every pending (reset-needing) edit. */
export function reset(): void {
  const s = getApp();
  setApp({ applied: s.draft, playing: false });
  send({ type: 'pause' });
  send({ type: 'reset', config: s.draft, algos: runAlgos({ applied: s.draft, compare: s.compare }) });
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

export function switchBackend(b: BackendName): void {
  setApp({ backendPref: b, playing: false });
  send({ type: 'setBackend', backend: b });
}

export function saveCheckpoint(target: 'indexeddb' | 'download', name: string): void {
  const clean = name.trim().replace(/[^\w.-]+/g, '-') || 'checkpoint';
  setApp({ busy: target === 'indexeddb' ? `saving ${clean}` : `preparing ${clean}` });
  send({ type: 'saveCheckpoint', target, name: clean, run: getApp().inspector.run });
}

export function loadFromIndexedDB(name: string): void {
  setApp({ busy: `loading ${name}` });
  send({ type: 'loadCheckpoint', source: { kind: 'indexeddb', name } });
}

export function loadFromFiles(files: File[]): void {
  if (files.length === 0) return;
  setApp({ busy: `loading ${files.map((f) => f.name).join(', ')}` });
  send({ type: 'loadCheckpoint', source: { kind: 'files', files } });
}

export function loadBase(): void {
  setApp({ busy: 'loading the base checkpoint' });
  send({ type: 'loadCheckpoint', source: baseSource() });
}

export const deleteSaved = (name: string) => send({ type: 'deleteCheckpoint', name });

export function baseSource() {
  const url = new URL(`${import.meta.env.BASE_URL}checkpoints/base/model.json`, location.origin).href;
  return { kind: 'url' as const, url, label: 'base (shipped)' };
}

export function startAblation(rhos: number[], deltas: number[], stepsPerCell: number, evalSize: number): void {
  const s = getApp();
  const algo: Algo = s.applied.algo === 'luffy' ? 'luffy' : 'repo';
  setApp({ playing: false, ablation: { running: true, done: 0, total: rhos.length * deltas.length, cells: [], rhos, deltas, cancelled: false, source: null } });
  send({ type: 'ablationStart', spec: { algo, rhos, deltas, stepsPerCell, evalSize } });
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
