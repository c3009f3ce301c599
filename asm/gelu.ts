// bias + GELU on wasm in two SIMD passes, bit-identical to the tfjs op chain the model runs on wasm
// (kernels/fusedOps.ts biasGeluUnfused), forward and gradient:
//   h = x + b;  inner = (h + ((h·h)·h)·A)·C2;  y = h·σ(inner)
// σ stays tfjs-wasm's own Sigmoid (XNNPACK's approximation): only the exact f32 arithmetic around it is
// fused here. Each SIMD lane repeats the scalar op sequence, so the bits match. 16 tfjs kernels per
// GELU forward + gradient become 2 of ours plus Sigmoid, one Multiply and the bias gradient's Sum.

/** h = x + b (b broadcast over rows) and inner = (h + h·h·h·A)·C2, for x [rows, cols], b [cols]. */
export function geluForward(x: usize, b: usize, h: usize, inner: usize, rows: i32, cols: i32, A: f32, C2: f32): void {
  const vA = f32x4.splat(A), vC = f32x4.splat(C2);
  for (let r: i32 = 0; r < rows; r++) {
    const row = <usize>(r * cols) << 2;
    let j: i32 = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = row + (<usize>j << 2);
      const hv = f32x4.add(v128.load(x + o), v128.load(b + (<usize>j << 2)));
      const cube = f32x4.mul(f32x4.mul(hv, hv), hv);
      v128.store(h + o, hv);
      v128.store(inner + o, f32x4.mul(f32x4.add(hv, f32x4.mul(cube, vA)), vC));
    }
    for (; j < cols; j++) {
      const o = row + (<usize>j << 2);
      const hv: f32 = load<f32>(x + o) + load<f32>(b + (<usize>j << 2));
      store<f32>(h + o, hv);
      store<f32>(inner + o, (hv + ((hv * hv) * hv) * A) * C2);
    }
  }
}

/** dh, the gradient of y = h·σ(inner) w.r.t. h, given dy, h and s = σ(inner), in the order tfjs's
 *  autodiff takes it: the products of each Mul's gradient, σ's gradient dy·(s·(1 − s)), and the four
 *  contributions to dh summed as they arrive in reverse tape order (y, then h + u3, then u·h, then h·h twice). */
export function geluBackward(dy: usize, h: usize, s: usize, dh: usize, n: i32, A: f32, C2: f32): void {
  const vA = f32x4.splat(A), vC = f32x4.splat(C2), one = f32x4.splat(1);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = v128.load(dy + o), hv = v128.load(h + o), sv = v128.load(s + o);
    const dInner = f32x4.mul(f32x4.mul(d, hv), f32x4.mul(sv, f32x4.sub(one, sv)));
    const dt = f32x4.mul(dInner, vC);
    const du2 = f32x4.mul(dt, vA);
    const dh3 = f32x4.mul(du2, f32x4.mul(hv, hv));
    const dh2 = f32x4.mul(f32x4.mul(du2, hv), hv);
    v128.store(dh + o, f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.mul(d, sv), dt), dh3), dh2), dh2));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(dy + o), hv = load<f32>(h + o), sv = load<f32>(s + o);
    const dt: f32 = ((d * hv) * (sv * (<f32>1 - sv))) * C2;
    const du2: f32 = dt * A;
    const dh2: f32 = (du2 * hv) * hv;
    store<f32>(dh + o, ((((d * sv) + dt) + du2 * (hv * hv)) + dh2) + dh2);
  }
}
