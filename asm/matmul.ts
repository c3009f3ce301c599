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
// We vectorise across output columns j, 4 rows × 8 columns per tile. Ragged edges are not done
// column by column: a last tile is laid over the final 4 rows or 4 columns (overlapping ones already
// done) and only its new rows or lanes are stored; each output is still computed once, in the same
// sequence of operations, so the values do not change. (Attention's 38 × 38 products spent about half
// their time in the scalar edge before.)
//
// Memory rule: no strings, no static data, no allocation. A data segment would be written over
// tfjs's heap at instantiation (asm/build.mjs fails the build if the binary has one).

const TFJS_BLOCK: i32 = 48; // tfjs-wasm's kBlockSize
const CACHE_BLOCK: i32 = 256; // rows of b per pass in XNNPACK order: 256 × N floats stay in L2

/** out[p] = op(a[p]) · op(b[p]) for p < batch.
 *  a: [batch, M, K], or [batch, K, M] with transA; b: [batch, K, N], or [batch, N, K] with transB
 *  (copied to `scratch`, K·N floats, as [K, N]), its batches bStride floats apart (K·N, or more when b is
 *  the front of a longer buffer: the KV cache); out: [batch, M, N]. */
export function bmm(a: usize, b: usize, out: usize, scratch: usize, batch: i32, M: i32, K: i32, N: i32, transA: i32, transB: i32, tfjsBlocks: i32, bStride: i32): void {
  const aI: i32 = transA ? 1 : K; // element strides of a along i and k
  const aK: i32 = transA ? M : 1;
  const kb = tfjsBlocks ? TFJS_BLOCK : CACHE_BLOCK;
  for (let p: i32 = 0; p < batch; p++) {
    const ap = a + (<usize>(p * M * K) << 2);
    let bp = b + (<usize>(p * bStride) << 2);
    if (transB) { transpose(bp, scratch, N, K); bp = scratch; } // [N, K] → [K, N]
    const op = out + (<usize>(p * M * N) << 2);
    if (K == 0) { memory.fill(op, 0, <usize>(M * N) << 2); continue; } // both: a zero-filled output
    for (let k0: i32 = 0; k0 < K; k0 += kb) {
      const k1 = min(k0 + kb, K);
      // resume: XNNPACK order continues the running sum stored in out; tfjs order adds a fresh block sum
      const resume: bool = tfjsBlocks == 0 && k0 > 0;
      const add: bool = tfjsBlocks != 0 && k0 > 0;
      let i: i32 = 0;
      for (; i + 4 <= M; i += 4) rows4(ap, aI, aK, bp, op, i, 0, k0, k1, N, resume, add);
      if (i < M && M >= 4) rows4(ap, aI, aK, bp, op, M - 4, 4 - (M - i), k0, k1, N, resume, add); // last rows only
      else for (; i < M; i++) rows1(ap, aI, aK, bp, op, i, k0, k1, N, resume, add);
    }
  }
}

/** bmm for one product (XNNPACK's order) over the row runs [runs[2r], runs[2r+1]) only: the real tokens
 *  of a padded batch. Without transA the runs are rows of a and out, and out's other rows are +0 (what a
 *  zero row of dy gives: the gradients of padding rows are all ±0). With transA they are a's and b's rows,
 *  the k of the sum: terms outside them are ±0 products, which leave a running sum unchanged (it is never
 *  −0), so out is bit for bit the full product's. */
export function bmmRows(a: usize, b: usize, out: usize, scratch: usize, runs: usize, nRuns: i32, M: i32, K: i32, N: i32, transA: i32, transB: i32): void {
  let bp = b;
  if (transB) { transpose(b, scratch, N, K); bp = scratch; }
  const aI: i32 = transA ? 1 : K;
  const aK: i32 = transA ? M : 1;
  if (transA) {
    let first = true;
    for (let r: i32 = 0; r < nRuns; r++) {
      const r1 = load<i32>(runs + (<usize>(2 * r + 1) << 2));
      for (let k0 = load<i32>(runs + (<usize>(2 * r) << 2)); k0 < r1; k0 += CACHE_BLOCK) {
        const k1 = min(k0 + CACHE_BLOCK, r1);
        let i: i32 = 0;
        for (; i + 4 <= M; i += 4) rows4(a, aI, aK, bp, out, i, 0, k0, k1, N, !first, false);
        if (i < M && M >= 4) rows4(a, aI, aK, bp, out, M - 4, 4 - (M - i), k0, k1, N, !first, false);
        else for (; i < M; i++) rows1(a, aI, aK, bp, out, i, k0, k1, N, !first, false);
        first = false;
      }
    }
    if (first) memory.fill(out, 0, <usize>(M * N) << 2); // no rows: the sum of nothing
    return;
  }
  let done: i32 = 0; // rows of out written so far
  for (let r: i32 = 0; r < nRuns; r++) {
    const r0 = load<i32>(runs + (<usize>(2 * r) << 2)), r1 = load<i32>(runs + (<usize>(2 * r + 1) << 2));
    memory.fill(out + (<usize>(done * N) << 2), 0, <usize>((r0 - done) * N) << 2);
    for (let k0: i32 = 0; k0 < K; k0 += CACHE_BLOCK) {
      const k1 = min(k0 + CACHE_BLOCK, K);
      let i = r0;
      for (; i + 4 <= r1; i += 4) rows4(a, aI, aK, bp, out, i, 0, k0, k1, N, k0 > 0, false);
      if (i < r1 && r1 - r0 >= 4) rows4(a, aI, aK, bp, out, r1 - 4, 4 - (r1 - i), k0, k1, N, k0 > 0, false);
      else for (; i < r1; i++) rows1(a, aI, aK, bp, out, i, k0, k1, N, k0 > 0, false);
    }
    done = r1;
  }
  memory.fill(out + (<usize>(done * N) << 2), 0, <usize>((M - done) * N) << 2);
}

/** dst[c, r] = src[r, c] for src [rows, cols], in 4 × 4 blocks turned in registers. */
function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  const sRow = <usize>cols << 2, dRow = <usize>rows << 2;
  let r: i32 = 0;
  for (; r + 4 <= rows; r += 4) {
    const s0 = src + (<usize>(r * cols) << 2);
    let c: i32 = 0;
    for (; c + 4 <= cols; c += 4) {
      const s = s0 + (<usize>c << 2);
      const v0 = v128.load(s), v1 = v128.load(s + sRow), v2 = v128.load(s + 2 * sRow), v3 = v128.load(s + 3 * sRow);
      const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
      const d = dst + (<usize>(c * rows + r) << 2);
      v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(d + dRow, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      v128.store(d + 2 * dRow, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      v128.store(d + 3 * dRow, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
    for (; c < cols; c++) for (let q: i32 = r; q < r + 4; q++) store<f32>(dst + (<usize>(c * rows + q) << 2), load<f32>(src + (<usize>(q * cols + c) << 2)));
  }
  for (; r < rows; r++) for (let c: i32 = 0; c < cols; c++) store<f32>(dst + (<usize>(c * rows + r) << 2), load<f32>(src + (<usize>(r * cols + c) << 2)));
}

// The accumulator a tile starts from, and how it lands in out.
// @ts-ignore: decorator
@inline function start(p: usize, resume: bool): v128 {
  return resume ? v128.load(p) : f32x4.splat(0);
}
/** Stores lanes from..3 of the tile's result (from = 0: all four; 4: none, a row already done). */
// @ts-ignore: decorator
@inline function finish(p: usize, c: v128, add: bool, from: i32): void {
  const v = add ? f32x4.add(v128.load(p), c) : f32x4.add(f32x4.splat(0), c); // 0 + c: as tfjs's `0 + sum` (−0 → +0)
  if (from == 0) v128.store(p, v);
  else if (from < 4) {
    if (from <= 1) v128.store32_lane(p, v, 1, 4);
    if (from <= 2) v128.store32_lane(p, v, 2, 8);
    v128.store32_lane(p, v, 3, 12);
  }
}

// Rows i..i+3 over k in [k0, k1), storing rows i + skip.. only: 8-column tiles (8 accumulators), then
// 4 columns, then the last 4 columns laid over the ragged edge (or single columns where N < 4).
function rows4(a: usize, aI: i32, aK: i32, b: usize, o: usize, i: i32, skip: i32, k0: i32, k1: i32, N: i32, resume: bool, add: bool): void {
  const a0 = a + (<usize>(i * aI) << 2);
  const rowA = <usize>aI << 2;
  const stepA = <usize>aK << 2;
  const a1 = a0 + rowA, a2 = a1 + rowA, a3 = a2 + rowA;
  const rowB = <usize>N << 2;
  const f0 = skip > 0 ? 4 : 0, f1 = skip > 1 ? 4 : 0, f2 = skip > 2 ? 4 : 0; // row 3 is always stored
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
      const x0 = v128.load32_splat(a0 + ka), x1 = v128.load32_splat(a1 + ka);
      const x2 = v128.load32_splat(a2 + ka), x3 = v128.load32_splat(a3 + ka);
      c00 = f32x4.add(c00, f32x4.mul(x0, b0)); c01 = f32x4.add(c01, f32x4.mul(x0, b1));
      c10 = f32x4.add(c10, f32x4.mul(x1, b0)); c11 = f32x4.add(c11, f32x4.mul(x1, b1));
      c20 = f32x4.add(c20, f32x4.mul(x2, b0)); c21 = f32x4.add(c21, f32x4.mul(x2, b1));
      c30 = f32x4.add(c30, f32x4.mul(x3, b0)); c31 = f32x4.add(c31, f32x4.mul(x3, b1));
      bk += rowB;
      ka += stepA;
    }
    finish(o0, c00, add, f0); finish(o0 + 16, c01, add, f0); finish(o1, c10, add, f1); finish(o1 + 16, c11, add, f1);
    finish(o2, c20, add, f2); finish(o2 + 16, c21, add, f2); finish(o3, c30, add, 0); finish(o3 + 16, c31, add, 0);
  }
  for (; j + 4 <= N; j += 4) tile4(a0, a1, a2, a3, stepA, b, o, i, j, k0, k1, N, resume, add, f0, f1, f2, 0);
  if (j < N && N >= 4) {
    const from = 4 - (N - j); // lanes already done
    tile4(a0, a1, a2, a3, stepA, b, o, i, N - 4, k0, k1, N, resume, add, max(f0, from), max(f1, from), max(f2, from), from);
  } else {
    for (; j < N; j++) {
      if (!f0) column(a0, stepA, b, o, i, j, k0, k1, N, resume, add);
      if (!f1) column(a1, stepA, b, o, i + 1, j, k0, k1, N, resume, add);
      if (!f2) column(a2, stepA, b, o, i + 2, j, k0, k1, N, resume, add);
      column(a3, stepA, b, o, i + 3, j, k0, k1, N, resume, add);
    }
  }
}

// Rows i..i+3, columns j..j+3; each row's lanes from f_r on are stored.
// @ts-ignore: decorator
@inline function tile4(a0: usize, a1: usize, a2: usize, a3: usize, stepA: usize, b: usize, o: usize, i: i32, j: i32, k0: i32, k1: i32, N: i32, resume: bool, add: bool, f0: i32, f1: i32, f2: i32, f3: i32): void {
  const rowB = <usize>N << 2;
  const o0 = o + (<usize>(i * N + j) << 2), o1 = o0 + rowB, o2 = o1 + rowB, o3 = o2 + rowB;
  let c0 = start(o0, resume), c1 = start(o1, resume), c2 = start(o2, resume), c3 = start(o3, resume);
  let bk = b + (<usize>(k0 * N + j) << 2);
  let ka = <usize>k0 * stepA;
  for (let k = k0; k < k1; k++) {
    const b0 = v128.load(bk);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a0 + ka), b0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a1 + ka), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(a2 + ka), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(a3 + ka), b0));
    bk += rowB;
    ka += stepA;
  }
  finish(o0, c0, add, f0); finish(o1, c1, add, f1); finish(o2, c2, add, f2); finish(o3, c3, add, f3);
}

// The single row i over k in [k0, k1) (M < 4 only): 16 columns at a time (four independent sums, so
// the adds' latency overlaps), then 4, then the ragged edge as in rows4.
function rows1(a: usize, aI: i32, aK: i32, b: usize, o: usize, i: i32, k0: i32, k1: i32, N: i32, resume: bool, add: bool): void {
  const a0 = a + (<usize>(i * aI) << 2);
  const stepA = <usize>aK << 2;
  const rowB = <usize>N << 2;
  let j: i32 = 0;
  for (; j + 16 <= N; j += 16) {
    const o0 = o + (<usize>(i * N + j) << 2);
    let c0 = start(o0, resume), c1 = start(o0 + 16, resume), c2 = start(o0 + 32, resume), c3 = start(o0 + 48, resume);
    let bk = b + (<usize>(k0 * N + j) << 2);
    let ka = <usize>k0 * stepA;
    for (let k = k0; k < k1; k++) {
      const x = v128.load32_splat(a0 + ka);
      c0 = f32x4.add(c0, f32x4.mul(x, v128.load(bk)));
      c1 = f32x4.add(c1, f32x4.mul(x, v128.load(bk, 16)));
      c2 = f32x4.add(c2, f32x4.mul(x, v128.load(bk, 32)));
      c3 = f32x4.add(c3, f32x4.mul(x, v128.load(bk, 48)));
      bk += rowB;
      ka += stepA;
    }
    finish(o0, c0, add, 0); finish(o0 + 16, c1, add, 0); finish(o0 + 32, c2, add, 0); finish(o0 + 48, c3, add, 0);
  }
  for (; j + 4 <= N; j += 4) col4(a0, stepA, b, o, i, j, k0, k1, N, resume, add, 0);
  if (j < N && N >= 4) col4(a0, stepA, b, o, i, N - 4, k0, k1, N, resume, add, 4 - (N - j));
  else for (; j < N; j++) column(a0, stepA, b, o, i, j, k0, k1, N, resume, add);
}

// Row i, columns j..j+3, lanes from on stored.
// @ts-ignore: decorator
@inline function col4(a0: usize, stepA: usize, b: usize, o: usize, i: i32, j: i32, k0: i32, k1: i32, N: i32, resume: bool, add: bool, from: i32): void {
  const o0 = o + (<usize>(i * N + j) << 2);
  let c0 = start(o0, resume);
  let bk = b + (<usize>(k0 * N + j) << 2);
  let ka = <usize>k0 * stepA;
  for (let k = k0; k < k1; k++) {
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a0 + ka), v128.load(bk)));
    bk += <usize>N << 2;
    ka += stepA;
  }
  finish(o0, c0, add, from);
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
