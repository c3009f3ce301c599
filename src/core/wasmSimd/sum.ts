// Sum over leading axes on wasm (bias and layer-norm parameter gradients) through our module
// (asm/reduce.ts): tfjs-wasm 4.22 transposes the input to bring those axes innermost, then sums in
// order; we sum the columns in the same order without the transpose. Other reductions stay tfjs's.
import * as tf from '@tensorflow/tfjs';
import { countSimd, moduleFor } from './module';

export const sum = (tfjs: tf.KernelFunc): tf.KernelFunc => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  const mod = x.dtype === 'float32' && leading ? moduleFor(args.backend) : null;
  if (!mod) return tfjs(args);
  const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  const rest = x.shape.slice(axes.length);
  const out = mod.be.makeOutput(keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
  countSimd('Sum');
  mod.fn.colSum(mod.ptr(x), mod.ptr(out), rows, tf.util.sizeFromShape(rest));
  return out;
};
