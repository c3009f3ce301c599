// Strided row copies inside tfjs-wasm's heap (the in-place KV cache's writes): one call, not one per row.

/** Copies `rows` rows of `bytes` bytes from src (rows srcStride bytes apart) to dst (dstStride apart). */
export function copyRows(src: usize, srcStride: usize, dst: usize, dstStride: usize, rows: i32, bytes: usize): void {
  for (let r: i32 = 0; r < rows; r++) memory.copy(dst + <usize>r * dstStride, src + <usize>r * srcStride, bytes);
}
