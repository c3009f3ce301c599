// Faster wasm kernels registered over tfjs-backend-wasm 4.22's own, each computing the same values
// bit for bit (wasm training records stay hash-identical; the tests compare against tfjs's kernels).
//
// - Identity, and Cast to the dtype a tensor already has: wasm's copy the whole buffer; cpu's and
//   webgl's share it (incRef), as wasm's own Reshape does. While a gradient tape records, tfjs clones
//   every tensor a gradient saves, and Mul's gradient casts its float32 operands to float32, so a
//   default update pass made ~600 full copies (~9 % of its time). Tensors are immutable in tfjs (a
//   variable's assign swaps its buffer, it never writes into it), so sharing is safe.
// - BatchMatMul, every float32 product, through our WebAssembly SIMD module (asm/, wasmSimd/bmm.ts) in
//   the summation order tfjs-wasm would use (its scalar loop ran batched and transposed products: all of
//   attention); SimdMatMul, the model's gradients' transposed products without Transpose kernels; and
//   SimdMatMulRows, a padded batch's dense layers over its real rows only.
// - Slice, which read its whole input out of the heap first, and Concat, which made a view object per
//   input per row (wasmSimd/concat.ts); Sum over leading axes without tfjs-wasm's Transpose (wasmSimd/sum.ts).
// - bias + GELU's exact f32 arithmetic around tfjs's Sigmoid, forward and gradient (wasmSimd/gelu.ts),
//   layer norm, forward and gradient (wasmSimd/layerNorm.ts), the attention heads with RoPE
//   (wasmSimd/qkvHeads.ts), the scale, bias and softmax gradient around tfjs's Softmax
//   (wasmSimd/attention.ts), and FusedAdam's step (wasmSimd/adam.ts).
// - A KV cache written in place for decoding, read through our matmul (wasmSimd/kvCache.ts).
import * as tf from '@tensorflow/tfjs';
import { batchMatMul, simdMatMulConfig, simdMatMulRowsConfig } from './wasmSimd/bmm';
import { registerAdamKernel } from './wasmSimd/adam';
import { registerAttentionKernels } from './wasmSimd/attention';
import { registerGeluKernels } from './wasmSimd/gelu';
import { registerLayerNormKernels } from './wasmSimd/layerNorm';
import { registerQkvHeadsKernels } from './wasmSimd/qkvHeads';
import { registerKvCacheKernels } from './wasmSimd/kvCache';
import { overrideWasmKernel, shareBuffer } from './wasmSimd/module';
import { concat, slice } from './wasmSimd/concat';
import { sum } from './wasmSimd/sum';

let done = false;

/** Call once wasm is registered (after importing @tensorflow/tfjs-backend-wasm). */
export function registerFastWasmKernels(): void {
  if (done) return;
  done = true;
  overrideWasmKernel('Identity', () => ({ inputs, backend }) => shareBuffer(inputs.x as tf.TensorInfo, backend));
  overrideWasmKernel('Cast', (copyCast) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    return (args.attrs as { dtype: tf.DataType }).dtype === x.dtype ? shareBuffer(x, args.backend) : copyCast(args);
  });
  overrideWasmKernel('BatchMatMul', batchMatMul);
  overrideWasmKernel('Slice', slice);
  overrideWasmKernel('Concat', concat);
  overrideWasmKernel('Sum', sum);
  tf.registerKernel(simdMatMulConfig);
  tf.registerKernel(simdMatMulRowsConfig);
  registerGeluKernels();
  registerLayerNormKernels();
  registerAdamKernel();
  registerQkvHeadsKernels();
  registerAttentionKernels();
  registerKvCacheKernels();
}
