// Column sums on wasm: out[j] = Σ_r x[r, j], each in row order from 0.0, as tfjs-wasm's Sum computes
// them, but without the Transpose it runs first to bring the summed axes innermost. Rows stream through
// once; each lane adds its own column in row order, so the bits match.

/** out [cols] = column sums of x [rows, cols]. */
export function colSum(x: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  memory.fill(out, 0, rowBytes);
  for (let r: i32 = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    let j: i32 = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(xr + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(xr + o));
    }
  }
}
