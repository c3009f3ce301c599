// WebGPU in Node (Dawn's `webgpu` package): one update equals wasm's, and an invalid kernel is an
// error, never silently dropped work. Skipped, with the reason printed, where no adapter exists.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { checkedOnWebGPU, useBackend, watchWebGPUErrors, WebGPUError } from '../core/backend';
import { defaultConfig } from '../core/config';
import { Trainer } from '../core/trainer';
import { compareProbes, probeUpdate, type UpdateProbe } from '../test/numerics';
import { Host } from '../worker/host';
import type { WorkerEvent } from '../worker/protocol';
import { startNodeWebGPU } from '../test/nodeWebGPU';

const skip = await startNodeWebGPU('the Node WebGPU tests', (a) =>
  console.log(`Node WebGPU adapter: ${a.vendor} ${a.architecture} (maxStorageBuffersPerShaderStage ${a.maxStorageBuffersPerShaderStage}, VK_DRIVER_FILES=${process.env.VK_DRIVER_FILES ?? 'unset'})`)
);

/** A raw AddN kernel over `n` tensors (tf.addN itself binds them all: the bug this guards against). */
function rawAddN(n: number): tf.Tensor {
  const xs = Array.from({ length: n }, (_, i) => tf.fill([64], i + 1));
  const out = tf.engine().runKernel(tf.AddN, xs as unknown as tf.NamedTensorMap) as tf.Tensor;
  tf.dispose(xs);
  return out;
}

describe.skipIf(!!skip)('WebGPU in Node', () => {
  afterAll(() => useBackend('wasm'));

  it('one clipped update on webgpu gives wasm\'s loss, grad norm and weights (≤ 1e-4 relative)', async () => {
    await useBackend('wasm');
    const wasm = await probeUpdate();
    await useBackend('webgpu');
    const gpu: UpdateProbe = await probeUpdate();
    const d = compareProbes(gpu, wasm);
    console.log(`webgpu vs wasm: loss ${gpu.loss} vs ${wasm.loss}, grad norm ${gpu.gradNorm} vs ${wasm.gradNorm}; relative differences ${JSON.stringify(d)}`);
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.numWeights).toBeGreaterThan(7); // the global norm sums more gradients than one kernel may bind
    expect(gpu.skipped).toBe(false);
    expect(d.loss).toBeLessThanOrEqual(1e-4);
    expect(d.gradNorm).toBeLessThanOrEqual(1e-4);
    expect(d.weights).toBeLessThanOrEqual(1e-4);
    expect(d.delta).toBeLessThanOrEqual(1e-2); // see compareProbes: Adam magnifies float32 noise in near-zero gradient entries
  });

  it('a kernel binding more than 7 tensors is a WebGPUError inside checkedOnWebGPU', async () => {
    await useBackend('webgpu');
    const ok = await checkedOnWebGPU(async () => {
      const t = rawAddN(7);
      const v = await t.data();
      t.dispose();
      return v[0];
    });
    expect(ok).toBe(28); // 1 + … + 7: seven inputs are fine
    await expect(
      checkedOnWebGPU(async () => {
        const t = rawAddN(12);
        await t.data();
        t.dispose();
      }),
    ).rejects.toThrow(WebGPUError);
  });

  it('and an uncaptured one reaches watchWebGPUErrors', async () => {
    await useBackend('webgpu');
    const seen: string[] = [];
    expect(watchWebGPUErrors((m) => seen.push(m))).toBe(true);
    const t = rawAddN(12);
    await t.data();
    t.dispose();
    for (let i = 0; i < 50 && !seen.length; i++) await new Promise((r) => setTimeout(r, 20));
    watchWebGPUErrors(() => {});
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatch(/^WebGPU validation error: /);
  });

  it('the training worker stops on a WebGPU error with a clear message and refuses further steps', async () => {
    // Serve the shipped checkpoint over http, as the app does.
    const server = createServer((req, res) => res.end(readFileSync(`public/checkpoints/base/${req.url!.split('/').pop()}`)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.json`;
    const events: WorkerEvent[] = [];
    const host = new Host((e) => events.push(e));
    try {
      await host.handle({ type: 'init', requestId: 1, config: { ...defaultConfig(), batchSize: 1, groupSize: 2, maxNewTokens: 4, evalEvery: 0 }, algos: ['grpo'], backend: 'webgpu', checkpoint: { kind: 'url', url, label: 'base' } });
      expect(events.find((e) => e.type === 'reply')).toMatchObject({ requestId: 1, result: { backend: 'webgpu' } });
      // A step whose GPU work includes an invalid (12-input) kernel, as the gradient norm once was.
      const step = vi.spyOn(Trainer.prototype, 'trainStep').mockImplementation(async () => {
        const t = rawAddN(12);
        await t.data();
        t.dispose();
        return {} as Awaited<ReturnType<Trainer['trainStep']>>;
      });
      await host.handle({ type: 'step' });
      const err = events.find((e) => e.type === 'error');
      expect(err).toMatchObject({ scope: 'training' });
      expect((err as { message: string }).message).toMatch(/^training stopped: WebGPU validation error: .*not to be trusted/);
      expect(events.some((e) => e.type === 'steps')).toBe(false); // the garbage step's records are never shown
      await host.handle({ type: 'step' });
      expect(step).toHaveBeenCalledTimes(1); // refused until a reset
      expect(events.at(-2)).toMatchObject({ type: 'notice', message: expect.stringMatching(/stopped after a WebGPU error/) });
      step.mockRestore();
    } finally {
      server.close();
    }
  });
});
