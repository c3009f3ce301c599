// Turns the JSON-lines runs written by `train --out` into the results table (markdown) and the
// claims of docs/DESIGN.md §1 (C1–C5). Pure: reads parsed lines, returns text and numbers.
import { opensAt } from '../core/algorithms/gate';
import { mean, std } from '../core/stats';
import type { Algo } from '../core/config';
import type { EvalSummary } from '../core/eval';
import type { RatioStats, Source, StepRecord } from '../core/record';

export interface RunFile {
  header: { algo: Algo; seed: number; config: Record<string, unknown> };
  steps: StepRecord[];
  final: EvalSummary & { seconds: number };
}

/** Parses one JSONL run; throws with the file's name when it is incomplete. */
export function parseRun(text: string, name: string): RunFile {
  const lines = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  const header = lines[0];
  const final = lines[lines.length - 1]?.final;
  if (!header?.config || !final) throw new Error(`${name} is not a complete run (no header or no final line)`);
  return { header, steps: lines.slice(1, -1), final };
}

/** Count / mean / variance of several RatioStats pooled into one sample (sample variance, n − 1). */
export function pooledVariance(parts: Pick<RatioStats, 'count' | 'mean' | 'variance'>[]): { count: number; mean: number; variance: number } {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (const p of parts) {
    if (p.count === 0 || p.mean === null || p.variance === null) continue;
    n += p.count;
    sum += p.count * p.mean;
    sumSq += (p.count - 1) * p.variance + p.count * p.mean * p.mean;
  }
  if (n === 0) return { count: 0, mean: NaN, variance: NaN };
  const mean = sum / n;
  return { count: n, mean, variance: n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0 };
}

export interface AlgoSummary {
  algo: Algo;
  label?: string; // the row's name when it is not the algorithm's (a variant such as repo-paper)
  seeds: number[];
  baseEasy: number[];
  baseHard: number[];
  easy: number[];
  hard: number[];
  rephraseHard: number[];
  hardStyle: { own: number[]; expert: number[]; malformed: number[] };
  injectionRate: number[];
  logVar: Record<Source, number[]>; // variance of log r per source, pooled over a run's steps
  linVar: Record<Source, number[]>;
  msPerStep: number[];
  curves: EvalPoint[][]; // per seed: every evaluation (step 0, every evalEvery steps, the final one)
}

export interface EvalPoint {
  step: number;
  easy: number;
  hard: number;
  rephraseHard: number;
}

/** Every greedy evaluation of a run, in step order, the final one included. */
export function evalCurve(r: RunFile): EvalPoint[] {
  const pts: EvalPoint[] = r.steps
    .filter((s) => s.metrics.evalHard !== undefined)
    .map((s) => ({ step: s.step, easy: s.metrics.evalEasy!, hard: s.metrics.evalHard!, rephraseHard: s.metrics.evalRephraseHard! }));
  pts.push({ step: Number(r.header.config.steps), easy: r.final.easy, hard: r.final.hard, rephraseHard: r.final.rephraseHard });
  return pts;
}

/** Mean over seeds of one metric at `step` (the last evaluation at or before it in each run). */
export function atStep(curves: EvalPoint[][], step: number, key: 'easy' | 'hard' | 'rephraseHard'): number {
  return mean(curves.map((c) => c.filter((p) => p.step <= step).pop()?.[key] ?? NaN));
}

const SOURCES: Source[] = ['policy', 'rephrase', 'expert'];

export function summariseAlgo(runs: RunFile[]): AlgoSummary {
  const per = <T>(f: (r: RunFile) => T) => runs.map(f);
  const varOf = (r: RunFile, key: 'logRatio' | 'ratio', s: Source) => pooledVariance(r.steps.map((x) => x.metrics[key][s])).variance;
  return {
    algo: runs[0].header.algo,
    seeds: per((r) => r.header.seed),
    baseEasy: per((r) => r.steps[0]?.metrics.evalEasy ?? NaN),
    baseHard: per((r) => r.steps[0]?.metrics.evalHard ?? NaN),
    easy: per((r) => r.final.easy),
    hard: per((r) => r.final.hard),
    rephraseHard: per((r) => r.final.rephraseHard),
    hardStyle: { own: per((r) => r.final.hardStyle.own), expert: per((r) => r.final.hardStyle.expert), malformed: per((r) => r.final.hardStyle.malformed) },
    injectionRate: per((r) => mean(r.steps.map((x) => x.metrics.injectionRate))),
    logVar: Object.fromEntries(SOURCES.map((s) => [s, per((r) => varOf(r, 'logRatio', s))])) as Record<Source, number[]>,
    linVar: Object.fromEntries(SOURCES.map((s) => [s, per((r) => varOf(r, 'ratio', s))])) as Record<Source, number[]>,
    msPerStep: per((r) => mean(r.steps.map((x) => x.metrics.stepMs))),
    curves: per(evalCurve),
  };
}

/** The spread shown after ±: 0 for a single seed (there is no spread to show). */
const sd = (xs: number[]) => (Number.isFinite(std(xs)) ? std(xs) : 0);

const pct = (xs: number[]) => (Number.isFinite(mean(xs)) ? `${(100 * mean(xs)).toFixed(1)} ± ${(100 * sd(xs)).toFixed(1)}` : '–');
const sci = (xs: number[]) => (Number.isFinite(mean(xs)) ? mean(xs).toPrecision(3) : '–');

export interface Claim {
  id: 'C1' | 'C2' | 'C2b' | 'C3' | 'C5';
  text: string;
  holds: boolean | null; // null: the runs needed are missing
  numbers: string;
}

export function claims(by: Partial<Record<Algo, AlgoSummary>>): Claim[] {
  const g = by.grpo;
  const r = by.repo;
  const l = by.luffy;
  const pts = (x: number) => `${(100 * x).toFixed(1)}`;
  const out: Claim[] = [];
  out.push(
    g
      ? { id: 'C1', text: "GRPO's hard accuracy ≤ base + 5 points", holds: mean(g.hard) <= mean(g.baseHard) + 0.05, numbers: `GRPO hard ${pts(mean(g.hard))} % vs base ${pts(mean(g.baseHard))} %` }
      : { id: 'C1', text: "GRPO's hard accuracy ≤ base + 5 points", holds: null, numbers: 'no GRPO runs' },
  );
  if (g && r) {
    const gain = mean(r.hard) - mean(g.hard);
    const easyDrift = mean(r.easy) - mean(r.baseEasy);
    out.push({
      id: 'C2',
      text: "RePO's hard accuracy ≥ GRPO's + 30 points, easy accuracy ≥ base − 5 points",
      holds: gain >= 0.3 && easyDrift >= -0.05,
      numbers: `RePO hard ${pts(mean(r.hard))} % vs GRPO ${pts(mean(g.hard))} % (${gain >= 0 ? '+' : ''}${pts(gain)} points); RePO easy ${pts(mean(r.easy))} % vs base ${pts(mean(r.baseEasy))} % (${easyDrift >= 0 ? '+' : ''}${pts(easyDrift)})`,
    });
  } else out.push({ id: 'C2', text: "RePO's hard accuracy ≥ GRPO's + 30 points", holds: null, numbers: 'needs GRPO and RePO runs' });
  const c2bText = "RePO's own rephrase-hard accuracy ≥ 70 % at every evaluation of every seed (the premise holds)";
  if (r) {
    const all = r.curves.flatMap((c, i) => c.map((p) => ({ ...p, seed: r.seeds[i] })));
    const worst = all.reduce((a, b) => (b.rephraseHard < a.rephraseHard ? b : a));
    out.push({ id: 'C2b', text: c2bText, holds: worst.rephraseHard >= 0.7, numbers: `lowest ${pts(worst.rephraseHard)} % (seed ${worst.seed}, step ${worst.step}); mean at the end ${pts(mean(r.rephraseHard))} %` });
  } else out.push({ id: 'C2b', text: c2bText, holds: null, numbers: 'no RePO runs' });
  if (l && r) {
    const lv = mean(l.logVar.expert);
    const rv = mean(r.logVar.rephrase);
    const ll = mean(l.linVar.expert);
    const rl = mean(r.linVar.rephrase);
    out.push({
      id: 'C3',
      text: "LUFFY's expert-token ratio variance ≥ 10 × RePO's rephrase-token ratio variance (log ratio; linear shown too)",
      holds: Number.isFinite(lv) && Number.isFinite(rv) ? lv >= 10 * rv : null,
      numbers: `var log r: LUFFY expert ${lv.toPrecision(3)} vs RePO rephrase ${rv.toPrecision(3)} (×${(lv / rv).toPrecision(3)}); var r: ${ll.toPrecision(3)} vs ${rl.toPrecision(3)} (×${(ll / rl).toPrecision(3)})`,
    });
  } else out.push({ id: 'C3', text: 'ratio variance LUFFY vs RePO', holds: null, numbers: 'needs LUFFY and RePO runs' });
  const c5Text = "at the settings the browser starts with, RePO's hard accuracy ≥ GRPO's + 15 points within 100 steps";
  if (g && r) {
    const rh = atStep(r.curves, 100, 'hard');
    const gh = atStep(g.curves, 100, 'hard');
    out.push({ id: 'C5', text: c5Text, holds: rh - gh >= 0.15, numbers: `at step 100: RePO hard ${pts(rh)} % vs GRPO ${pts(gh)} % (${rh - gh >= 0 ? '+' : ''}${pts(rh - gh)} points)` });
  } else out.push({ id: 'C5', text: c5Text, holds: null, numbers: 'needs GRPO and RePO runs' });
  return out;
}

export function markdownTable(rows: AlgoSummary[], steps: number): string {
  const head = [
    '| algo | seeds | base easy % | base hard % | final easy % | final hard % | rephrase-hard % | injection rate | var log r policy | var log r rephrase | var log r expert | var r rephrase | var r expert | hard answers own / expert / malformed | ms/step |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const lines = rows.map((s) =>
    [
      s.label ?? s.algo,
      s.seeds.join(','),
      pct(s.baseEasy),
      pct(s.baseHard),
      pct(s.easy),
      pct(s.hard),
      pct(s.rephraseHard),
      mean(s.injectionRate).toFixed(2),
      sci(s.logVar.policy),
      sci(s.logVar.rephrase),
      sci(s.logVar.expert),
      sci(s.linVar.rephrase),
      sci(s.linVar.expert),
      `${(100 * mean(s.hardStyle.own)).toFixed(0)} / ${(100 * mean(s.hardStyle.expert)).toFixed(0)} / ${(100 * mean(s.hardStyle.malformed)).toFixed(0)} %`,
      mean(s.msPerStep).toFixed(0),
    ].join(' | '),
  );
  return [`${steps} steps per run; mean ± sd over seeds; greedy accuracy on the fixed eval sets.`, '', ...head, ...lines.map((l) => `| ${l} |`)].join('\n');
}

export function claimLines(cs: Claim[]): string {
  return cs.map((c) => `- **${c.id}** ${c.text}: **${c.holds === null ? 'not measured' : c.holds ? 'holds' : 'does not hold'}** — ${c.numbers}`).join('\n');
}

export const README_START = '<!-- results:start -->';
export const README_END = '<!-- results:end -->';

/** Replaces the text between the README markers (which must exist). */
export function spliceReadme(readme: string, block: string): string {
  const a = readme.indexOf(README_START);
  const b = readme.indexOf(README_END);
  if (a < 0 || b < a) throw new Error(`README has no ${README_START} … ${README_END} block`);
  return `${readme.slice(0, a + README_START.length)}\n${block}\n${readme.slice(b)}`;
}

/**
 * How the ρ gate splits the base model's groups: for the first `steps` steps of some runs, the mean
 * γ_fail per split and the share of groups it would open for each ρ (the measurement behind ρ's default).
 */
export function gateTable(runs: RunFile[], steps = 10, rhos = [0.25, 0.5, 0.75, 1]): string {
  const groups = runs.flatMap((r) => r.steps.slice(0, steps).flatMap((s) => s.groups));
  const rows = (['easy', 'hard'] as const).map((split) => {
    const g = groups.filter((x) => x.split === split);
    const open = rhos.map((rho) => `${((100 * g.filter((x) => opensAt(x.failureRate, rho)).length) / Math.max(g.length, 1)).toFixed(0)} %`);
    return `| ${split} | ${g.length} | ${mean(g.map((x) => x.failureRate)).toFixed(2)} | ${open.join(' | ')} |`;
  });
  return [
    `γ_fail of the on-policy groups in the first ${steps} steps (δ = ${String(runs[0]?.header.config.delta)}), and the share of groups each ρ would open the gate for:`,
    '',
    `| split | groups | mean γ_fail | ${rhos.map((r) => `ρ = ${r}`).join(' | ')} |`,
    `|---|---|---|${rhos.map(() => '---').join('|')}|`,
    ...rows,
  ].join('\n');
}

/** The paper's RePO row against the same claims (not a claim of its own: it shows why the default differs). */
export function paperLine(p: AlgoSummary, g?: AlgoSummary): string {
  const pts = (x: number) => (100 * x).toFixed(1);
  const lowest = Math.min(...p.curves.flat().map((x) => x.rephraseHard));
  const vs = g ? ` vs GRPO ${pts(mean(g.hard))} %` : '';
  return `- RePO as the paper (\`--repoTrainPrompt false\`): hard ${pts(mean(p.hard))} %${vs}; its rephrase-hard falls to ${pts(lowest)} % (lowest evaluation), injection rate ${mean(p.injectionRate).toFixed(2)}`;
}
