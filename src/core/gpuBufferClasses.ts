// tfjs-webgpu pools freed GPU buffers by exact byte size, and reuses a buffer only for a tensor of that
// very size. A training step's shapes change with its batch (the longest sequence, how many groups RePO
// rephrases), so nearly every step brings sizes the pool has not seen: on a default RePO step the pool
// grew by ~250 MB per step while 2.6 MB were in use (380 → 602 → 849 → 1,138 MB over four steps,
// SwiftShader, docs/speed.md), until a real GPU runs out of memory and the device is lost.
//
// The cure is the allocator's classic one: size classes. A storage buffer is allocated at the next of
// eight classes per power of two (at most 12.5 % larger than asked), so a tensor one token longer
// reuses the buffer of the one before. Nothing reads past a tensor's own size (no shader uses
// arrayLength; the sizes are uniforms), except tfjs's readback, which copies a whole buffer: `read` and
// `readSync` are trimmed back to the tensor's size here. Results are bit-identical with and without
// (gpuBufferClasses.test.ts).
//
// Classes alone do not stop the growth (consecutive steps span several classes), so the free buffers are
// also bounded: at most the most bytes tensors have held at once (at least 64 MB), least recently freed
// destroyed first. This reaches into tfjs-webgpu 4.22's BufferManager; where its shape differs, nothing
// is installed and tfjs's own pool runs.
import * as tf from '@tensorflow/tfjs';

/** The class of a byte size: eight classes per power of two, 16-byte granules below 128 bytes. */
export function sizeClass(bytes: number): number {
  if (bytes <= 128) return Math.max(16, Math.ceil(bytes / 16) * 16);
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 3); // an eighth of the power of two at or below
  return Math.ceil(bytes / step) * step;
}

const STORAGE = 0x80; // GPUBufferUsage.STORAGE: tensors' buffers (uniforms and staging keep exact sizes)

interface GpuBufferLike {
  size: number;
  usage: number;
  destroy(): void;
}
interface BufferManagerLike {
  acquireBuffer(size: number, usage: number, mappedAtCreation?: boolean, reuse?: boolean): GpuBufferLike;
  releaseBuffer(buffer: GpuBufferLike, reuse?: boolean): void;
  numBytesAllocated: number;
  numBytesUsed: number;
  numFreeBuffers: number;
  freeBuffers: Map<string, GpuBufferLike[]>;
}
interface TensorDataLike {
  shape: number[];
  dtype: tf.DataType;
  values: ArrayLike<number> | null;
}
interface WebGPUBackendLike {
  bufferManager: BufferManagerLike;
  tensorMap: { get(id: tf.DataId): TensorDataLike | undefined };
  device: { limits: { maxStorageBufferBindingSize: number } };
  read(id: tf.DataId): Promise<tf.backend_util.BackendValues>;
  readSync(id: tf.DataId): tf.backend_util.BackendValues;
}

const installed = new WeakSet<object>();
let classes = true; // off only in tests, to compare against tfjs's exact sizes
let floorBytes = 64 << 20; // the free pool may always hold this much

let dropFree = () => {};

/** Gives the GPU back every free buffer of the pool (between runs; the next step allocates afresh). */
export function dropFreeBuffers(): void {
  dropFree();
}

/** What the pool did: created buffers, destroyed (evicted) ones, the most bytes tensors held at once. */
export const poolCounters = { created: 0, evicted: 0, peakUsedBytes: 0 };

/**
 * Gives the current webgpu backend's buffer pool size classes and a bound (installed once per backend;
 * elsewhere a no-op). Tests only: `on = false` turns the classes off for new buffers, `floor` lowers
 * the free bytes the pool may always keep.
 */
export function useBufferClasses(on = true, floor = 64 << 20): boolean {
  classes = on;
  floorBytes = floor;
  if (tf.getBackend() !== 'webgpu') return false;
  const b = tf.backend() as unknown as WebGPUBackendLike;
  if (installed.has(b)) return true;
  const pool = b.bufferManager;
  if (typeof pool?.acquireBuffer !== 'function' || typeof pool.releaseBuffer !== 'function' || !(pool.freeBuffers instanceof Map)) return false;
  installed.add(b);
  const limit = b.device.limits.maxStorageBufferBindingSize;
  const acquire = pool.acquireBuffer.bind(pool);
  const release = pool.releaseBuffer.bind(pool);
  // Free buffers oldest first (a Map keeps insertion order), each with its pool key and size (a
  // GPUBuffer's own getters are native calls under Dawn in Node), and their bytes.
  const idle = new Map<GpuBufferLike, { key: string; size: number }>();
  let idleBytes = 0;
  pool.acquireBuffer = (size, usage, mappedAtCreation, reuse) => {
    const cls = classes && usage & STORAGE ? sizeClass(size) : size;
    const allocated = pool.numBytesAllocated;
    const buffer = acquire(cls <= limit ? cls : size, usage, mappedAtCreation, reuse);
    const was = idle.get(buffer);
    if (was) {
      idle.delete(buffer);
      idleBytes -= was.size;
    }
    if (pool.numBytesAllocated > allocated) poolCounters.created++;
    poolCounters.peakUsedBytes = Math.max(poolCounters.peakUsedBytes, pool.numBytesUsed);
    return buffer;
  };
  // The bound: free buffers never hold more than the most bytes tensors have held at once (at least
  // 64 MB), so the pool stays within twice the working set; the least recently freed go first. A
  // destroyed buffer that submitted work still uses is freed by WebGPU once that work is done.
  pool.releaseBuffer = (buffer, reuse = true) => {
    release(buffer, reuse);
    const size = buffer.size;
    const key = `${size}_${buffer.usage}`; // tfjs's getBufferKey
    const list = pool.freeBuffers.get(key);
    if (!reuse || list?.[list.length - 1] !== buffer) return; // kept: tfjs pushed it last (reuse=false destroyed it; a disposed pool keeps none)
    idle.set(buffer, { key, size });
    idleBytes += size;
    evictTo(Math.max(floorBytes, poolCounters.peakUsedBytes));
  };
  const evictTo = (budget: number) => {
    for (const [old, f] of idle) {
      if (idleBytes <= budget) break;
      idle.delete(old);
      idleBytes -= f.size;
      const list = pool.freeBuffers.get(f.key);
      const at = list ? list.indexOf(old) : -1;
      if (at < 0) continue; // tfjs emptied its pool (its dispose): nothing of ours to free
      list!.splice(at, 1);
      pool.numFreeBuffers--;
      pool.numBytesAllocated -= f.size;
      old.destroy();
      poolCounters.evicted++;
    }
  };
  dropFree = () => evictTo(0);
  // A readback copies the whole buffer; the tensor is its first size × 4 bytes (every dtype on webgpu).
  const trim = (id: tf.DataId, values: tf.backend_util.BackendValues) => {
    const d = b.tensorMap.get(id);
    if (!d || d.dtype === 'string' || d.dtype === 'complex64') return values;
    const n = tf.util.sizeFromShape(d.shape);
    if ((values as ArrayLike<number>).length <= n) return values;
    const exact = (values as Float32Array | Int32Array | Uint8Array).slice(0, n);
    d.values = exact; // tfjs caches the read on the CPU: cache the trimmed copy
    return exact;
  };
  const read = b.read.bind(b);
  const readSync = b.readSync.bind(b);
  b.read = async (id) => trim(id, await read(id));
  b.readSync = (id) => trim(id, readSync(id));
  return true;
}
