// Slice on wasm. tfjs-wasm 4.22's reads the whole input through readSync, which copies it out of the
// heap (a [2432, 192] input: 1.9 MB per call), before copying the slice. We copy the slice's rows
// straight from a view of the heap: the same values.
import * as tf from '@tensorflow/tfjs';
import { countSimd, moduleFor } from './module';

export const slice = (tfjs: tf.KernelFunc): tf.KernelFunc => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
  const rank = x.shape.length;
  const mod = (x.dtype === 'float32' || x.dtype === 'int32') && rank > 0 ? moduleFor(args.backend) : null;
  if (!mod) return tfjs(args);
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  const out = mod.be.makeOutput(s, x.dtype);
  const src = mod.be.typedArrayFromHeap(x);
  const dst = mod.be.typedArrayFromHeap(out);
  if (dst.length === 0) return out;
  countSimd('Slice');
  const strides = x.shape.map((_, d) => x.shape.slice(d + 1).reduce((p, q) => p * q, 1));
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
