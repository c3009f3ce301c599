// Concat and Slice on wasm: copies inside tfjs-wasm's heap with copyWithin (a memmove, no garbage).
//
// - Slice: tfjs-wasm 4.22's reads its whole input out of the heap through readSync (a [2432, 192]
//   input: 1.9 MB per call) before copying the slice.
// - Concat: tfjs-wasm's makes a subarray view per input per outer row (the KV cache of a generation:
//   [64, 4, t, 16] + [64, 4, 1, 16] is 512 views per layer per token, ~80,000 short-lived objects a
//   generation for V8's collector).
// Both copy the same bytes, so the values are tfjs's. Plain JS: no SIMD module needed.
import * as tf from '@tensorflow/tfjs';
import { countSimd, heapOffset, type WasmBackend } from './module';

/** The heap's bytes and where t's data starts in them; null for dtypes we leave to tfjs. */
function heap(be: WasmBackend, t: tf.TensorInfo) {
  return t.dtype === 'float32' || t.dtype === 'int32' ? heapOffset(be, t) : null;
}
const bytesOf = (be: WasmBackend) => new Uint8Array(be.wasm.asm.memory.buffer); // after makeOutput: it may grow memory

export const slice = (tfjs: tf.KernelFunc): tf.KernelFunc => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
  const rank = x.shape.length;
  const be = args.backend as unknown as WasmBackend;
  if (rank === 0 || heap(be, x) === null) return tfjs(args);
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  const out = be.makeOutput(s, x.dtype);
  const n = tf.util.sizeFromShape(s);
  if (n === 0) return out;
  countSimd('Slice');
  const mem = bytesOf(be);
  const src = heap(be, x)!;
  const dst = heap(be, out)!;
  const strides = tf.util.computeStrides(x.shape); // of every axis but the last
  const run = s[rank - 1];
  const idx = new Array(rank - 1).fill(0); // index over all axes but the last, odometer order
  for (let o = 0; o < n; o += run) {
    let from = b[rank - 1];
    for (let d = 0; d < rank - 1; d++) from += (b[d] + idx[d]) * strides[d];
    mem.copyWithin(dst + 4 * o, src + 4 * from, src + 4 * (from + run));
    for (let d = rank - 2; d >= 0 && ++idx[d] === s[d]; d--) idx[d] = 0;
  }
  return out;
};

export const concat = (tfjs: tf.KernelFunc): tf.KernelFunc => (args) => {
  const inputs = (args.inputs as unknown as tf.TensorInfo[]).filter((t) => tf.util.sizeFromShape(t.shape) > 0);
  const be = args.backend as unknown as WasmBackend;
  if (inputs.length < 2 || inputs.some((t) => t.dtype !== inputs[0].dtype || heap(be, t) === null)) return tfjs(args);
  const shapes = inputs.map((t) => t.shape);
  const axis = tf.util.parseAxisParam((args.attrs as { axis: number }).axis, shapes[0])[0];
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const out = be.makeOutput(tf.backend_util.computeOutShape(shapes, axis), inputs[0].dtype);
  countSimd('Concat');
  const mem = bytesOf(be);
  const outer = tf.util.sizeFromShape(shapes[0].slice(0, axis));
  const inner = shapes.map((s) => 4 * tf.util.sizeFromShape(s.slice(axis))); // bytes per outer row
  const row = inner.reduce((x, y) => x + y, 0);
  let at = heap(be, out)!;
  inputs.forEach((t, i) => {
    const src = heap(be, t)!;
    for (let r = 0; r < outer; r++) mem.copyWithin(at + r * row, src + r * inner[i], src + (r + 1) * inner[i]);
    at += inner[i];
  });
  return out;
};
