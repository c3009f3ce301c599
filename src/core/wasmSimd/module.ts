// Our WebAssembly module (asm/*.ts, SIMD), instantiated on tfjs-backend-wasm's own memory so its kernels
// read and write the tensors where they lie, with no copies.
import * as tf from '@tensorflow/tfjs';
import { WASM_SIMD_BASE64 } from './binary';

/** The parts of tfjs-backend-wasm's BackendWasm our kernels use. */
export interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  wasm: { asm: { memory: WebAssembly.Memory }; _malloc(bytes: number): number; _free(ptr: number): void };
  incRef(dataId: object): void;
}

/** The heap address of a tensor's data. */
export const heapOffset = (be: WasmBackend, t: tf.TensorInfo): number => be.dataIdMap.get(t.dataId).memoryOffset;

/** The same buffer under a new tensor (what Reshape does on wasm): x's data gains a reference. */
export function shareBuffer(x: tf.TensorInfo, backend: unknown): tf.TensorInfo {
  (backend as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

interface Exports {
  bmm(a: number, b: number, out: number, scratch: number, batch: number, M: number, K: number, N: number, transA: number, transB: number, tfjsBlocks: number, bStride: number): void;
  bmmRows(a: number, b: number, out: number, scratch: number, runs: number, nRuns: number, M: number, K: number, N: number, transA: number, transB: number): void;
  geluForward(x: number, b: number, h: number, inner: number, rows: number, cols: number, A: number, C2: number): void;
  geluBackward(dy: number, h: number, s: number, dh: number, n: number, A: number, C2: number): void;
  adamStep(grad: number, m: number, v: number, w: number, om1: number, om2: number, mOut: number, vOut: number, wOut: number, n: number, scale: number, useScale: number, b1: number, c1: number, b2: number, c2: number, eps: number, negLr: number): void;
  qkvForward(qkv: number, cos: number, sin: number, q: number, k: number, v: number, N: number, S: number, H: number, dh: number): void;
  qkvBackward(dq: number, dk: number, dv: number, cos: number, sin: number, dqkv: number, tmp: number, N: number, S: number, H: number, dh: number): void;
  scaleBias(scores: number, bias: number, z: number, N: number, H: number, ST: number, scale: number): void;
  softmaxGrad(dy: number, y: number, out: number, tmp: number, rows: number, T: number, scale: number): void;
  colSum(x: number, out: number, rows: number, cols: number): void;
  copyRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, bytes: number): void;
  lnForward(x: number, g: number, b: number, y: number, stats: number, rows: number, C: number, eps: number): void;
  lnBackward(dy: number, dskip: number, x: number, g: number, dx: number, q: number, scratch: number, rows: number, C: number, eps: number, hasSkip: number): void;
}

const bytes = () => Uint8Array.from(atob(WASM_SIMD_BASE64), (c) => c.charCodeAt(0));
const imports = (be: WasmBackend) => ({ env: { memory: be.wasm.asm.memory } });

export class SimdModule {
  readonly fn: Exports;
  private scratch = 0;
  private scratchBytes = 0;
  private intPtr = 0;
  private intBytes = 0;
  constructor(
    readonly be: WasmBackend,
    instance: WebAssembly.Instance,
  ) {
    this.fn = instance.exports as unknown as Exports;
  }
  /** The heap address of a tensor's data. */
  ptr(t: tf.TensorInfo): number {
    return heapOffset(this.be, t);
  }
  /** Heap room for `bytes`, reused across calls (malloc may grow the memory; our module sees it). */
  scratchFor(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratch) this.be.wasm._free(this.scratch);
      this.scratchBytes = Math.max(bytes, 2 * this.scratchBytes);
      this.scratch = this.be.wasm._malloc(this.scratchBytes);
    }
    return this.scratch;
  }
  /** `values` as int32 in heap room of their own (not scratchFor's), reused across calls. */
  ints(values: ArrayLike<number>): number {
    if (4 * values.length > this.intBytes) {
      if (this.intPtr) this.be.wasm._free(this.intPtr);
      this.intBytes = Math.max(4 * values.length, 2 * this.intBytes, 64);
      this.intPtr = this.be.wasm._malloc(this.intBytes);
    }
    new Int32Array(this.be.wasm.asm.memory.buffer, this.intPtr, values.length).set(values);
    return this.intPtr;
  }
}

const modules = new WeakMap<object, SimdModule | null>(); // per backend instance (each has its own memory)

/** Instantiates our module for the current wasm backend, asynchronously: Chromium refuses a synchronous
 *  compile of a module over 4 KB on the main thread. useBackend('wasm') calls it. */
export async function prepareWasmSimd(): Promise<void> {
  const backend = tf.backend();
  if (tf.getBackend() !== 'wasm' || modules.get(backend)) return;
  try {
    const be = backend as unknown as WasmBackend;
    const { instance } = await WebAssembly.instantiate(bytes(), imports(be));
    modules.set(backend, new SimdModule(be, instance));
  } catch {
    modules.set(backend, null); // e.g. no wasm SIMD, or a shared (threaded) memory: tfjs's kernels run
  }
}

/** The module for this wasm backend, or null where it cannot run or was not prepared (then tfjs's own
 *  kernels and the unfused ops run). */
export function moduleFor(backend: object): SimdModule | null {
  return modules.get(backend) ?? null;
}

/** Calls into our module, counted by kernel (tests check that ours ran, not only that values agree). */
export const simdStats: Record<string, number> = {};
export const countSimd = (kernel: string) => (simdStats[kernel] = (simdStats[kernel] ?? 0) + 1);

/** The module for a kernel of our own (one with no tfjs fallback), counted; throws where it cannot run
 *  (callers only reach these kernels where wasmSimdActive() held). */
export function simdFor(backend: object, kernel: string): SimdModule {
  const mod = moduleFor(backend);
  if (!mod) throw new Error(`${kernel}: no wasm SIMD module`);
  countSimd(kernel);
  return mod;
}

/** Whether the current backend is wasm with our module loaded (and our kernels registered). */
export function wasmSimdActive(): boolean {
  return tf.getBackend() === 'wasm' && tfjsKernels.has('BatchMatMul') && moduleFor(tf.backend()) !== null;
}

/** tfjs-wasm's own configs of the kernels we replace, kept for the tests that compare against them. */
export const tfjsKernels = new Map<string, tf.KernelConfig>();

/** Registers kernelFunc over tfjs-wasm's kernel `name`; `make` gets tfjs's own to fall back on. */
export function overrideWasmKernel(name: string, make: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const original = tfjsKernels.get(name) ?? tf.getKernel(name, 'wasm');
  if (!original) return;
  tfjsKernels.set(name, original);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: make(original.kernelFunc) }); // setupFunc stays: tfjs's fallback needs it
}
