// SIMD matmul for the wasm backend (AssemblyScript, compiled by asm/build.mjs into
// src/core/wasmSimd/binary.ts). It runs inside tfjs-backend-wasm's own memory (imported), on the
// tensors' heap offsets, so nothing is copied in or out.
//
// Why: tfjs-wasm 4.22 sends every batched product (batch > 1) and every product with a transpose flag
// to a scalar triple loop (~2 GFLOP/s); only batch-1, flag-free products reach XNNPACK. Attention is
// all batched products, and the weight gradients need a transposed operand.
//
// Same values, bit for bit, as what tfjs-wasm computes, in either of its two summation orders
// (wasm has no implicit FMA, so each lane repeats the scalar sequence of f32 multiplies and adds):
// - tfjs's scalar loop (batched products): each output sums k in blocks of 48, each block from 0.0
//   in k order, and adds the block sums to the output left to right. `tfjsBlocks` = 1.
// - XNNPACK (batch-1 products): one running sum over k from 0.0, in k order. `tfjsBlocks` = 0: we
//   still walk k in cache-sized blocks, but each block resumes the running sum it left in the output.
// We vectorise across output columns j, 4 rows × 8 columns per tile.
//
// Memory rule: no strings, no static data, no allocation. A data segment would be written over
// tfjs's heap at instantiation (asm/build.mjs fails the build if the binary has one).

const TFJS_BLOCK: i32 = 48; // tfjs-wasm's kBlockSize
const CACHE_BLOCK: i32 = 256; // rows of b per pass in XNNPACK order: 256 × N floats stay in L2

/** out[p] = op(a[p]) · op(b[p]) for p < batch.
 *  a: [batch, M, K], or [batch, K, M] with transA; b: [batch, K, N], or [batch, N, K] with transB
 *  (copied to `scratch`, K·N floats, as [K, N]); out: [batch, M, N]. */
export function bmm(a: usize, b: usize, out: usize, scratch: usize, batch: i32, M: i32, K: i32, N: i32, transA: i32, transB: i32, tfjsBlocks: i32): void {
  const aI: i32 = transA ? 1 : K; // element strides of a along i and k
  const aK: i32 = transA ? M : 1;
  const kb = tfjsBlocks ? TFJS_BLOCK : CACHE_BLOCK;
  for (let p: i32 = 0; p < batch; p++) {
    const ap = a + (<usize>(p * M * K) << 2);
    let bp = b + (<usize>(p * K * N) << 2);
    if (transB) { transpose(bp, scratch, N, K); bp = scratch; } // [N, K] → [K, N]
    const op = out + (<usize>(p * M * N) << 2);
    if (K == 0) { memory.fill(op, 0, <usize>(M * N) << 2); continue; } // both: a zero-filled output
    for (let k0: i32 = 0; k0 < K; k0 += kb) {
      const k1 = min(k0 + kb, K);
      // resume: XNNPACK order continues the running sum stored in out; tfjs order adds a fresh block sum
      const resume: bool = tfjsBlocks == 0 && k0 > 0;
      const add: bool = tfjsBlocks != 0 && k0 > 0;
      let i: i32 = 0;
      for (; i + 4 <= M; i += 4) rows4(ap, aI, aK, bp, op, i, k0, k1, N, resume, add);
      for (; i < M; i++) rows1(ap, aI, aK, bp, op, i, k0, k1, N, resume, add);
    }
  }
}

/** dst[c, r] = src[r, c] for src [rows, cols]. */
function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r: i32 = 0; r < rows; r++) {
    const s = src + (<usize>(r * cols) << 2);
    for (let c: i32 = 0; c < cols; c++) store<f32>(dst + (<usize>(c * rows + r) << 2), load<f32>(s + (<usize>c << 2)));
  }
}

// The accumulator a tile starts from, and how it lands in out.
// @ts-ignore: decorator
@inline function start(p: usize, resume: bool): v128 {
  return resume ? v128.load(p) : f32x4.splat(0);
}
// @ts-ignore: decorator
@inline function finish(p: usize, c: v128, add: bool): void {
  v128.store(p, add ? f32x4.add(v128.load(p), c) : f32x4.add(f32x4.splat(0), c)); // 0 + c: as tfjs's `0 + sum` (−0 → +0)
}

// Rows i..i+3 over k in [k0, k1): 8-column tiles (8 accumulators), then 4 columns, then single columns.
function rows4(a: usize, aI: i32, aK: i32, b: usize, o: usize, i: i32, k0: i32, k1: i32, N: i32, resume: bool, add: bool): void {
  const a0 = a + (<usize>(i * aI) << 2);
  const rowA = <usize>aI << 2;
  const stepA = <usize>aK << 2;
  const a1 = a0 + rowA, a2 = a1 + rowA, a3 = a2 + rowA;
  const rowB = <usize>N << 2;
  let j: i32 = 0;
  for (; j + 8 <= N; j += 8) {
    const o0 = o + (<usize>(i * N + j) << 2), o1 = o0 + rowB, o2 = o1 + rowB, o3 = o2 + rowB;
    let c00 = start(o0, resume), c01 = start(o0 + 16, resume), c10 = start(o1, resume), c11 = start(o1 + 16, resume);
    let c20 = start(o2, resume), c21 = start(o2 + 16, resume), c30 = start(o3, resume), c31 = start(o3 + 16, resume);
    let bk = b + (<usize>(k0 * N + j) << 2);
    let ka = <usize>k0 * stepA;
    for (let k = k0; k < k1; k++) {
      const b0 = v128.load(bk);
      const b1 = v128.load(bk, 16);
      const x0 = f32x4.splat(load<f32>(a0 + ka)), x1 = f32x4.splat(load<f32>(a1 + ka));
      const x2 = f32x4.splat(load<f32>(a2 + ka)), x3 = f32x4.splat(load<f32>(a3 + ka));
      c00 = f32x4.add(c00, f32x4.mul(x0, b0)); c01 = f32x4.add(c01, f32x4.mul(x0, b1));
      c10 = f32x4.add(c10, f32x4.mul(x1, b0)); c11 = f32x4.add(c11, f32x4.mul(x1, b1));
      c20 = f32x4.add(c20, f32x4.mul(x2, b0)); c21 = f32x4.add(c21, f32x4.mul(x2, b1));
      c30 = f32x4.add(c30, f32x4.mul(x3, b0)); c31 = f32x4.add(c31, f32x4.mul(x3, b1));
      bk += rowB;
      ka += stepA;
    }
    finish(o0, c00, add); finish(o0 + 16, c01, add); finish(o1, c10, add); finish(o1 + 16, c11, add);
    finish(o2, c20, add); finish(o2 + 16, c21, add); finish(o3, c30, add); finish(o3 + 16, c31, add);
  }
  for (; j + 4 <= N; j += 4) {
    const o0 = o + (<usize>(i * N + j) << 2), o1 = o0 + rowB, o2 = o1 + rowB, o3 = o2 + rowB;
    let c0 = start(o0, resume), c1 = start(o1, resume), c2 = start(o2, resume), c3 = start(o3, resume);
    let bk = b + (<usize>(k0 * N + j) << 2);
    let ka = <usize>k0 * stepA;
    for (let k = k0; k < k1; k++) {
      const b0 = v128.load(bk);
      c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(a0 + ka)), b0));
      c1 = f32x4.add(c1, f32x4.mul(f32x4.splat(load<f32>(a1 + ka)), b0));
      c2 = f32x4.add(c2, f32x4.mul(f32x4.splat(load<f32>(a2 + ka)), b0));
      c3 = f32x4.add(c3, f32x4.mul(f32x4.splat(load<f32>(a3 + ka)), b0));
      bk += rowB;
      ka += stepA;
    }
    finish(o0, c0, add); finish(o1, c1, add); finish(o2, c2, add); finish(o3, c3, add);
  }
  for (; j < N; j++) {
    column(a0, stepA, b, o, i, j, k0, k1, N, resume, add);
    column(a1, stepA, b, o, i + 1, j, k0, k1, N, resume, add);
    column(a2, stepA, b, o, i + 2, j, k0, k1, N, resume, add);
    column(a3, stepA, b, o, i + 3, j, k0, k1, N, resume, add);
  }
}

// The single row i over k in [k0, k1).
function rows1(a: usize, aI: i32, aK: i32, b: usize, o: usize, i: i32, k0: i32, k1: i32, N: i32, resume: bool, add: bool): void {
  const a0 = a + (<usize>(i * aI) << 2);
  const stepA = <usize>aK << 2;
  const rowB = <usize>N << 2;
  let j: i32 = 0;
  for (; j + 4 <= N; j += 4) {
    const o0 = o + (<usize>(i * N + j) << 2);
    let c0 = start(o0, resume);
    let bk = b + (<usize>(k0 * N + j) << 2);
    let ka = <usize>k0 * stepA;
    for (let k = k0; k < k1; k++) {
      c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(a0 + ka)), v128.load(bk)));
      bk += rowB;
      ka += stepA;
    }
    finish(o0, c0, add);
  }
  for (; j < N; j++) column(a0, stepA, b, o, i, j, k0, k1, N, resume, add);
}

// One output (row i, column j) over k in [k0, k1), scalar, in the same order.
function column(ai: usize, stepA: usize, b: usize, o: usize, i: i32, j: i32, k0: i32, k1: i32, N: i32, resume: bool, add: bool): void {
  const p = o + (<usize>(i * N + j) << 2);
  let s: f32 = resume ? load<f32>(p) : 0;
  let ka = <usize>k0 * stepA;
  for (let k = k0; k < k1; k++) {
    s += load<f32>(ai + ka) * load<f32>(b + (<usize>(k * N + j) << 2));
    ka += stepA;
  }
  store<f32>(p, add ? load<f32>(p) + s : <f32>0 + s);
}
