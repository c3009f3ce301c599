// Auto mode's backend probe: on each backend that started, a few KV-cached decode steps and one
// update on a tiny fixed batch, timed after a warm-up (WebGPU compiles its shaders in the warm-up),
// and the update's loss and grad norm checked against cpu's. The fastest backend that passes wins,
// and the header says why in one sentence ("webgpu: 3.1× faster than wasm here").
import type { BackendName } from './backendNames';
import { packBatch } from './model';
import { FusedAdam } from './optim/fusedAdam';
import { update } from './rl/loss';
import { Rng } from './rng';
import { generate } from './sampler';
import { probeModel } from './probeModel';
import { raceCurrentBackend } from './probeRace';
import { relativeError as rel } from './stats';

/** What one backend did in the probe; `error` when it threw. */
export interface ProbeMeasure {
  backend: BackendName;
  ms?: number; // the timed decode + update
  raceMs?: number; // a default-size round (probeRace.ts): only when two or more backends other than cpu pass
  loss?: number;
  gradNorm?: number;
  error?: string;
}

export interface ProbeChoice {
  picked: BackendName;
  /** Why, without the backend's name: "3.1× faster than wasm here". */
  reason: string;
  /** Backends that ran but were not trusted, and why (e.g. "failed the numerics check (loss off by 2e-2)"). */
  rejected: { backend: BackendName; reason: string }[];
}

/** Relative tolerance on loss and grad norm against cpu (float32 backends agree to ~1e-6 here). */
export const PROBE_TOLERANCE = 1e-4;

const fmt = (x: number) => x.toExponential(1);

/** Why a measurement is not to be trusted, or null. `ref` is cpu's (null when cpu did not run). */
export function numericsProblem(m: ProbeMeasure, ref: ProbeMeasure | null, tol = PROBE_TOLERANCE): string | null {
  if (m.error) return `failed (${m.error})`;
  if (!Number.isFinite(m.loss) || !Number.isFinite(m.gradNorm) || !Number.isFinite(m.ms)) return 'failed the numerics check (NaN or Inf)';
  if (!ref || ref.backend === m.backend) return null;
  const dl = rel(m.loss!, ref.loss!);
  const dg = rel(m.gradNorm!, ref.gradNorm!);
  if (dl > tol) return `failed the numerics check (loss off by ${fmt(dl)} relative to cpu)`;
  if (dg > tol) return `failed the numerics check (grad norm off by ${fmt(dg)} relative to cpu)`;
  return null;
}

/** The fastest backend whose numbers agree with cpu's, and the sentence for the header. Pure. */
export function chooseBackend(measures: ProbeMeasure[], tol = PROBE_TOLERANCE): ProbeChoice {
  const cpu = measures.find((m) => m.backend === 'cpu' && numericsProblem(m, null, tol) === null) ?? null;
  const rejected: ProbeChoice['rejected'] = [];
  const passing: ProbeMeasure[] = [];
  for (const m of measures) {
    const problem = numericsProblem(m, cpu, tol);
    if (problem) rejected.push({ backend: m.backend, reason: problem });
    else passing.push(m);
  }
  if (!cpu && passing.length > 0) {
    // Without cpu there is nothing to check against: say so rather than pretend.
    const best = [...passing].sort((a, b) => a.ms! - b.ms!)[0];
    return { picked: best.backend, reason: 'fastest in the probe (no cpu reference to check its numbers)', rejected };
  }
  if (passing.length === 0) throw new Error(`no backend passed the probe (${rejected.map((r) => `${r.backend} ${r.reason}`).join('; ')})`);
  // Speed: the race's default-size times where two or more backends ran it (the tiny batch favours CPUs:
  // probeRace.ts), else the tiny batch's times.
  const raced = passing.filter((m) => Number.isFinite(m.raceMs));
  const time = raced.length > 1 ? (m: ProbeMeasure) => m.raceMs! : (m: ProbeMeasure) => m.ms!;
  const [best, next] = [...(raced.length > 1 ? raced : passing)].sort((a, b) => time(a) - time(b));
  const fasterRejected = rejected.filter((r) => {
    const m = measures.find((x) => x.backend === r.backend)!;
    return !m.error && Number.isFinite(m.ms) && m.ms! < best.ms!;
  });
  let reason: string;
  if (fasterRejected.length) reason = fasterRejected.map((r) => `${r.backend} ${r.reason}`).join('; ');
  else if (next) reason = `${(time(next) / time(best)).toFixed(1)}× faster than ${next.backend} here`;
  else reason = 'the only backend that passed the probe';
  return { picked: best.backend, reason, rejected };
}

const N = 8; // rows
const DECODE = 4; // decode steps

/** The probe on the current backend: warm-up, then a timed run of DECODE decode steps and one update. */
export async function measureCurrentBackend(backend: BackendName): Promise<ProbeMeasure> {
  const rng = new Rng(7);
  const prompts = Array.from({ length: N }, () => [1, ...Array.from({ length: 9 }, () => rng.int(3, 20))]);
  const responses = Array.from({ length: N }, (_, i) => Array.from({ length: 6 + i }, () => rng.int(2, 20)));
  const packed = packBatch(prompts, responses);
  const L = packed.contWidth;
  const batch = {
    packed,
    logpOld: new Float32Array(N * L).fill(-3), // ≈ log(1/21): the ratios start near 1
    logpRef: new Float32Array(N * L).fill(-3.1),
    advantages: Float32Array.from({ length: N }, (_, i) => 0.5 + i / N), // one sign: a loss far from 0, so a relative check means something
    offPolicy: new Float32Array(N),
  };
  const loss = { epsLow: 0.2, epsHigh: 0.2, beta: 0.1, aggregation: 'token-mean' as const, maxNewTokens: 16 };
  const model = probeModel();
  try {
    const once = async () => {
      await generate(model, prompts, { maxNewTokens: DECODE, temperature: 0, rng: new Rng(1) });
      // The trainer's optimiser, so the probe runs its WebGPU kernels too; lr 0: the weights stay put
      // (w + 0·step), so warm-up and timed run see the same model.
      const opt = new FusedAdam(0, 0.9, 0.999, 1e-8);
      try {
        return await update(model, opt, batch, loss, 1);
      } finally {
        opt.dispose();
      }
    };
    // Warm-up first (shader compilation, kernel set-up), except on cpu: nothing to compile there, and it
    // is the slowest backend, so its one run is both the reference and its time.
    if (backend !== 'cpu') await once();
    const t0 = performance.now();
    const r = await once();
    return { backend, ms: performance.now() - t0, loss: r.loss, gradNorm: r.gradNorm };
  } catch (e) {
    return { backend, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  } finally {
    model.dispose();
  }
}

/**
 * Probes each backend in `started` (each must have started once already): the tiny batch on each, then,
 * where two or more backends other than cpu pass its numerics check, the default-size race on those.
 * Makes the choice current. `use` switches backends (backend.ts useBackend).
 */
export async function probeBackends(started: BackendName[], use: (b: BackendName) => Promise<boolean>): Promise<ProbeChoice & { measures: ProbeMeasure[] }> {
  const measures: ProbeMeasure[] = [];
  for (const b of started) {
    if (await use(b)) measures.push(await measureCurrentBackend(b));
    else measures.push({ backend: b, error: 'did not start again' });
  }
  const cpu = measures.find((m) => m.backend === 'cpu' && numericsProblem(m, null) === null) ?? null;
  const racers = measures.filter((m) => m.backend !== 'cpu' && numericsProblem(m, cpu) === null);
  if (racers.length > 1) {
    for (const m of racers) {
      if (!(await use(m.backend))) m.error = 'did not start again';
      else {
        try {
          m.raceMs = await raceCurrentBackend();
        } catch (e) {
          m.error = `race: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`;
        }
      }
    }
  }
  const choice = { ...chooseBackend(measures), measures };
  if (!(await use(choice.picked))) throw new Error(`backend ${choice.picked} did not start again after the probe`);
  return choice;
}
