// Matmul on wasm through our SIMD module (asm/matmul.ts), bit-identical to what tfjs-wasm computes.
//
// - BatchMatMul (registered over tfjs-wasm's): every float32 product with equal batch dimensions, in
//   the summation order tfjs-wasm 4.22 would use: its scalar loop's for a batch above 1 or a transpose
//   flag, XNNPACK's for the rest. Ours is faster than both (measured in docs/speed.md: 4-8× the scalar
//   loop, and 2-30 % over XNNPACK's 4×8 kernel on the model's shapes, mostly from splatting loads).
// - SimdMatMulRows (ours): a padded batch's dense-layer products over its real rows only (ops.ts
//   mmRowsSimd), bit-identical on those rows and in the weight gradients.
// - SimdMatMul (our own kernel, wasm only): op(a) · op(b) with the values tfjs-wasm gives when the
//   transposes are done explicitly first (Transpose, then an untransposed BatchMatMul): XNNPACK's order
//   for batch 1, the scalar loop's for batches. The model's wasm gradients use it (ops.ts mmSimd), so
//   they skip the Transpose kernels and the records stay hash-identical.
import * as tf from '@tensorflow/tfjs';
import { countSimd, moduleFor, simdFor, type SimdModule } from './module';

type Attrs = { transposeA: boolean; transposeB: boolean };
export const SIMD_MATMUL = 'SimdMatMul';

/** The product's dimensions, or null where ours does not apply (dtypes, broadcast batch, bad shapes). */
function dims(a: tf.TensorInfo, b: tf.TensorInfo, { transposeA, transposeB }: Attrs) {
  const r = a.shape.length;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || r < 2 || b.shape.length !== r) return null;
  if (a.shape.slice(0, -2).some((d, i) => d !== b.shape[i])) return null; // tfjs broadcasts; we do not
  const M = transposeA ? a.shape[r - 1] : a.shape[r - 2];
  const K = transposeA ? a.shape[r - 2] : a.shape[r - 1];
  const N = transposeB ? b.shape[r - 2] : b.shape[r - 1];
  if (K !== (transposeB ? b.shape[r - 1] : b.shape[r - 2])) return null; // tfjs throws its own message
  return { batch: tf.util.sizeFromShape(a.shape.slice(0, -2)), M, K, N };
}

function run(mod: SimdModule, kernel: string, a: tf.TensorInfo, b: tf.TensorInfo, attrs: Attrs, d: NonNullable<ReturnType<typeof dims>>, tfjsBlocks: boolean): tf.TensorInfo {
  const { batch, M, K, N } = d;
  const out = mod.be.makeOutput([...a.shape.slice(0, -2), M, N], 'float32'); // [...batch, M, N]
  if (batch * M * N > 0) {
    countSimd(kernel);
    const scratch = attrs.transposeB ? mod.scratchFor(4 * K * N) : 0; // b as [K, N]
    mod.fn.bmm(mod.ptr(a), mod.ptr(b), mod.ptr(out), scratch, batch, M, K, N, +attrs.transposeA, +attrs.transposeB, +tfjsBlocks, K * N);
  }
  return out;
}

export const batchMatMul = (tfjs: tf.KernelFunc): tf.KernelFunc => (args) => {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const attrs = args.attrs as unknown as Attrs;
  const d = dims(a, b, attrs);
  const mod = d ? moduleFor(args.backend) : null;
  if (!mod || !d) return tfjs(args);
  const scalarInTfjs = d.batch > 1 || attrs.transposeA || attrs.transposeB; // else tfjs-wasm calls XNNPACK
  return run(mod, 'BatchMatMul', a, b, attrs, d, scalarInTfjs);
};

export const simdMatMulConfig: tf.KernelConfig = {
  kernelName: SIMD_MATMUL,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs as unknown as Attrs;
    const d = dims(a, b, attrs);
    const mod = moduleFor(args.backend);
    if (!d || !mod) throw new Error(`${SIMD_MATMUL}: unsupported operands [${a.shape}] × [${b.shape}] (${a.dtype}, ${b.dtype}) or no wasm SIMD`);
    return run(mod, SIMD_MATMUL, a, b, attrs, d, d.batch > 1);
  },
};

/** op(a) · op(b) through SimdMatMul (wasm with our module only: see wasmSimdActive). */
export function simdMatMul(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  const [x, y] = tf.tidy(() => [a, b].map((t) => (t.dtype === 'float32' ? t : tf.cast(t, 'float32')))); // as tf.matMul upcasts
  const out = tf.engine().runKernel(SIMD_MATMUL, { a: x, b: y }, { transposeA, transposeB }) as tf.Tensor;
  if (x !== a) x.dispose();
  if (y !== b) y.dispose();
  return out;
}

export const SIMD_MATMUL_ROWS = 'SimdMatMulRows';

/** op(a) · op(b) for 2-D operands over the row runs of a padded batch (asm/matmul.ts bmmRows). `runs`
 *  holds ascending [start, end) pairs, flattened. Without transposeA only rows inside them are computed
 *  and the rest are +0; with transposeA the sum runs over those rows of a and b only. XNNPACK's order. */
export const simdMatMulRowsConfig: tf.KernelConfig = {
  kernelName: SIMD_MATMUL_ROWS,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs as unknown as Attrs & { runs: ArrayLike<number> };
    const d = dims(a, b, attrs);
    const rows = attrs.transposeA ? d?.K : d?.M;
    const runs = attrs.runs;
    const ok = d && a.shape.length === 2 && runs.length % 2 === 0 && Array.prototype.every.call(runs, (v: number, i: number) => v >= (i > 0 ? runs[i - 1] : 0) && v <= rows!);
    if (!ok) throw new Error(`${SIMD_MATMUL_ROWS}: wants 2-D float32 operands and ascending row runs, got [${a.shape}] × [${b.shape}], ${runs.length / 2} runs`);
    const mod = simdFor(args.backend, SIMD_MATMUL_ROWS);
    const { M, K, N } = d;
    const out = mod.be.makeOutput([M, N], 'float32');
    const scratch = attrs.transposeB ? mod.scratchFor(4 * K * N) : 0;
    mod.fn.bmmRows(mod.ptr(a), mod.ptr(b), mod.ptr(out), scratch, mod.ints(runs), runs.length / 2, M, K, N, +attrs.transposeA, +attrs.transposeB);
    return out;
  },
};

/** op(a) · op(b) over the real rows `runs` of a padded batch (wasm with our module only). */
export function simdMatMulRows(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean, runs: Int32Array): tf.Tensor {
  return tf.engine().runKernel(SIMD_MATMUL_ROWS, { a, b }, { transposeA, transposeB, runs: runs as unknown as number[] }) as tf.Tensor;
}

/** The [start, end) runs of 1s in a 0/1 mask, flattened row-major: the real tokens' rows. */
export function rowRuns(mask: ArrayLike<number>): Int32Array {
  const runs: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    if (runs.length > 0 && runs[runs.length - 1] === i) runs[runs.length - 1] = i + 1;
    else runs.push(i, i + 1);
  }
  return Int32Array.from(runs);
}
