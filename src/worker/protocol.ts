// The one message contract between the app (main thread) and the training worker.
// Commands flow in, events flow out; both are plain structured-clone data (docs/PROTOCOL.md).
// - Requests expect an answer: each carries a `requestId` the worker echoes in exactly one `reply` (or
//   `error`) event. Signals (play, pause, ...) expect none: what they change shows in `state` events.
// - Every run has an id (`run-<n>`, assigned when the worker builds its trainers); run-scoped events
//   name it. The page keys its history by it.
// - `playing` and `busy` have one owner, the worker: only its `state` events set them on the page.
import type { CellResult as AblationCell } from '../core/ablation';
import type { BackendName } from '../core/backendNames';
import type { Algo, Config } from '../core/config';
import type { StepPhase, StepRecord } from '../core/record';
import type { TrainerSnapshot } from '../core/trainerState';

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

/** A live run: its stable id and method, in run order. */
export interface RunInfo {
  id: string;
  algo: Algo;
}

/** The runs' state after their last completed step (the worker posts one after every step). */
export interface RunsSnapshot {
  step: number;
  runs: { id: string; state: TrainerSnapshot }[];
}

/** Commands that expect an answer. */
export type Request =
  // `resume`: continue these runs (a restarted worker); `debug`: honour `debug` signals (e2e only).
  | { type: 'init'; config: Config; algos: Algo[]; backend: BackendName | 'auto'; checkpoint: CheckpointSource; resume?: RunsSnapshot; debug?: boolean }
  | { type: 'reset'; config: Config; algos: Algo[] } // same checkpoint and seed, new (reset-needing) settings; pauses
  | { type: 'setBackend'; backend: BackendName }
  | { type: 'saveCheckpoint'; target: 'indexeddb' | 'download'; name: string; runId: string | null }
  | { type: 'loadCheckpoint'; source: CheckpointSource }
  | { type: 'listCheckpoints' }
  | { type: 'deleteCheckpoint'; name: string }
  | { type: 'ablationStart'; spec: AblationSpec };

/** What each request resolves to. */
export interface Replies {
  init: { backend: BackendName; tried: TriedBackend[]; checkpoint: string; numParams: number; runs: RunInfo[] };
  reset: { runs: RunInfo[] };
  setBackend: { backend: BackendName; ok: boolean; message?: string };
  saveCheckpoint: { target: 'indexeddb' | 'download'; name: string; download?: { modelJson: string; weights: ArrayBuffer } };
  loadCheckpoint: { checkpoint: string; numParams: number };
  listCheckpoints: { names: string[] };
  deleteCheckpoint: { names: string[] };
  ablationStart: { cancelled: boolean; cells: AblationCell[] };
}

/** Commands that expect no answer. */
export type Signal =
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'setConfig'; config: Config } // live keys only; applies from the next step
  | { type: 'setSpeed'; intervalMs: number } // minimum time between lockstep ticks (0 = as fast as possible)
  | { type: 'ablationCancel' }
  // Test-only, honoured when init said `debug`: destroy the WebGPU device, or crash the worker.
  | { type: 'debug'; action: 'loseDevice' | 'crash' };

export type Command = Signal | (Request & { requestId: number });

export type ErrorScope = 'backend' | 'checkpoint' | 'training' | 'ablation' | 'worker';

export type WorkerEvent =
  | { [K in Request['type']]: { type: 'reply'; requestId: number; request: K; result: Replies[K] } }[Request['type']]
  // `requestId`: the failed request (its promise rejects); none: something the worker ran into by itself.
  | { type: 'error'; message: string; scope: ErrorScope; requestId?: number; runId?: string }
  // The only source of `playing` and `busy` (what the worker is doing for a request: 'saving x', or null).
  | { type: 'state'; playing: boolean; busy: string | null; step: number }
  // The trainers were (re)built: from the checkpoint (history starts over), or `resumedFrom` a snapshot at
  // that step (history keeps the steps before it).
  | { type: 'runs'; runs: RunInfo[]; resumedFrom?: number }
  | { type: 'steps'; step: number; records: Record<string, StepRecord> } // one tick: one record per run id
  | { type: 'snapshot'; snapshot: RunsSnapshot; ms: number } // ms: the worker's time to read it off the device
  // What the step in flight is doing: run `runId` (number `run` of `runs`) at `step`; `firstOnBackend`: the
  // first step since the backend started (WebGPU compiles its shaders during it). Eval progress: done of total.
  | { type: 'progress'; step: number; runId: string; run: number; runs: number; phase: StepPhase; done?: number; total?: number; firstOnBackend: boolean }
  | { type: 'backend'; backend: BackendName }
  // The GPU went away mid-run; the runs go on on `backend` from `step`, restored from the last snapshot.
  | { type: 'recovered'; reason: string; backend: BackendName; step: number }
  | { type: 'ablationProgress'; done: number; total: number; cell?: AblationCell }
  | { type: 'notice'; message: string };

export type EventOf<T extends WorkerEvent['type']> = Extract<WorkerEvent, { type: T }>;
export type Reply<K extends Request['type']> = Replies[K];

/** Which part of the page a failed request is about (its error's label). */
export function scopeOf(type: Request['type']): ErrorScope {
  if (type === 'loadCheckpoint' || type === 'saveCheckpoint' || type === 'deleteCheckpoint' || type === 'listCheckpoints') return 'checkpoint';
  if (type === 'setBackend') return 'backend';
  if (type === 'ablationStart') return 'ablation';
  return type === 'init' ? 'worker' : 'training';
}
