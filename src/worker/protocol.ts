// The one message contract between the app (main thread) and the training worker.
// Commands flow in, events flow out; both are plain structured-clone data.
import type { BackendName } from '../core/backendNames';
import type { Algo, Config } from '../core/config';
import type { StepPhase, StepRecord } from '../core/record';

/** Where a checkpoint comes from. Files are the user's picks (model.json + weights.bin). */
export type CheckpointSource =
  | { kind: 'url'; url: string; label: string }
  | { kind: 'indexeddb'; name: string }
  | { kind: 'files'; files: File[] };

export interface AblationSpec {
  algo: Algo; // ρ and δ act on RePO (and LUFFY's only-when-failing gate)
  rhos: number[];
  deltas: number[];
  stepsPerCell: number;
  evalSize: number; // hard problems in each cell's final greedy evaluation
}

export type { CellResult as AblationCell } from '../core/ablation';

/** One backend the worker considered at start: started or not, or passed over in auto mode (and why). */
export interface TriedBackend {
  backend: BackendName;
  ok: boolean;
  skipped?: string;
  /** Auto mode: the probe's verdict on the backend it picked, e.g. "3.1× faster than wasm here" (core/probe.ts). */
  probe?: string;
}
import type { CellResult as AblationCell } from '../core/ablation';

export type Command =
  | { type: 'init'; config: Config; algos: Algo[]; backend: BackendName | 'auto'; checkpoint: CheckpointSource }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset'; config: Config; algos: Algo[] } // same checkpoint and seed, new (reset-needing) settings
  | { type: 'setConfig'; config: Config } // live keys only; applies from the next step
  | { type: 'setSpeed'; intervalMs: number } // minimum time between lockstep ticks (0 = as fast as possible)
  | { type: 'setBackend'; backend: BackendName }
  | { type: 'saveCheckpoint'; target: 'indexeddb' | 'download'; name: string; run: number }
  | { type: 'loadCheckpoint'; source: CheckpointSource }
  | { type: 'listCheckpoints' }
  | { type: 'deleteCheckpoint'; name: string }
  | { type: 'ablationStart'; spec: AblationSpec }
  | { type: 'ablationCancel' };

export type WorkerEvent =
  | { type: 'ready'; backend: BackendName; tried: TriedBackend[]; checkpoint: string; numParams: number }
  | { type: 'backend'; backend: BackendName; ok: boolean; message?: string }
  | { type: 'steps'; records: StepRecord[] } // one tick: one record per run, in run order (each carries the settings it ran under)
  | { type: 'state'; playing: boolean; step: number }
  // What the step in flight is doing: run `run` of `runs` at `step`; `firstOnBackend`: the first step since the
  // backend started (WebGPU compiles its shaders during it). Eval progress in problems: done of total.
  | { type: 'progress'; step: number; run: number; runs: number; phase: StepPhase; done?: number; total?: number; firstOnBackend: boolean }
  | { type: 'reset'; algos: Algo[] }
  | { type: 'checkpoint'; checkpoint: string; numParams: number }
  | { type: 'checkpointList'; names: string[] }
  | { type: 'saved'; target: 'indexeddb' | 'download'; name: string }
  | { type: 'download'; name: string; modelJson: string; weights: ArrayBuffer }
  | { type: 'ablationProgress'; done: number; total: number; cell?: AblationCell }
  | { type: 'ablationDone'; cancelled: boolean; cells: AblationCell[] }
  | { type: 'notice'; message: string }
  | { type: 'error'; message: string; scope: 'backend' | 'checkpoint' | 'training' | 'ablation' | 'worker' };

