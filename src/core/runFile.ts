// A training run read back from a file, to inspect it like a live one: the JSONL that `npm run train --
// --out run.jsonl` writes (a header line, one StepRecord per line, a last {final} line) or the app's own
// JSON export (the same header with `records`). Pure; validated with zod so that a foreign, corrupt or
// truncated file is one readable line and never half a run.
import { z } from 'zod';
import { algorithm } from './algorithms/registry';
import { ALGOS, defaultConfig, type Algo, type Config } from './config';
import type { StepRecord, StepSettings } from './record';

const algo = z.enum(ALGOS as [Algo, ...Algo[]]);

const headerSchema = z.object({
  config: z.looseObject({ rho: z.number(), delta: z.number() }),
  algo,
  seed: z.number(),
  backend: z.string(),
  checkpoint: z.string(),
  task: z.string().optional(),
  checkpointNote: z.unknown().optional(),
});
export type RunFileHeader = z.infer<typeof headerSchema>;

// A light check of a StepRecord: the fields the charts, strips, inspector and histograms read first.
const num = z.number().nullable(); // JSON writes NaN and ±Infinity as null
const ratioStats = z.looseObject({ count: z.number(), histogram: z.object({ edges: z.array(num), counts: z.array(num) }) });
const bySource = z.object({ policy: ratioStats, rephrase: ratioStats, expert: ratioStats });
const settingsSchema = z.looseObject({
  config: z.looseObject({ rho: z.number(), delta: z.number() }),
  method: z.looseObject({ objective: z.enum(['policy-gradient', 'cross-entropy']), gate: z.object({ rho: z.number(), delta: z.number() }).nullable() }),
});
const recordSchema = z.object({
  step: z.number().int().nonnegative(),
  algo,
  settings: settingsSchema.optional(), // absent in files written before records carried their settings
  groups: z.array(z.looseObject({ question: z.string(), decision: z.string(), rollouts: z.array(z.looseObject({ text: z.string(), tokens: z.array(z.string()) })) })),
  metrics: z.looseObject({
    rewardMean: num,
    injectionRate: num,
    loss: num,
    ratio: bySource,
    logRatio: bySource,
    behaviourLogRatio: bySource,
    styleShare: z.object({ own: num, expert: num, malformed: num }),
    updateSkipped: z.boolean(),
    updates: z.number(),
  }),
});

const finalSchema = z.object({ final: z.looseObject({ easy: num, hard: num, rephraseHard: num }) });

export interface RunFile {
  header: RunFileHeader;
  records: StepRecord[];
  /** The CLI's closing evaluation; null for an app export or a run stopped before its end. */
  final: { easy: number; hard: number; rephraseHard: number; step?: number; seconds?: number } | null;
  format: 'jsonl' | 'export';
}

const issue = (e: z.ZodError) => {
  const i = e.issues[0];
  return `${i.path.join('.') || 'top level'}: ${i.message}`;
};

/** JSON writes NaN as null; the views expect numbers, so the metrics' nulls become NaN again. */
function nullsToNaN<T>(v: T): T {
  if (v === null) return NaN as T;
  if (Array.isArray(v)) return v.map(nullsToNaN) as T;
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, nullsToNaN(x)])) as T;
  return v;
}

/** Files from before records carried their settings: the header's config (today's defaults for keys it lacks). */
function legacySettings(header: RunFileHeader, algo: Algo): StepSettings {
  const config = { ...defaultConfig(), ...(header.config as Partial<Config>), algo };
  return { config, method: algorithm(algo).describe(config) };
}

function checkRecord(json: unknown, name: string, line: number, header: RunFileHeader): StepRecord {
  const r = recordSchema.safeParse(json);
  if (!r.success) throw new Error(`${name}, line ${line}: not a step record (${issue(r.error)})`);
  const rec = json as StepRecord;
  return { ...rec, settings: rec.settings ?? legacySettings(header, rec.algo), metrics: nullsToNaN(rec.metrics) };
}

function checkHeader(json: unknown, name: string): RunFileHeader {
  if (json && typeof json === 'object' && 'rhos' in json && 'deltas' in json) throw new Error(`${name} is a ρ × δ grid file, not a training run: open it in the ablation panel`);
  const h = headerSchema.safeParse(json);
  if (!h.success) throw new Error(`${name} is not a training run from npm run train (header: ${issue(h.error)})`);
  return h.data;
}

/** Parses a run file's text; throws one line for anything that is not a whole run. `name` goes in messages. */
export function parseRunFile(text: string, name = 'run.jsonl'): RunFile {
  const lines = text.split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new Error(`${name} is empty`);
  const parsed: unknown[] = [];
  for (let i = 0; i < lines.length; i++) {
    try {
      parsed.push(JSON.parse(lines[i]));
    } catch {
      if (i === lines.length - 1 && i > 0) throw new Error(`${name} is truncated at line ${i + 1}`);
      throw new Error(i === 0 ? `${name} is not a training run: line 1 is not JSON${lines.length === 1 ? ' (truncated?)' : ''}` : `${name} is corrupt at line ${i + 1} (not JSON)`);
    }
  }
  const first = parsed[0];
  // The app's own export: one JSON object, the header plus `records`.
  if (parsed.length === 1 && first && typeof first === 'object' && Array.isArray((first as { records?: unknown }).records)) {
    const { records, ...head } = first as { records: unknown[] };
    const header = checkHeader(head, name);
    return { header, records: records.map((r, i) => checkRecord(r, name, i + 1, header)), final: null, format: 'export' };
  }
  const header = checkHeader(first, name);
  const records: StepRecord[] = [];
  let final: RunFile['final'] = null;
  for (let i = 1; i < parsed.length; i++) {
    const json = parsed[i];
    if (json && typeof json === 'object' && 'final' in json) {
      const f = finalSchema.safeParse(json);
      if (!f.success) throw new Error(`${name}, line ${i + 1}: not a final evaluation (${issue(f.error)})`);
      if (i !== parsed.length - 1) throw new Error(`${name}, line ${i + 1}: the final evaluation is not the last line`);
      final = nullsToNaN(f.data.final) as RunFile['final'];
      continue;
    }
    const rec = checkRecord(json, name, i + 1, header);
    if (rec.algo !== header.algo) throw new Error(`${name}, line ${i + 1}: a ${rec.algo} step in a ${header.algo} run`);
    if (records.length && rec.step <= records[records.length - 1].step) throw new Error(`${name}, line ${i + 1}: step ${rec.step} does not follow step ${records[records.length - 1].step}`);
    records.push(rec);
  }
  if (records.length === 0) throw new Error(`${name} has a header but no steps`);
  return { header, records, final, format: 'jsonl' };
}
