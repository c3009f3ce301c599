// Auto mode's race. The probe's tiny batch (probe.ts) checks a backend's numbers but says little about its
// speed on real work: a GPU pays per dispatch whatever the size, while wasm's cost grows with the work. On
// an NVIDIA H100 (Dawn in Node) the tiny batch put wasm 3.4× ahead of WebGPU, while a default RePO step ran
// 2.3× faster on WebGPU (docs/speed.md). So when two or more backends other than cpu pass the check, each
// also runs one round at a default step's size, and that time decides.
import { defaultConfig } from './config';
import { packBatch } from './model';
import { FusedAdam } from './optim/fusedAdam';
import { probeModel } from './probeModel';
import { update } from './rl/loss';
import { Rng } from './rng';
import { generate } from './sampler';

/** The race's shape: a default step's rows, typical prompt and response lengths, a few decode steps. */
export const RACE = { rows: defaultConfig().batchSize * defaultConfig().groupSize, prompt: 16, minResponse: 24, maxResponse: 64, decode: 8 };

/** ms for RACE.decode KV-cached decode steps and one update pass on RACE.rows rows, on the current backend,
 *  after one untimed round. */
export async function raceCurrentBackend(): Promise<number> {
  const rng = new Rng(11);
  const { rows, prompt, minResponse, maxResponse, decode } = RACE;
  const prompts = Array.from({ length: rows }, () => [1, ...Array.from({ length: prompt - 1 }, () => rng.int(3, 20))]);
  const responses = Array.from({ length: rows }, (_, i) => Array.from({ length: minResponse + (i * 7) % (maxResponse - minResponse + 1) }, () => rng.int(2, 20)));
  const packed = packBatch(prompts, responses);
  const n = rows * packed.contWidth;
  const batch = {
    packed,
    logpOld: new Float32Array(n).fill(-3),
    logpRef: new Float32Array(n).fill(-3.1),
    advantages: Float32Array.from({ length: rows }, (_, i) => (i % 2 ? 0.5 : -0.5)),
    offPolicy: new Float32Array(rows),
  };
  const loss = { epsLow: 0.2, epsHigh: 0.2, beta: 0.1, aggregation: 'token-mean' as const, maxNewTokens: maxResponse };
  const model = probeModel();
  const opt = new FusedAdam(0, 0.9, 0.999, 1e-8); // lr 0: the weights stay put
  try {
    const once = async () => {
      await generate(model, prompts, { maxNewTokens: decode, temperature: 0, rng: new Rng(1) });
      await update(model, opt, batch, loss, 1);
    };
    // Warm up on every backend: GPUs compile pipelines for these shapes on first use, and wasm's first
    // round at a new size allocates its buffers; timing only the GPU warm would overstate its lead.
    await once();
    const t0 = performance.now();
    await once();
    return performance.now() - t0;
  } finally {
    opt.dispose();
    model.dispose();
  }
}
