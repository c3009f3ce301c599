// Layer norm over the last axis on wasm, forward and gradient, bit-identical to the tfjs op chain the
// model runs on wasm (kernels/fusedOps.ts layerNormUnfused: tf.moments, then (x − mean)/√(var + ε)·g + b)
// and to tfjs's autodiff of it. Row sums run in element order, as tfjs-wasm's Mean and Sum do; the
// elementwise steps run 4 lanes at a time, each lane repeating the scalar f32 sequence. ~40 tfjs kernels
// per layer norm forward + gradient become 2 of ours plus the two parameter-gradient Sums.

// acc + v's lanes, one at a time in lane order: a sequential sum, 4 elements further.
// @ts-ignore: decorator
@inline function addLanes(acc: f32, v: v128): f32 {
  return (((acc + f32x4.extract_lane(v, 0)) + f32x4.extract_lane(v, 1)) + f32x4.extract_lane(v, 2)) + f32x4.extract_lane(v, 3);
}

// The row's mean and r = √(var + ε), as tf.moments and the chain compute them (C a multiple of 4 or not).
// @ts-ignore: decorator
@inline function rowStats(x: usize, C: i32, eps: f32, out: usize): void {
  let s: f32 = 0;
  let j: i32 = 0;
  for (; j + 4 <= C; j += 4) s = addLanes(s, v128.load(x + (<usize>j << 2)));
  for (; j < C; j++) s += load<f32>(x + (<usize>j << 2));
  const mean: f32 = s / <f32>C;
  const vm = f32x4.splat(mean);
  let s2: f32 = 0;
  j = 0;
  for (; j + 4 <= C; j += 4) {
    const d = f32x4.sub(v128.load(x + (<usize>j << 2)), vm);
    s2 = addLanes(s2, f32x4.mul(d, d));
  }
  for (; j < C; j++) {
    const d: f32 = load<f32>(x + (<usize>j << 2)) - mean;
    s2 += d * d;
  }
  store<f32>(out, mean);
  store<f32>(out, Mathf.sqrt(s2 / <f32>C + eps), 4);
}

/** y = (x − mean)/r·g + b for x [rows, C], g and b [C]. `stats` is 8 bytes of scratch. */
export function lnForward(x: usize, g: usize, b: usize, y: usize, stats: usize, rows: i32, C: i32, eps: f32): void {
  for (let i: i32 = 0; i < rows; i++) {
    const xr = x + (<usize>(i * C) << 2), yr = y + (<usize>(i * C) << 2);
    rowStats(xr, C, eps, stats);
    const mean = load<f32>(stats), r = load<f32>(stats, 4);
    const vm = f32x4.splat(mean), vr = f32x4.splat(r);
    let j: i32 = 0;
    for (; j + 4 <= C; j += 4) {
      const o = <usize>j << 2;
      const q = f32x4.div(f32x4.sub(v128.load(xr + o), vm), vr);
      v128.store(yr + o, f32x4.add(f32x4.mul(q, v128.load(g + o)), v128.load(b + o)));
    }
    for (; j < C; j++) {
      const o = <usize>j << 2;
      store<f32>(yr + o, ((load<f32>(xr + o) - mean) / r) * load<f32>(g + o) + load<f32>(b + o));
    }
  }
}

/** dx (and q = (x − mean)/r, for g's gradient) from dy, x and g, summed into x's gradient in the order
 *  tfjs's autodiff adds it: the skip path's dskip first (if any), then (x − mean)'s du, then the variance
 *  path's dd1, then the mean's share. `scratch` holds 2·C floats. */
export function lnBackward(dy: usize, dskip: usize, x: usize, g: usize, dx: usize, qOut: usize, scratch: usize, rows: i32, C: i32, eps: f32, hasSkip: i32): void {
  const Cf: f32 = <f32>C;
  const duRow = scratch, uRow = scratch + (<usize>C << 2);
  for (let i: i32 = 0; i < rows; i++) {
    const off = <usize>(i * C) << 2;
    rowStats(x + off, C, eps, duRow); // mean, r (overwritten below)
    const mean = load<f32>(duRow), r = load<f32>(duRow, 4);
    // du = dy·g/r; Σ(dy·g·u) and Σ du, in element order
    let su: f32 = 0, sdu: f32 = 0;
    const vm = f32x4.splat(mean), vr = f32x4.splat(r);
    let j0: i32 = 0;
    for (; j0 + 4 <= C; j0 += 4) {
      const o = <usize>j0 << 2;
      const u = f32x4.sub(v128.load(x + off + o), vm);
      const dq = f32x4.mul(v128.load(dy + off + o), v128.load(g + o));
      const du = f32x4.div(dq, vr);
      v128.store(uRow + o, u);
      v128.store(duRow + o, du);
      v128.store(qOut + off + o, f32x4.div(u, vr));
      su = addLanes(su, f32x4.mul(dq, u));
      sdu = addLanes(sdu, du);
    }
    for (let j: i32 = j0; j < C; j++) {
      const o = <usize>j << 2;
      const u: f32 = load<f32>(x + off + o) - mean;
      const dq: f32 = load<f32>(dy + off + o) * load<f32>(g + o);
      const du: f32 = dq / r;
      store<f32>(uRow + o, u);
      store<f32>(duRow + o, du);
      store<f32>(qOut + off + o, u / r);
      su += dq * u;
      sdu += du;
    }
    const dr: f32 = -(su / (r * r)); // RealDiv's gradient for the divisor
    const dsq: f32 = (dr / (r * <f32>2)) / Cf; // through √ and the variance's Mean
    // dd1 = dsq·(u·2), and its sum, in element order; x's gradient as the tape adds it
    let sdd: f32 = 0;
    const vdsq0 = f32x4.splat(dsq), two0 = f32x4.splat(2);
    let j1: i32 = 0;
    for (; j1 + 4 <= C; j1 += 4) sdd = addLanes(sdd, f32x4.mul(vdsq0, f32x4.mul(v128.load(uRow + (<usize>j1 << 2)), two0)));
    for (let j: i32 = j1; j < C; j++) sdd += dsq * (load<f32>(uRow + (<usize>j << 2)) * <f32>2);
    const dm: f32 = (-sdu + -sdd) / Cf; // the mean's gradient through the first Mean
    const vdsq = f32x4.splat(dsq), vdm = f32x4.splat(dm), two = f32x4.splat(2);
    let j: i32 = 0;
    for (; j + 4 <= C; j += 4) {
      const o = <usize>j << 2;
      const dd1 = f32x4.mul(vdsq, f32x4.mul(v128.load(uRow + o), two));
      const du = v128.load(duRow + o);
      const first = hasSkip ? f32x4.add(v128.load(dskip + off + o), du) : du;
      v128.store(dx + off + o, f32x4.add(f32x4.add(first, dd1), vdm));
    }
    for (; j < C; j++) {
      const o = <usize>j << 2;
      const dd1: f32 = dsq * (load<f32>(uRow + o) * <f32>2);
      const du = load<f32>(duRow + o);
      const first: f32 = hasSkip ? load<f32>(dskip + off + o) + du : du;
      store<f32>(dx + off + o, (first + dd1) + dm);
    }
  }
}
