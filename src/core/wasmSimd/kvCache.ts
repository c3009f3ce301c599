// A KV cache written in place on wasm, for decoding with our module.
//
// The unfused decode grows each layer's K and V by one position per token with a Concat, which copies
// the whole cache every time: O(T²) bytes per generation (~65 MB for a default one, ~10 % of its time).
// Here each layer's K and V live in one buffer [N, H, capacity, dh] for the whole generation; a token's
// k and v are copied into their positions, and attention reads the first `len` positions through our
// matmul with a batch stride of capacity·dh. The products are the ones the Concat path computes, on the
// same values in the same order, so the logits and the sampled tokens do not change (tested).
//
// In place is safe here because the buffer has one owner: the sampler holds one handle per layer, and
// each write hands back a new handle to the same buffer (shared, as Reshape shares) while the sampler
// disposes the old one. Nothing else ever sees the buffer.
import * as tf from '@tensorflow/tfjs';
import { shareBuffer, simdFor } from './module';

const WRITE = 'SimdKvWrite';
const READ = 'SimdKvMatMul';
const ALLOC = 'SimdKvBuffer';

/** cache [N, H, cap, dh] ← x [N, H, S, dh] at positions [at, at + S); returns the cache's buffer. */
const writeConfig: tf.KernelConfig = {
  kernelName: WRITE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { cache, x } = inputs as { cache: tf.TensorInfo; x: tf.TensorInfo };
    const at = (attrs as unknown as { at: number }).at;
    const [N, H, cap, dh] = cache.shape;
    const S = x.shape[2];
    if (x.shape[0] !== N || x.shape[1] !== H || x.shape[3] !== dh || at < 0 || at + S > cap) throw new Error(`${WRITE}: [${x.shape}] does not fit [${cache.shape}] at ${at}`);
    const mod = simdFor(backend, WRITE);
    const row = 4 * S * dh; // bytes of one (n, h) block of x
    mod.fn.copyRows(mod.ptr(x), row, mod.ptr(cache) + 4 * at * dh, 4 * cap * dh, N * H, row);
    return shareBuffer(cache, backend);
  },
};

/** a [N, H, S, ·] times the first `len` positions of cache [N, H, cap, dh]:
 *  transposeB: a · cacheᵀ → [N, H, S, len] (scores); else a [.., len] · cache → [N, H, S, dh]. */
const readConfig: tf.KernelConfig = {
  kernelName: READ,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { a, cache } = inputs as { a: tf.TensorInfo; cache: tf.TensorInfo };
    const { len, transposeB } = attrs as unknown as { len: number; transposeB: boolean };
    const [N, H, cap, dh] = cache.shape;
    const [, , S, K] = a.shape;
    if (a.shape[0] !== N || a.shape[1] !== H || len > cap || K !== (transposeB ? dh : len)) throw new Error(`${READ}: [${a.shape}] against [${cache.shape}] up to ${len}`);
    const mod = simdFor(backend, READ);
    const cols = transposeB ? len : dh;
    const out = mod.be.makeOutput([N, H, S, cols], 'float32');
    // As SimdMatMul on the batched [N, H, len, dh] operand: the scalar loop's summation order.
    const scratch = transposeB ? mod.scratchFor(4 * K * cols) : 0;
    mod.fn.bmm(mod.ptr(a), mod.ptr(cache), mod.ptr(out), scratch, N * H, S, K, cols, 0, +transposeB, 1, cap * dh);
    return out;
  },
};

/** A cache buffer [N, H, capacity, dh], left unfilled: only written positions are ever read (tf.zeros
 *  would build the zeros in JS and copy them into the heap, ~1 MB per layer per generation). */
const allocConfig: tf.KernelConfig = {
  kernelName: ALLOC,
  backendName: 'wasm',
  kernelFunc: ({ backend, attrs }) => simdFor(backend, ALLOC).be.makeOutput((attrs as unknown as { shape: number[] }).shape, 'float32'),
};

export function registerKvCacheKernels(): void {
  tf.registerKernel(allocConfig);
  tf.registerKernel(writeConfig);
  tf.registerKernel(readConfig);
}

/** An empty cache buffer [N, H, capacity, dh]. */
export const kvBuffer = (N: number, H: number, capacity: number, dh: number) => tf.engine().runKernel(ALLOC, {}, { shape: [N, H, capacity, dh] }) as tf.Tensor4D;

/** Writes x [N, H, S, dh] into cache at position `at`; returns the (same) cache. */
export const kvWrite = (cache: tf.Tensor4D, x: tf.Tensor4D, at: number) => tf.engine().runKernel(WRITE, { cache, x }, { at }) as tf.Tensor4D;

/** q [N, H, S, dh] · K[:, :, :len]ᵀ → scores [N, H, S, len]. */
export const kvScores = (q: tf.Tensor, k: tf.Tensor4D, len: number) => tf.engine().runKernel(READ, { a: q, cache: k }, { len, transposeB: true }) as tf.Tensor4D;

/** att [N, H, S, len] · V[:, :, :len] → [N, H, S, dh]. */
export const kvValues = (att: tf.Tensor, v: tf.Tensor4D, len: number) => tf.engine().runKernel(READ, { a: att, cache: v }, { len, transposeB: false }) as tf.Tensor4D;
