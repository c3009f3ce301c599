// npm run bench -- --profile: where a default step's time goes. Every registered kernel of the backend is
// wrapped with a timer, so the table shows each kernel's share of the phase, and what is left over is
// tfjs's own bookkeeping (tensor creation, the gradient tape, disposal) plus our JS (sampling, packing)
// and, on webgpu, waiting for the GPU. On wasm and cpu kernels are synchronous and the timer is this
// process's CPU time (other processes' load on a shared machine then barely moves the figures). On webgpu
// a kernel only records and submits GPU work, so the timer is the wall clock and a kernel's time is its
// host-side cost (JS, pipeline and bind-group set-up, Dawn calls): dispatch overhead, not GPU arithmetic.
import * as tf from '@tensorflow/tfjs';

export const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
export const wallMs = () => performance.now();

export interface KernelStat {
  kernel: string;
  calls: number;
  ms: number;
}

/** Times every kernel of `backend` while `fn` runs; kernels are unwrapped again afterwards. */
export async function profileKernels<T>(backend: string, fn: () => Promise<T>, clock = cpuMs): Promise<{ result: T; stats: KernelStat[]; totalMs: number }> {
  const stats = new Map<string, KernelStat>();
  const configs = tf.getKernelsForBackend(backend);
  const originals = configs.map((c) => c.kernelFunc);
  let depth = 0; // a kernel that calls another through the registry is counted once, as the outer one
  configs.forEach((c, i) => {
    const inner = originals[i];
    (c as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
      if (depth > 0) return inner(args);
      depth++;
      const t0 = clock();
      try {
        return inner(args);
      } finally {
        depth--;
        const s = stats.get(c.kernelName) ?? { kernel: c.kernelName, calls: 0, ms: 0 };
        s.calls++;
        s.ms += clock() - t0;
        stats.set(c.kernelName, s);
      }
    };
  });
  const t0 = clock();
  try {
    const result = await fn();
    return { result, stats: [...stats.values()].sort((a, b) => b.ms - a.ms), totalMs: clock() - t0 };
  } finally {
    configs.forEach((c, i) => ((c as { kernelFunc: tf.KernelFunc }).kernelFunc = originals[i]));
  }
}

/** The top kernels as table rows, then the share no kernel accounts for. */
export function profileLines(title: string, stats: KernelStat[], totalMs: number, top = 12, unit = 'ms CPU time', outside = 'outside kernels (tfjs bookkeeping, tape, JS)'): string[] {
  const inKernels = stats.reduce((a, s) => a + s.ms, 0);
  const pct = (x: number) => `${((100 * x) / totalMs).toFixed(1)} %`;
  return [
    `${title}: ${totalMs.toFixed(0)} ${unit}, ${stats.reduce((a, s) => a + s.calls, 0)} kernel calls`,
    '  | kernel | calls | ms | share |',
    '  | --- | --- | --- | --- |',
    ...stats.slice(0, top).map((s) => `  | ${s.kernel} | ${s.calls} | ${s.ms.toFixed(1)} | ${pct(s.ms)} |`),
    `  | (other ${Math.max(0, stats.length - top)} kernels) | ${stats.slice(top).reduce((a, s) => a + s.calls, 0)} | ${stats.slice(top).reduce((a, s) => a + s.ms, 0).toFixed(1)} | ${pct(stats.slice(top).reduce((a, s) => a + s.ms, 0))} |`,
    `  | ${outside} | | ${(totalMs - inKernels).toFixed(1)} | ${pct(totalMs - inKernels)} |`,
  ];
}
