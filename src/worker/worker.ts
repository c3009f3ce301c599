// Web Worker entry: all training runs here, never on the page's thread.
/// <reference lib="webworker" />
import { Host, message } from './host';
import type { Command, WorkerEvent } from './protocol';
import { registerWasmPaths } from './wasmPaths';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (e: WorkerEvent, transfer: Transferable[] = []) => scope.postMessage(e, transfer);
registerWasmPaths(scope.location.origin);
const host = new Host(post);

scope.onmessage = (ev: MessageEvent<Command>) => {
  // Requests answer their own failures (an error event with their id); this catches a signal's.
  host.handle(ev.data).catch((e) => post({ type: 'error', scope: 'training', message: message(e) }));
};
scope.addEventListener('unhandledrejection', (ev) => post({ type: 'error', scope: 'worker', message: message(ev.reason) }));
