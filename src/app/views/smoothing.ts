// Pure series helpers for the live charts: EMA smoothing and downsampling by step bins.
// Kept free of React so they can be unit-tested and reused by any chart.

/**
 * Debiased exponential moving average (as TensorBoard's smoothing slider): s_n = w·s_{n−1} + (1−w)·x_n,
 * divided by 1 − w^n so the first points are not pulled toward 0. Non-finite inputs stay null and do not
 * advance the average (a skipped step leaves a gap instead of poisoning the line).
 */
export function ema(values: readonly (number | null | undefined)[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
  let acc = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return null;
    acc = w * acc + (1 - w) * v;
    n++;
    return w === 0 ? v : acc / (1 - w ** n);
  });
}

export interface SeriesSpec<M> {
  key: string; // unique within a chart, used in data keys
  label: string;
  get: (m: M) => number | null | undefined;
  /** false for sparse series (eval accuracies): they are already averages and smoothing would lag them. */
  smooth?: boolean;
}

export interface RunInput<M> {
  name: string;
  metrics: readonly (M & { step: number })[];
}

export type ChartRow = { step: number; n: number } & Record<string, number | null>;

export interface ChartData {
  rows: ChartRow[];
  /** One entry per (run, series) that has at least one finite value. */
  lines: { dataKey: string; run: number; runName: string; key: string; label: string }[];
  /** Distinct steps before downsampling, and whether rows are bin means. */
  totalSteps: number;
  binned: boolean;
}

export function dataKey(run: number, key: string): string {
  return `r${run}_${key}`;
}

/**
 * Builds chart rows keyed by step from several runs. Each series is smoothed on its own points, then,
 * if there are more distinct steps than `maxPoints`, steps are grouped into equal-width bins and each row
 * holds the mean of every series over its bin (row.step = the mean step, row.n = steps in the bin).
 * Bins keep every series on the same rows, so the hover tooltip shows all runs at once.
 */
export function buildChartData<M>(runs: readonly RunInput<M>[], specs: readonly SeriesSpec<M>[], smoothing: number, maxPoints = 400): ChartData {
  const perStep = new Map<number, Map<string, number>>();
  const lines: ChartData['lines'] = [];
  runs.forEach((run, ri) => {
    for (const spec of specs) {
      const raw = run.metrics.map((m) => spec.get(m));
      const vals = spec.smooth === false ? raw.map((v) => (v === undefined || v === null || !Number.isFinite(v) ? null : v)) : ema(raw, smoothing);
      const dk = dataKey(ri, spec.key);
      let any = false;
      run.metrics.forEach((m, i) => {
        const v = vals[i];
        if (v === null || !Number.isFinite(m.step)) return;
        any = true;
        let row = perStep.get(m.step);
        if (!row) perStep.set(m.step, (row = new Map()));
        row.set(dk, v);
      });
      if (any) lines.push({ dataKey: dk, run: ri, runName: run.name, key: spec.key, label: spec.label });
    }
  });
  const steps = [...perStep.keys()].sort((a, b) => a - b);
  const keys = lines.map((l) => l.dataKey);
  const cap = Math.max(2, Math.floor(maxPoints));
  if (steps.length <= cap) {
    const rows = steps.map((s) => {
      const row: ChartRow = { step: s, n: 1 } as ChartRow;
      const vals = perStep.get(s)!;
      for (const k of keys) row[k] = vals.get(k) ?? null;
      return row;
    });
    return { rows, lines, totalSteps: steps.length, binned: false };
  }
  const lo = steps[0];
  const width = (steps[steps.length - 1] - lo) / cap || 1;
  const bins: { steps: number[]; sum: Map<string, number>; cnt: Map<string, number> }[] = [];
  for (const s of steps) {
    const b = Math.min(cap - 1, Math.floor((s - lo) / width));
    const bin = (bins[b] ??= { steps: [], sum: new Map(), cnt: new Map() });
    bin.steps.push(s);
    for (const [k, v] of perStep.get(s)!) {
      bin.sum.set(k, (bin.sum.get(k) ?? 0) + v);
      bin.cnt.set(k, (bin.cnt.get(k) ?? 0) + 1);
    }
  }
  const rows: ChartRow[] = [];
  for (const bin of bins) {
    if (!bin) continue;
    const row: ChartRow = { step: bin.steps.reduce((a, b) => a + b, 0) / bin.steps.length, n: bin.steps.length } as ChartRow;
    for (const k of keys) row[k] = bin.cnt.get(k) ? bin.sum.get(k)! / bin.cnt.get(k)! : null;
    rows.push(row);
  }
  return { rows, lines, totalSteps: steps.length, binned: true };
}

/** Values for a log-scaled axis: a log axis cannot show 0 or negatives, so those become gaps. */
export function positiveOnly(rows: readonly ChartRow[], keys: readonly string[]): ChartRow[] {
  return rows.map((r) => {
    const out = { ...r } as ChartRow;
    for (const k of keys) {
      const v = r[k];
      if (v !== null && v !== undefined && !(v > 0)) out[k] = null;
    }
    return out;
  });
}
