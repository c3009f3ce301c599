// Run exports: JSON (a header like the CLI's first line, then every kept StepRecord) and CSV
// (one row of scalar metrics per step, for spreadsheets and pandas).
import type { Config } from '../core/config';
import { SOURCES, type StepMetrics, type StepRecord } from '../core/record';

export interface RunHeader {
  config: Config;
  algo: string;
  seed: number;
  backend: string;
  checkpoint: string;
}

export function runToJSON(header: RunHeader, records: StepRecord[]): string {
  return JSON.stringify({ ...header, records }, null, 0);
}

type Column = [name: string, get: (m: StepMetrics) => number | boolean | null | undefined]; // null/undefined: an empty cell

const COLUMNS: Column[] = [
  ...(['rewardMean', 'injectionRate', 'loss', 'entropy', 'kl', 'gradNorm', 'clipFracLow', 'clipFracHigh', 'clipFracRegion'] as const).map(
    (k): Column => [k, (m) => m[k]],
  ),
  ...(['own', 'expert', 'malformed'] as const).map((s): Column => [`style.${s}`, (m) => m.styleShare[s]]),
  ...SOURCES.flatMap((s): Column[] => [
    [`ratio.${s}.mean`, (m) => (m.ratio[s].count ? m.ratio[s].mean : undefined)],
    [`logRatio.${s}.variance`, (m) => (m.logRatio[s].count ? m.logRatio[s].variance : undefined)],
  ]),
  ['evalEasy', (m) => m.evalEasy],
  ['evalHard', (m) => m.evalHard],
  ['evalRephraseHard', (m) => m.evalRephraseHard],
  ['updateSkipped', (m) => m.updateSkipped],
  ['stepMs', (m) => m.stepMs],
  ['genTokensPerSec', (m) => m.genTokensPerSec],
  ['numTensors', (m) => m.numTensors],
];

function cell(v: number | boolean | null | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return Number.isFinite(v) ? String(v) : '';
}

/** One row per step; empty cells where a metric was not measured (e.g. eval between eval steps). */
export function metricsToCSV(rows: (StepMetrics & { step: number; algo: string })[]): string {
  const head = ['step', 'algo', ...COLUMNS.map((c) => c[0])].join(',');
  const body = rows.map((r) => [String(r.step), r.algo, ...COLUMNS.map(([, get]) => cell(get(r)))].join(','));
  return [head, ...body].join('\n') + '\n';
}
