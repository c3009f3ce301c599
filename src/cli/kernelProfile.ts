// npm run bench -- --profile: where a default step's time goes on a backend with synchronous kernels
// (wasm, cpu). Every registered kernel of the backend is wrapped with a timer, so the table shows each
// kernel's share of the phase, and what is left over is tfjs's own bookkeeping (tensor creation, the
// gradient tape, disposal) plus our JS (sampling, packing). The timer is this process's CPU time, not
// the wall clock: on a shared machine other processes' load then barely moves the figures.
import * as tf from '@tensorflow/tfjs';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface KernelStat {
  kernel: string;
  calls: number;
  ms: number;
}

/** Times every kernel of `backend` while `fn` runs; kernels are unwrapped again afterwards. */
export async function profileKernels<T>(backend: string, fn: () => Promise<T>): Promise<{ result: T; stats: KernelStat[]; totalMs: number }> {
  const stats = new Map<string, KernelStat>();
  const configs = tf.getKernelsForBackend(backend);
  const originals = configs.map((c) => c.kernelFunc);
  let depth = 0; // a kernel that calls another through the registry is counted once, as the outer one
  configs.forEach((c, i) => {
    const inner = originals[i];
    (c as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
      if (depth > 0) return inner(args);
      depth++;
      const t0 = cpuMs();
      try {
        return inner(args);
      } finally {
        depth--;
        const s = stats.get(c.kernelName) ?? { kernel: c.kernelName, calls: 0, ms: 0 };
        s.calls++;
        s.ms += cpuMs() - t0;
        stats.set(c.kernelName, s);
      }
    };
  });
  const t0 = cpuMs();
  try {
    const result = await fn();
    return { result, stats: [...stats.values()].sort((a, b) => b.ms - a.ms), totalMs: cpuMs() - t0 };
  } finally {
    configs.forEach((c, i) => ((c as { kernelFunc: tf.KernelFunc }).kernelFunc = originals[i]));
  }
}

/** The top kernels as table rows, then the share no kernel accounts for. */
export function profileLines(title: string, stats: KernelStat[], totalMs: number, top = 12): string[] {
  const inKernels = stats.reduce((a, s) => a + s.ms, 0);
  const pct = (x: number) => `${((100 * x) / totalMs).toFixed(1)} %`;
  return [
    `${title}: ${totalMs.toFixed(0)} ms CPU time, ${stats.reduce((a, s) => a + s.calls, 0)} kernel calls`,
    '  | kernel | calls | ms | share |',
    '  | --- | --- | --- | --- |',
    ...stats.slice(0, top).map((s) => `  | ${s.kernel} | ${s.calls} | ${s.ms.toFixed(1)} | ${pct(s.ms)} |`),
    `  | (other ${Math.max(0, stats.length - top)} kernels) | ${stats.slice(top).reduce((a, s) => a + s.calls, 0)} | ${stats.slice(top).reduce((a, s) => a + s.ms, 0).toFixed(1)} | ${pct(stats.slice(top).reduce((a, s) => a + s.ms, 0))} |`,
    `  | outside kernels (tfjs bookkeeping, tape, JS) | | ${(totalMs - inKernels).toFixed(1)} | ${pct(totalMs - inKernels)} |`,
  ];
}
