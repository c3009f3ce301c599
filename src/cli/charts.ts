// npm run charts — PNG charts of greedy eval accuracy over steps (mean ± sd over seeds) from JSONL runs.
//   npm run charts -- --dir runs/experiment --name experiment            one line per algorithm in the folder
//   npm run charts -- --series "RePO q-first=runs/h1-qfirst:repo" --series "RePO k-first=runs/experiment:repo" --name h1
//   npm run charts -- --from-summary docs/results/experiment.json                      the committed summary (no JSONL needed)
// Writes <out>/<name>-hard.png, -rephrase-hard.png and -easy.png.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { evalCurve, parseRun, type EvalPoint, type RunFile } from './experimentTable';
import { fail } from './args';
import { chartsCommand } from './commands';
import { parseOrExit } from './node';
import { colourFor, lineChartSvg, meanBand, type Series } from './svgChart';

const cmd = chartsCommand();

function runsIn(dir: string): RunFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  } catch (e) {
    fail(`cannot read ${dir}: ${(e as Error).message}`);
  }
  return names.map((f) => {
    try {
      return parseRun(readFileSync(join(dir, f), 'utf8'), f);
    } catch (e) {
      fail(`${join(dir, f)}: ${(e as Error).message}`);
    }
  });
}

type Group = { label: string; curves: EvalPoint[][] };
const fromRuns = (label: string, runs: RunFile[]): Group => ({ label, curves: runs.map(evalCurve) });

function fromSummary(file: string): Group[] {
  try {
    const rows = (JSON.parse(readFileSync(file, 'utf8')) as { rows: { algo: string; label?: string; curves: EvalPoint[][] }[] }).rows;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r.curves))) throw new Error('no rows with eval curves');
    return rows.map((r) => ({ label: r.label ?? r.algo, curves: r.curves }));
  } catch (e) {
    fail(`--from-summary ${file}: ${(e as Error).message}`);
  }
}

function collect(o: { dir: string; series: string[]; fromSummary?: string }): Group[] {
  if (o.fromSummary) return fromSummary(o.fromSummary);
  if (o.series.length === 0) {
    const runs = runsIn(o.dir);
    if (runs.length === 0) fail(`no complete runs (*.jsonl) in ${o.dir}`);
    const algos = [...new Set(runs.map((r) => r.header.algo))];
    return algos.map((a) => fromRuns(a, runs.filter((r) => r.header.algo === a)));
  }
  return o.series.map((spec) => {
    const m = /^([^=]+)=([^:]+)(?::(\w+))?$/.exec(spec);
    if (!m) fail(`--series takes label=dir[:algo], got "${spec}"`);
    const runs = runsIn(m[2]).filter((r) => !m[3] || r.header.algo === m[3]);
    if (runs.length === 0) fail(`--series "${spec}": no complete runs${m[3] ? ` of ${m[3]}` : ''} in ${m[2]}`);
    return fromRuns(m[1], runs);
  });
}

function main() {
  parseOrExit(cmd);
  const o = cmd.opts<{ dir: string; series: string[]; fromSummary?: string; name: string; title: string; out: string }>();
  const groups = collect(o);
  try {
    mkdirSync(o.out, { recursive: true });
  } catch (e) {
    fail(`cannot write ${o.out}: ${(e as Error).message}`);
  }
  const metrics = [
    { key: 'hard', file: 'hard', title: 'Hard accuracy (4 digits, unaided)' },
    { key: 'rephraseHard', file: 'rephrase-hard', title: 'Rephrase-hard accuracy (reading P(q,k))' },
    { key: 'easy', file: 'easy', title: 'Easy accuracy (1–3 digits)' },
  ] as const;
  for (const m of metrics) {
    const series: Series[] = groups.map((g, i) => ({ label: g.label, colour: colourFor(g.label, i), points: meanBand(g.curves.map((c) => c.map((p) => ({ x: p.step, y: p[m.key] })))) }));
    const svg = lineChartSvg({ title: `${o.title ? `${o.title}: ` : ''}${m.title}`, xLabel: 'training step', yLabel: 'greedy accuracy on the fixed eval set', series });
    const png = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'width', value: 1080 } }).render().asPng();
    const path = join(o.out, `${o.name}-${m.file}.png`);
    writeFileSync(path, png);
    console.log(`${path} (${groups.map((g) => `${g.label}: ${g.curves.length} runs`).join(', ')})`);
  }
}

main();
