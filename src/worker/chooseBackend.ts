// The backend the worker starts on: the one asked for (else the next that starts), or in auto mode the
// fastest that agrees with cpu, passing over WebGPU/WebGL that run on the CPU.
import { BROWSER_ORDER, useBackend, type BackendName } from '../core/backend';
import { probeBackends } from '../core/probe';
import { softwareBackend } from '../core/softwareGpu';
import type { TriedBackend } from './protocol';

export async function chooseBackend(want: BackendName | 'auto'): Promise<{ picked: BackendName; tried: TriedBackend[] }> {
  const order = want === 'auto' ? BROWSER_ORDER : [want, ...BROWSER_ORDER.filter((b) => b !== want)];
  const tried: TriedBackend[] = [];
  const skipped: BackendName[] = [];
  const start = async (b: BackendName) => {
    const ok = await useBackend(b);
    tried.push({ backend: b, ok });
    return ok;
  };
  let picked: BackendName | null = null;
  const started: BackendName[] = []; // auto mode: every backend that starts goes into the probe
  for (const b of order) {
    // Auto mode passes over WebGPU/WebGL that run on the CPU (SwiftShader): wasm is far faster there.
    const soft = want === 'auto' && (b === 'webgpu' || b === 'webgl') ? await softwareBackend(b) : null;
    if (soft) {
      tried.push({ backend: b, ok: false, skipped: `runs on ${soft}` });
      skipped.push(b);
    } else if (await start(b)) {
      picked = b;
      if (want !== 'auto') break;
      started.push(b);
    }
  }
  // Auto mode: time each started backend and check its numbers against cpu's, keep the fastest that passes.
  if (started.length > 1) {
    const choice = await probeBackends(started, useBackend);
    picked = choice.picked;
    for (const r of choice.rejected) Object.assign(tried.find((t) => t.backend === r.backend)!, { skipped: r.reason });
    tried.find((t) => t.backend === picked)!.probe = choice.reason;
  }
  // Nothing else started: a software GPU is still better than nothing.
  for (const b of picked ? [] : skipped) {
    if (await start(b)) {
      picked = b;
      break;
    }
  }
  if (!picked) throw new Error(`no tfjs backend could start (tried ${order.join(', ')})`);
  return { picked, tried };
}
