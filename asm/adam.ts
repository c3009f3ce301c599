// One Adam step on wasm for one variable, bit-identical to tfjs 4.22's AdamOptimizer op for op (the
// clipping multiply first), as FusedAdam.tfjsStep runs it: 15 tfjs kernels per variable become 1.
//   g = grad·scale (skipped at scale 1);  m' = m·β1 + g·(1−β1);  v' = v·β2 + g²·(1−β2)
//   w' = (m'/(1−β1ᵗ)) / (√(v'/(1−β2ᵗ)) + ε) · (−lr) + w
// The scalars arrive as f32, as tfjs makes them; 1−βᵗ are read from their float32 tensors (om1, om2).

export function adamStep(grad: usize, m: usize, v: usize, w: usize, om1p: usize, om2p: usize, mOut: usize, vOut: usize, wOut: usize, n: i32,
  scale: f32, useScale: i32, b1: f32, c1: f32, b2: f32, c2: f32, eps: f32, negLr: f32): void {
  const om1 = load<f32>(om1p), om2 = load<f32>(om2p);
  const vs = f32x4.splat(scale), vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2);
  const vo1 = f32x4.splat(om1), vo2 = f32x4.splat(om2), ve = f32x4.splat(eps), vlr = f32x4.splat(negLr);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const g = useScale ? f32x4.mul(v128.load(grad + o), vs) : v128.load(grad + o);
    const m1 = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(g, vc1));
    const v1 = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(g, g), vc2));
    const step = f32x4.div(f32x4.div(m1, vo1), f32x4.add(f32x4.sqrt(f32x4.div(v1, vo2)), ve));
    v128.store(mOut + o, m1);
    v128.store(vOut + o, v1);
    v128.store(wOut + o, f32x4.add(f32x4.mul(step, vlr), v128.load(w + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const g: f32 = useScale ? load<f32>(grad + o) * scale : load<f32>(grad + o);
    const m1: f32 = load<f32>(m + o) * b1 + g * c1;
    const v1: f32 = load<f32>(v + o) * b2 + (g * g) * c2;
    store<f32>(mOut + o, m1);
    store<f32>(vOut + o, v1);
    store<f32>(wOut + o, ((m1 / om1) / (Mathf.sqrt(v1 / om2) + eps)) * negLr + load<f32>(w + o));
  }
}
