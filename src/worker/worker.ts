// Web Worker entry: all training runs here, never on the page's thread.
/// <reference lib="webworker" />
import { Host, message } from './host';
import type { Command, WorkerEvent } from './protocol';
import { registerWasmPaths } from './wasmPaths';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (e: WorkerEvent, transfer: Transferable[] = []) => scope.postMessage(e, transfer);
registerWasmPaths(scope.location.origin);
const host = new Host(post);

function scopeOf(cmd: Command): Extract<WorkerEvent, { type: 'error' }>['scope'] {
  if (cmd.type === 'loadCheckpoint' || cmd.type === 'saveCheckpoint' || cmd.type === 'deleteCheckpoint' || cmd.type === 'listCheckpoints') return 'checkpoint';
  if (cmd.type === 'setBackend' || cmd.type === 'init') return cmd.type === 'init' ? 'worker' : 'backend';
  if (cmd.type.startsWith('ablation')) return 'ablation';
  return 'training';
}

scope.onmessage = (ev: MessageEvent<Command>) => {
  const cmd = ev.data;
  host.handle(cmd).catch((e) => post({ type: 'error', scope: scopeOf(cmd), message: message(e) }));
};
scope.addEventListener('unhandledrejection', (ev) => post({ type: 'error', scope: 'worker', message: message(ev.reason) }));
