// Slice on wasm. tfjs-wasm 4.22's reads the whole input through readSync, which copies it out of the
// heap (a [2432, 192] input: 1.9 MB per call), before copying the slice. We copy the slice's rows
// straight from a view of the heap: the same values. Plain JS: it needs no SIMD module.
import * as tf from '@tensorflow/tfjs';
import { countSimd, type WasmBackend } from './module';

export const slice = (tfjs: tf.KernelFunc): tf.KernelFunc => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
  const rank = x.shape.length;
  if ((x.dtype !== 'float32' && x.dtype !== 'int32') || rank === 0) return tfjs(args);
  const be = args.backend as unknown as WasmBackend;
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  const out = be.makeOutput(s, x.dtype);
  const src = be.typedArrayFromHeap(x);
  const dst = be.typedArrayFromHeap(out);
  if (dst.length === 0) return out;
  countSimd('Slice');
  const strides = tf.util.computeStrides(x.shape); // of every axis but the last
  const run = s[rank - 1];
  const idx = new Array(rank - 1).fill(0); // index over all axes but the last, odometer order
  for (let o = 0; o < dst.length; o += run) {
    let from = b[rank - 1];
    for (let d = 0; d < rank - 1; d++) from += (b[d] + idx[d]) * strides[d];
    dst.set(src.subarray(from, from + run), o);
    for (let d = rank - 2; d >= 0 && ++idx[d] === s[d]; d--) idx[d] = 0;
  }
  return out;
};
