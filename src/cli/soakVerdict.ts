// The soak's pass/fail rule, kept apart from the training loop so it can be tested on made-up samples.

/** One measurement between steps: `step` steps have completed. */
export interface SoakSample {
  step: number;
  numTensors: number;
  numBytes: number; // tfjs tensor bytes: weights + Adam slots once warm, so it must be flat too
  heapUsed: number; // V8 heap after a full GC (bytes)
  code: number; // of which V8's compiled code (code spaces): reported, not judged apart
  rss: number; // reported, not judged: the allocator keeps freed pages, so RSS is not a leak signal
  external: number; // reported, not judged (the wasm backend's memory lives here and only ever grows in place)
}

export interface SoakVerdict {
  ok: boolean;
  /** One line: what failed, or what held. */
  message: string;
  /** First sample at or after warm-up (the baseline) and the last. */
  base: SoakSample;
  last: SoakSample;
  heapGrowth: number; // (last − base) / base
  /** The first step from which numTensors never changed again. */
  tensorsSettledAt: number;
}

/**
 * numTensors and numBytes must not change between the first post-warm-up sample and any later one
 * (tensors are exact counts: one leaked tensor per step is a leak, however small), and the heap may
 * grow at most `maxHeapGrowth` from the first post-warm-up sample to the last.
 */
export function soakVerdict(samples: SoakSample[], warmup: number, maxHeapGrowth = 0.01): SoakVerdict {
  const after = samples.filter((s) => s.step >= warmup);
  if (after.length < 2) throw new Error(`need at least two samples at or after warm-up step ${warmup}, got ${after.length}`);
  const base = after[0];
  const last = after[after.length - 1];
  const heapGrowth = (last.heapUsed - base.heapUsed) / base.heapUsed;
  let settled = samples[samples.length - 1].step;
  for (let i = samples.length - 1; i >= 0 && samples[i].numTensors === last.numTensors; i--) settled = samples[i].step;
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(2)} MB`;
  const grew = after.find((s) => s.numTensors !== base.numTensors || s.numBytes !== base.numBytes);
  let message: string;
  if (grew) {
    message = `numTensors changed after warm-up: ${base.numTensors} tensors (${base.numBytes} B) at step ${base.step}, ${grew.numTensors} (${grew.numBytes} B) at step ${grew.step}`;
  } else if (heapGrowth > maxHeapGrowth) {
    message = `heap grew ${(100 * heapGrowth).toFixed(2)} % after warm-up (limit ${(100 * maxHeapGrowth).toFixed(0)} %): ${mb(base.heapUsed)} at step ${base.step}, ${mb(last.heapUsed)} at step ${last.step}`;
  } else {
    message = `flat after warm-up (step ${base.step} → ${last.step}): ${base.numTensors} tensors, heap ${mb(base.heapUsed)} → ${mb(last.heapUsed)} (${heapGrowth >= 0 ? '+' : ''}${(100 * heapGrowth).toFixed(2)} %)`;
  }
  return { ok: !grew && heapGrowth <= maxHeapGrowth, message, base, last, heapGrowth, tensorsSettledAt: settled };
}
