// Backend selection shared by Node (CLI, tests) and the browser worker.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './backendNames';

export { BROWSER_ORDER, NODE_ORDER, type BackendName } from './backendNames';

/** Registers the backend's module (lazily: webgpu/wasm are large) and makes it current. */
export async function useBackend(name: BackendName): Promise<boolean> {
  if (name === 'wasm') {
    // The threaded build breaks after minification and gains little on 2 cores (BROWSER.md #3).
    await import('@tensorflow/tfjs-backend-wasm'); // registers the flag below
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Tries each backend in order; returns the one that runs. */
export async function pickBackend(order: BackendName[]): Promise<BackendName> {
  for (const name of order) if (await useBackend(name)) return name;
  throw new Error(`no tfjs backend could start (tried ${order.join(', ')})`);
}
