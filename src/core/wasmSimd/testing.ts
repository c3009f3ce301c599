// Shared by the wasm kernel tests: run a computation with our kernels and with tfjs-wasm's own, compare bits.
import * as tf from '@tensorflow/tfjs';
import { simdStats, tfjsKernels } from './module';
import { Rng } from '../rng';

/** Runs fn with tfjs-wasm's own kernel `name` registered instead of ours. */
export function withTfjsKernel<T>(name: string, fn: () => T): T {
  const ours = tf.getKernel(name, 'wasm')!;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(tfjsKernels.get(name)!);
  try {
    return fn();
  } finally {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(ours);
  }
}

/** The bits of each value; every NaN as one NaN (wasm leaves a NaN's sign and payload to the CPU). */
export const bits = (x: tf.TypedArray) =>
  x instanceof Float32Array ? Array.from(new Uint32Array(x.slice().buffer), (u) => ((u & 0x7f800000) === 0x7f800000 && u & 0x7fffff ? 0x7fc00000 : u)) : Array.from(x);

/** The first index where two results differ, -1 if none (a readable failure for big arrays). */
export const firstDifference = (got: number[], want: number[]) => (got.length !== want.length ? -2 : got.findIndex((g, i) => g !== want[i]));

/** fn's result with our kernel and with tfjs's, and how many times ours ran. */
export function both(name: string, fn: () => tf.Tensor) {
  const run = () => tf.tidy(() => bits(fn().dataSync()));
  const before = simdStats[name] ?? 0;
  const got = run();
  const ran = (simdStats[name] ?? 0) - before;
  return { got, want: withTfjsKernel(name, run), ran };
}

export const rng = new Rng(11);
export const values = (n: number, special = false) =>
  Float32Array.from({ length: n }, (_, i) => (special && i % 17 === 3 ? [NaN, Infinity, -Infinity, -0][i % 4] : (rng.float() - 0.5) * 6));
export const sz = (s: number[]) => s.reduce((x, y) => x * y, 1);
export const pick = <T>(xs: T[]) => xs[Math.floor(rng.float() * xs.length)];
