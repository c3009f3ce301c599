// Backend selection shared by Node (CLI, tests) and the browser worker.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './backendNames';
import { useBufferClasses } from './gpuBufferClasses';
import { registerFastWasmKernels } from './wasmKernels';
import { prepareWasmSimd } from './wasmSimd/module';

export { BROWSER_ORDER, NODE_BACKENDS, NODE_ORDER, type BackendName } from './backendNames';

/**
 * tfjs-webgpu's MatMulProgramType.MatMulPackedProgram: every product on its tiled program, which sums
 * along the inner dimension in a fixed order. By default tfjs picks a split-K program for products with
 * few output tiles and an inner dimension ≥ 2000 (here the weight gradients of the head and of attention's
 * output, summed over the batch's N·T rows): its workgroups add their partial sums into the output with
 * atomic compare-exchange loops, in the order they happen to finish, so on a real GPU the same seed would
 * not give the same bits twice (and each such product needs a zero-fill dispatch first).
 */
const MATMUL_PACKED = 3;

/** Registers the backend's module (lazily: webgpu/wasm are large) and makes it current. */
export async function useBackend(name: BackendName): Promise<boolean> {
  if (name === 'wasm') {
    // The threaded build breaks after minification and gains little on 2 cores (docs/DESIGN.md §8.3).
    await import('@tensorflow/tfjs-backend-wasm'); // registers the flag below
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    registerFastWasmKernels();
  }
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    if (ok && name === 'wasm') await prepareWasmSimd();
    if (ok && name === 'webgpu') {
      useBufferClasses();
      tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', MATMUL_PACKED);
    }
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

// ---- WebGPU errors -------------------------------------------------------------------------------
// WebGPU reports an invalid pipeline or command only as an error event or in an error scope; the
// dropped work leaves garbage in the tensors and training would go on with it (docs/DESIGN.md §8.9). Both
// paths below turn such an error into one clear message.

interface GpuErrorLike {
  message: string;
}
interface GpuDeviceLike {
  addEventListener?: (type: 'uncapturederror', listener: (e: { error: GpuErrorLike }) => void) => void;
  onuncapturederror?: ((e: { error: GpuErrorLike }) => void) | null;
  pushErrorScope(filter: 'validation' | 'out-of-memory' | 'internal'): void;
  popErrorScope(): Promise<GpuErrorLike | null>;
}

/** A WebGPU validation, out-of-memory or internal error: the step's results are not to be trusted. */
export class WebGPUError extends Error {
  name = 'WebGPUError'; // survives minification, unlike constructor.name
}

/** The current backend's GPUDevice, or null when the backend is not webgpu. */
export function webgpuDevice(): GpuDeviceLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GpuDeviceLike }).device ?? null;
}

function describe(e: GpuErrorLike): string {
  const kind = (e as object).constructor?.name?.replace(/^GPU/, '').replace(/Error$/, '').toLowerCase() || 'unknown';
  const first = String(e.message ?? e).split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ');
  return `WebGPU ${kind} error: ${first}`;
}

const watched = new WeakSet<object>();
let onUncaptured: ((message: string) => void) | null = null;

/**
 * Routes every uncaptured WebGPU error of the current device to `onError` (one line each). Returns
 * false when the current backend is not webgpu. The newest handler replaces the previous one.
 */
export function watchWebGPUErrors(onError: (message: string) => void): boolean {
  const device = webgpuDevice();
  if (!device) return false;
  onUncaptured = onError;
  if (!watched.has(device)) {
    watched.add(device);
    const listener = (e: { error: GpuErrorLike }) => onUncaptured?.(describe(e.error));
    if (typeof device.addEventListener === 'function') device.addEventListener('uncapturederror', listener);
    else device.onuncapturederror = listener;
  }
  return true;
}

/**
 * Runs `fn` inside WebGPU error scopes (validation and out-of-memory) when the backend is webgpu and
 * throws WebGPUError if any of its GPU work was invalid; elsewhere it just runs `fn`.
 */
export async function checkedOnWebGPU<T>(fn: () => Promise<T>): Promise<T> {
  const device = webgpuDevice();
  if (!device) return fn();
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  let result: T;
  try {
    result = await fn();
  } finally {
    const oom = await device.popErrorScope();
    const invalid = await device.popErrorScope();
    const err = invalid ?? oom;
    if (err) throw new WebGPUError(describe(err)); // replaces fn's own error: this one is the cause
  }
  return result;
}
