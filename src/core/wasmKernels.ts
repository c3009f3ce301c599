// Faster wasm kernels registered over tfjs-backend-wasm 4.22's own, each computing the same values.
//
// Identity: wasm's copies the whole buffer; cpu's and webgl's share it (incRef), as wasm's own Reshape
// does. While a gradient tape records, tfjs clones every tensor a gradient saves, so a default update
// pass made ~500 full copies (~7 % of its time). Tensors are immutable in tfjs (a variable's assign
// swaps its buffer, it never writes into it), so sharing is safe.
import * as tf from '@tensorflow/tfjs';

type WasmBackend = { incRef(dataId: object): void };

let done = false;

/** Call once wasm is registered (after importing @tensorflow/tfjs-backend-wasm). */
export function registerFastWasmKernels(): void {
  if (done) return;
  done = true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      (backend as unknown as WasmBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}
