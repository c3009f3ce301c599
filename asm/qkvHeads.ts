// The attention heads on wasm: q, k, v [N, H, S, dh] out of qkv [N·S, 3C], RoPE on q and k, and the
// gradient back, bit-identical to the tfjs ops the model runs on wasm (model.ts heads(), ropeUnfused,
// swapHalves) and to their autodiff. ~40 tfjs kernels per layer (slices, reshapes, transposes, rope's
// tables, multiplies and adds, the swap matmuls, and backward the pads and their sums) become 2.
//
// rope(x) = x·[cos, cos] + swap(x)·[−sin, sin], where swap(x) is x times a 0/1 matrix P that exchanges
// the two halves, run by XNNPACK as a running sum from 0.0 over every input: swap_j = Σ_i x_i·P_ij.
// That sum is x_src + 0 (−0 becomes +0) while the other inputs of the row are finite, and NaN once one
// of them is ±∞ or NaN (their product by 0 is NaN). `bad` counts the row's non-finite entries.

// @ts-ignore: decorator
@inline function nonFinite(v: f32): bool {
  return v - v != 0; // NaN for ±∞ and NaN
}

function countNonFinite(x: usize, dh: i32): i32 {
  let n: i32 = 0;
  for (let i: i32 = 0; i < dh; i++) if (nonFinite(load<f32>(x + (<usize>i << 2)))) n++;
  return n;
}

// @ts-ignore: decorator
@inline function swapped(x: usize, j: i32, dh: i32, bad: i32): f32 {
  const v = load<f32>(x + (<usize>((j + (dh >> 1)) % dh) << 2));
  return bad == 0 || (bad == 1 && nonFinite(v)) ? v + <f32>0 : NaN;
}

// The rope tables at position s, column j: [cos, cos] and [−sin, sin].
// @ts-ignore: decorator
@inline function cosAt(cos: usize, s: i32, j: i32, half: i32): f32 {
  return load<f32>(cos + (<usize>(s * half + (j < half ? j : j - half)) << 2));
}
// @ts-ignore: decorator
@inline function sinAt(sin: usize, s: i32, j: i32, half: i32): f32 {
  return j < half ? -load<f32>(sin + (<usize>(s * half + j) << 2)) : load<f32>(sin + (<usize>(s * half + j - half) << 2));
}

/** q, k (with rope) and v [N, H, S, dh] from qkv [N·S, 3C]; cos, sin [S, dh/2]. */
export function qkvForward(qkv: usize, cos: usize, sin: usize, q: usize, k: usize, v: usize, N: i32, S: i32, H: i32, dh: i32): void {
  const C = H * dh, half = dh >> 1;
  for (let n: i32 = 0; n < N; n++) for (let s: i32 = 0; s < S; s++) {
    const row = qkv + (<usize>((n * S + s) * 3 * C) << 2);
    for (let h: i32 = 0; h < H; h++) {
      const at = <usize>(((n * H + h) * S + s) * dh) << 2;
      const xq = row + (<usize>(h * dh) << 2), xk = xq + (<usize>C << 2), xv = xk + (<usize>C << 2);
      memory.copy(v + at, xv, <usize>dh << 2);
      const badQ = countNonFinite(xq, dh), badK = countNonFinite(xk, dh);
      if ((half & 3) == 0 && badQ == 0 && badK == 0) { // 4 lanes at a time: swap_j = x[(j + half) % dh] + 0
        ropeRow(xq, q + at, cos, sin, s, half);
        ropeRow(xk, k + at, cos, sin, s, half);
        continue;
      }
      for (let j: i32 = 0; j < dh; j++) {
        const c = cosAt(cos, s, j, half), sn = sinAt(sin, s, j, half), o = <usize>j << 2;
        store<f32>(q + at + o, load<f32>(xq + o) * c + swapped(xq, j, dh, badQ) * sn);
        store<f32>(k + at + o, load<f32>(xk + o) * c + swapped(xk, j, dh, badK) * sn);
      }
    }
  }
}

/** dqkv [N·S, 3C] from dq, dk, dv [N, H, S, dh], as the tape sums it: per head, rope's gradient
 *  swap(dy·[−sin, sin]) + dy·[cos, cos]; then the three slices' zero-padded gradients added, which
 *  turns −0 into +0 (x + 0). `tmp` holds dh floats. */
export function qkvBackward(dq: usize, dk: usize, dv: usize, cos: usize, sin: usize, dqkv: usize, tmp: usize, N: i32, S: i32, H: i32, dh: i32): void {
  const C = H * dh, half = dh >> 1;
  for (let n: i32 = 0; n < N; n++) for (let s: i32 = 0; s < S; s++) {
    const row = dqkv + (<usize>((n * S + s) * 3 * C) << 2);
    for (let h: i32 = 0; h < H; h++) {
      const at = <usize>(((n * H + h) * S + s) * dh) << 2;
      for (let which: i32 = 0; which < 3; which++) {
        const dy = (which == 0 ? dq : which == 1 ? dk : dv) + at;
        const out = row + (<usize>(which * C + h * dh) << 2);
        if (which == 2) {
          for (let j: i32 = 0; j < dh; j++) store<f32>(out + (<usize>j << 2), load<f32>(dy + (<usize>j << 2)) + <f32>0);
          continue;
        }
        for (let j: i32 = 0; j < dh; j++) store<f32>(tmp + (<usize>j << 2), load<f32>(dy + (<usize>j << 2)) * sinAt(sin, s, j, half));
        const bad = countNonFinite(tmp, dh);
        if ((half & 3) == 0 && bad == 0) {
          ropeGradRow(dy, tmp, out, cos, s, half);
          continue;
        }
        for (let j: i32 = 0; j < dh; j++) {
          const o = <usize>j << 2;
          store<f32>(out + o, (swapped(tmp, j, dh, bad) + load<f32>(dy + o) * cosAt(cos, s, j, half)) + <f32>0);
        }
      }
    }
  }
}

// One head row, 4 lanes at a time (half a multiple of 4, every entry finite): out = x·c + (x_swapped + 0)·sn,
// with c = [cos, cos] and sn = [−sin, sin] at position s; each lane does the scalar sequence above.
function ropeRow(x: usize, out: usize, cos: usize, sin: usize, s: i32, half: i32): void {
  const zero = f32x4.splat(0);
  const cs = cos + (<usize>(s * half) << 2), sn = sin + (<usize>(s * half) << 2);
  const hb = <usize>half << 2;
  for (let j: i32 = 0; j < half; j += 4) {
    const o = <usize>j << 2;
    const c = v128.load(cs + o), si = v128.load(sn + o);
    const lo = v128.load(x + o), hi = v128.load(x + hb + o);
    v128.store(out + o, f32x4.add(f32x4.mul(lo, c), f32x4.mul(f32x4.add(hi, zero), f32x4.neg(si))));
    v128.store(out + hb + o, f32x4.add(f32x4.mul(hi, c), f32x4.mul(f32x4.add(lo, zero), si)));
  }
}

// The gradient of one head row, 4 lanes at a time: out = ((t_swapped + 0) + dy·c) + 0, t = dy·sn given.
function ropeGradRow(dy: usize, t: usize, out: usize, cos: usize, s: i32, half: i32): void {
  const zero = f32x4.splat(0);
  const cs = cos + (<usize>(s * half) << 2);
  const hb = <usize>half << 2;
  for (let j: i32 = 0; j < half; j += 4) {
    const o = <usize>j << 2;
    const c = v128.load(cs + o);
    v128.store(out + o, f32x4.add(f32x4.add(f32x4.add(v128.load(t + hb + o), zero), f32x4.mul(v128.load(dy + o), c)), zero));
    v128.store(out + hb + o, f32x4.add(f32x4.add(f32x4.add(v128.load(t + o), zero), f32x4.mul(v128.load(dy + hb + o), c)), zero));
  }
}
