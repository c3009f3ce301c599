// Entry of e2e/numerics.html (a test page, not linked from the app): exposes window.numerics so the
// e2e spec can run one update per backend on the page and compare (docs/DESIGN.md §8.9).
import * as tf from '@tensorflow/tfjs';
import { checkedOnWebGPU, useBackend, watchWebGPUErrors, type BackendName } from '../core/backend';
import { registerWasmPaths } from '../worker/wasmPaths';
import { compareProbes, probeUpdate, type UpdateProbe } from './numerics';
import { simdStats, tfjsKernels } from '../core/wasmSimd/module';

registerWasmPaths(location.origin);

/** A raw AddN kernel over `n` tensors: more than 7 is the invalid pipeline of docs/DESIGN.md §8.9. */
async function rawAddN(n: number): Promise<number> {
  const xs = Array.from({ length: n }, (_, i) => tf.fill([64], i + 1));
  const out = tf.engine().runKernel(tf.AddN, xs as unknown as tf.NamedTensorMap) as tf.Tensor;
  const v = (await out.data())[0];
  tf.dispose([out, ...xs]);
  return v;
}

/** An attention-shaped batched product on wasm: its bits with our kernel and with tfjs-wasm's own. */
function productBits(ours: boolean): number[] {
  const run = () => tf.tidy(() => Array.from(new Uint32Array((tf.matMul(tf.randomNormal([8, 4, 38, 16], 0, 1, 'float32', 1), tf.randomNormal([8, 4, 16, 38], 0, 1, 'float32', 2)).dataSync() as Float32Array).slice().buffer)));
  if (ours) return run();
  const mine = tf.getKernel('BatchMatMul', 'wasm')!;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel(tfjsKernels.get('BatchMatMul')!);
  try {
    return run();
  } finally {
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel(mine);
  }
}

const api = {
  /** On wasm: how often one update ran our SIMD matmuls, and whether a product matches tfjs-wasm's bits. */
  async wasmSimd(): Promise<{ batchMatMul: number; simdMatMul: number; sameBits: boolean; loss: number }> {
    if (!(await useBackend('wasm'))) throw new Error('wasm did not start');
    const [b0, s0] = [simdStats.BatchMatMul ?? 0, simdStats.SimdMatMul ?? 0];
    const p = await probeUpdate();
    const [b1, s1] = [simdStats.BatchMatMul ?? 0, simdStats.SimdMatMul ?? 0];
    const a = productBits(true);
    const b = productBits(false);
    return { batchMatMul: b1 - b0, simdMatMul: s1 - s0, sameBits: a.length > 0 && a.every((x, i) => x === b[i]), loss: p.loss };
  },
  async update(name: BackendName): Promise<UpdateProbe & { uncaptured: string[] }> {
    if (!(await useBackend(name))) throw new Error(`backend ${name} did not start`);
    const uncaptured: string[] = [];
    watchWebGPUErrors((m) => uncaptured.push(m));
    const p = await probeUpdate();
    return { ...p, uncaptured };
  },
  compare: compareProbes,
  /** On webgpu: what the error paths report for a 12-input AddN (scoped, then uncaptured). */
  async wideKernel(): Promise<{ ok7: number; scoped: string; uncaptured: string[] }> {
    if (!(await useBackend('webgpu'))) throw new Error('webgpu did not start');
    const ok7 = await checkedOnWebGPU(() => rawAddN(7));
    const scoped = await checkedOnWebGPU(() => rawAddN(12)).then(
      () => 'no error',
      (e: Error) => `${e.name}: ${e.message}`,
    );
    const uncaptured: string[] = [];
    watchWebGPUErrors((m) => uncaptured.push(m));
    await rawAddN(12);
    for (let i = 0; i < 100 && !uncaptured.length; i++) await new Promise((r) => setTimeout(r, 20));
    return { ok7, scoped, uncaptured };
  },
};

(window as unknown as { numerics: typeof api }).numerics = api;
document.body.dataset.ready = 'true';
