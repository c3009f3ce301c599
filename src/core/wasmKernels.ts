// Faster wasm kernels registered over tfjs-backend-wasm 4.22's own, each computing the same values.
//
// Identity, and Cast to the dtype a tensor already has: wasm's copy the whole buffer; cpu's and
// webgl's share it (incRef), as wasm's own Reshape does. While a gradient tape records, tfjs clones
// every tensor a gradient saves, and Mul's gradient casts its float32 operands to float32, so a
// default update pass made ~600 full copies (~9 % of its time). Tensors are immutable in tfjs (a
// variable's assign swaps its buffer, it never writes into it), so sharing is safe.
import * as tf from '@tensorflow/tfjs';

type WasmBackend = { incRef(dataId: object): void };

/** The same buffer under a new tensor: what Reshape does on wasm. */
function share(x: tf.TensorInfo, backend: unknown): tf.TensorInfo {
  (backend as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

let done = false;

/** Call once wasm is registered (after importing @tensorflow/tfjs-backend-wasm). */
export function registerFastWasmKernels(): void {
  if (done) return;
  done = true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: ({ inputs, backend }) => share(inputs.x as tf.TensorInfo, backend) });

  const cast = tf.getKernel('Cast', 'wasm');
  if (!cast) return;
  const copyCast = cast.kernelFunc;
  tf.unregisterKernel('Cast', 'wasm');
  tf.registerKernel({
    ...cast,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      return (args.attrs as { dtype: tf.DataType }).dtype === x.dtype ? share(x, args.backend) : copyCast(args);
    },
  });
}
