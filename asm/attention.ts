// The arithmetic around attention's softmax on wasm, bit-identical to the tfjs ops the model runs there
// (model.ts: softmax(scores·scale + bias)) and to their autodiff; the softmax itself stays tfjs-wasm's.
//   forward:  z = scores·scale + bias            (bias [N, 1, S, T] over the H heads)
//   backward: dscores = (dy·y − (Σ_t dy·y)·y)·scale   (Softmax's gradient, sum in element order, then Mul's)

/** z [N, H, S, T] = scores·scale + bias[n, 0]. */
export function scaleBias(scores: usize, bias: usize, z: usize, N: i32, H: i32, ST: i32, scale: f32): void {
  const vs = f32x4.splat(scale);
  for (let n: i32 = 0; n < N; n++) {
    const b = bias + (<usize>(n * ST) << 2);
    for (let h: i32 = 0; h < H; h++) {
      const off = <usize>((n * H + h) * ST) << 2;
      let i: i32 = 0;
      for (; i + 4 <= ST; i += 4) {
        const o = <usize>i << 2;
        v128.store(z + off + o, f32x4.add(f32x4.mul(v128.load(scores + off + o), vs), v128.load(b + o)));
      }
      for (; i < ST; i++) {
        const o = <usize>i << 2;
        store<f32>(z + off + o, load<f32>(scores + off + o) * scale + load<f32>(b + o));
      }
    }
  }
}

/** dscores [rows, T] from dy and the softmax output y. `tmp` holds T floats. */
export function softmaxGrad(dy: usize, y: usize, out: usize, tmp: usize, rows: i32, T: i32, scale: f32): void {
  const vs = f32x4.splat(scale);
  for (let r: i32 = 0; r < rows; r++) {
    const off = <usize>(r * T) << 2;
    let s: f32 = 0;
    let t: i32 = 0;
    for (; t + 4 <= T; t += 4) {
      const o = <usize>t << 2;
      const p = f32x4.mul(v128.load(dy + off + o), v128.load(y + off + o));
      v128.store(tmp + o, p);
      s = (((s + f32x4.extract_lane(p, 0)) + f32x4.extract_lane(p, 1)) + f32x4.extract_lane(p, 2)) + f32x4.extract_lane(p, 3);
    }
    for (; t < T; t++) {
      const o = <usize>t << 2;
      const p: f32 = load<f32>(dy + off + o) * load<f32>(y + off + o);
      store<f32>(tmp + o, p);
      s += p;
    }
    const vsum = f32x4.splat(s);
    t = 0;
    for (; t + 4 <= T; t += 4) {
      const o = <usize>t << 2;
      v128.store(out + off + o, f32x4.mul(f32x4.sub(v128.load(tmp + o), f32x4.mul(vsum, v128.load(y + off + o))), vs));
    }
    for (; t < T; t++) {
      const o = <usize>t << 2;
      store<f32>(out + off + o, (load<f32>(tmp + o) - s * load<f32>(y + off + o)) * scale);
    }
  }
}
