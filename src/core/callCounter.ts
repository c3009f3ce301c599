// Counts calls while code runs: tfjs engine kernels (every op, gradient and optimizer kernel goes through the
// engine's runKernelFunc) and, on webgpu, compute programs (runWebGPUProgram: one GPU dispatch each, what
// costs ~0.1 ms of host time on a GPU; reshapes dispatch nothing). Used by the bench and the kernel tests.
import * as tf from '@tensorflow/tfjs';

export interface CallCounter {
  readonly calls: number;
  restore(): void;
}

/** Wraps `target[method]` with a counter until `restore()`. */
function countCalls(target: object, method: string): CallCounter {
  const t = target as Record<string, (...args: unknown[]) => unknown>;
  const own = Object.prototype.hasOwnProperty.call(t, method);
  const original = t[method];
  const counter = {
    calls: 0,
    restore: () => {
      if (own) t[method] = original;
      else delete t[method];
    },
  };
  t[method] = function (this: unknown, ...args: unknown[]) {
    counter.calls++;
    return original.apply(this, args);
  };
  return counter;
}

/** Counts tfjs engine kernels from now until `restore()`. */
export const countEngineKernels = (): CallCounter => countCalls(tf.engine(), 'runKernelFunc');

/** Counts GPU dispatches from now until `restore()`; null when the current backend is not webgpu. */
export const countGpuDispatches = (): CallCounter | null => (tf.getBackend() === 'webgpu' ? countCalls(tf.backend(), 'runWebGPUProgram') : null);

function countWhile(counter: CallCounter, fn: () => void): number {
  try {
    fn();
    return counter.calls;
  } finally {
    counter.restore();
  }
}

/** Engine kernels that `fn` runs. */
export const kernelsIn = (fn: () => void): number => countWhile(countEngineKernels(), fn);

/** GPU dispatches that `fn` records (the current backend must be webgpu). */
export function dispatchesIn(fn: () => void): number {
  const c = countGpuDispatches();
  if (!c) throw new Error(`dispatchesIn needs the webgpu backend (current: ${tf.getBackend()})`);
  return countWhile(c, fn);
}
