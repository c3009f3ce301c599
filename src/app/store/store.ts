// The app store (zustand), in slices. Low-frequency state only: per-step records live in
// history.ts and reach charts through their own throttled subscription.
import { create } from 'zustand';
import type { BackendName } from '../../core/backendNames';
import type { Algo, Config } from '../../core/config';
import type { AblationCell, TriedBackend } from '../../worker/protocol';

export interface Message {
  id: number;
  kind: 'notice' | 'error' | 'warning';
  text: string;
}

interface SessionSlice {
  ready: boolean;
  backend: BackendName | null;
  backendPref: BackendName | 'auto';
  tried: TriedBackend[];
  checkpoint: string;
  numParams: number;
  playing: boolean;
  step: number;
  tickTimes: number[];
  intervalMs: number;
}

interface ConfigSlice {
  applied: Config; // what the worker runs
  draft: Config; // what the controls show (differs in keys that need a reset)
  compare: Algo[] | null;
}

interface MessageSlice {
  messages: Message[];
}

interface CheckpointSlice {
  saved: string[];
  busy: string | null; // what is in progress, for the checkpoint panel
}

interface AblationSlice {
  // `source`: null for a sweep run here, else a description of the grid file it was loaded from.
  ablation: { running: boolean; done: number; total: number; cells: AblationCell[]; rhos: number[]; deltas: number[]; cancelled: boolean; source: string | null };
}

interface InspectorSlice {
  inspector: { run: number; step: number | null; group: number }; // step: a pinned step number, null = follow the newest
}

export type AppState = SessionSlice & ConfigSlice & MessageSlice & CheckpointSlice & AblationSlice & InspectorSlice;

export function initialState(config: Config, compare: Algo[] | null, backendPref: BackendName | 'auto'): AppState {
  return {
    ready: false, backend: null, backendPref, tried: [], checkpoint: '', numParams: 0, playing: false, step: 0, tickTimes: [], intervalMs: 0,
    applied: config, draft: config, compare,
    messages: [],
    saved: [], busy: null,
    ablation: { running: false, done: 0, total: 0, cells: [], rhos: [], deltas: [], cancelled: false, source: null },
    inspector: { run: 0, step: null, group: 0 },
  };
}

let nextId = 1;
export function message(kind: Message['kind'], text: string): Message {
  return { id: nextId++, kind, text };
}

export const useApp = create<AppState>()(() => initialState({} as Config, null, 'auto'));
export const getApp = useApp.getState;
export const setApp = useApp.setState;

export function addMessage(kind: Message['kind'], text: string): void {
  setApp((s) => {
    // the same text twice (e.g. a NaN skip every step) is shown once
    if (s.messages.some((m) => m.text === text && m.kind === kind)) return s;
    return { messages: [...s.messages.slice(-5), message(kind, text)] };
  });
}

export function dismissMessage(id: number): void {
  setApp((s) => ({ messages: s.messages.filter((m) => m.id !== id) }));
}

/** The algorithms trained right now, in run order. */
export function runAlgos(s: Pick<AppState, 'applied' | 'compare'>): Algo[] {
  return s.compare ?? [s.applied.algo];
}
