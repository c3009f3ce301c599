// npm run ablate — the ρ × δ grid: every (ρ, δ, seed) cell is one child process that trains from the
// start checkpoint for --steps steps and evaluates greedily on the fixed easy and hard sets. Writes a JSON
// grid file (which the app can open and draw) and a markdown table; checks C4 (injection rate
// non-increasing in ρ). `--cell` is the child's mode and prints one JSON line.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { runAblationCell } from '../core/ablation';
import { ABLATION_DEFAULTS as D } from '../core/ablationGrid';
import { ablationCellsFile, gridMarkdown, summariseGrid, type CellRun } from '../core/ablationFile';
import { defaultConfig, type Config } from '../core/config';
import { evaluate } from '../core/eval';
import { fixedEvalSets } from '../core/evalsets';
import { fail, int, list } from './args';
import { pool, runTsx } from './children';
import { DEFAULT_CHECKPOINT, loadCheckpoint, nodeBackend, parseOrExit } from './node';
import { addConfigOptions, configFromOptions } from './options';

const unit = (name: string) => (v: string) => {
  const xs = list(name, null)(v).map(Number);
  if (xs.some((x) => !Number.isFinite(x) || x < 0 || x > 1)) fail(`--${name} takes numbers in [0, 1], got "${v}"`);
  return [...new Set(xs)].sort((a, b) => a - b);
};

const cmd = addConfigOptions(new Command('ablate').description('Runs a ρ × δ grid of short RePO (or LUFFY) runs as parallel child processes; writes a JSON grid file and a markdown table'))
  .option('--rhos <list>', 'values of ρ', unit('rhos'), [...D.rhos])
  .option('--deltas <list>', 'values of δ', unit('deltas'), [...D.deltas])
  .option('--seeds <list>', 'seeds per cell', (v: string) => list('seeds', null)(v).map((s) => int('seeds', 0, 2 ** 31 - 1)(s)), [...D.seeds])
  .option('--cell-steps <n>', 'training steps per cell', int('cell-steps', 1, 100000), D.cellSteps)
  .option('--eval-size <n>', 'problems per fixed eval set', int('eval-size', 10, 2000), D.evalSize)
  .option('--jobs <n>', 'cells at once (one core each)', int('jobs', 1, 16), 2)
  .option('--out <file>', 'JSON grid file', 'runs/ablate/grid.json')
  .option('--md <file>', 'markdown table (default: the JSON path with .md)')
  .option('--checkpoint <dir>', 'start checkpoint', DEFAULT_CHECKPOINT)
  .option('--backend <name>', 'wasm | cpu | webgpu', 'wasm')
  .option('--no-progress', 'no progress bar')
  .option('--cell <json>', '(internal) run one cell and print its result as JSON');

interface Opts {
  rhos: number[];
  deltas: number[];
  seeds: number[];
  cellSteps: number;
  evalSize: number;
  jobs: number;
  out: string;
  md?: string;
  checkpoint: string;
  backend: string;
  progress: boolean;
  cell?: string;
}

/** Child mode: one (ρ, δ, seed) cell; prints its CellRun as one JSON line. */
async function runCell(o: Opts, config: Config): Promise<void> {
  const { rho, delta, seed } = JSON.parse(o.cell!) as { rho: number; delta: number; seed: number };
  await nodeBackend(o.backend);
  const { model, task } = await loadCheckpoint(o.checkpoint);
  const r = await runAblationCell(task, model, { ...config, seed }, { rho, delta }, o.cellSteps, o.evalSize, () => false);
  const run: CellRun = { ...r!, seed }; // never cancelled here, so r is a result
  process.stdout.write(JSON.stringify(run) + '\n');
}

/** One cell in a child process: this script again, with this run's flags and `--cell`. */
async function child(argv: string[], cell: { rho: number; delta: number; seed: number }): Promise<CellRun> {
  const out = await runTsx([process.argv[1], ...argv, '--cell', JSON.stringify(cell), '--no-progress'], `cell ρ=${cell.rho} δ=${cell.delta} seed ${cell.seed}`);
  return JSON.parse(out.split('\n').pop()!) as CellRun;
}

async function main() {
  parseOrExit(cmd);
  const o = cmd.opts<Opts>();
  const config = configFromOptions(cmd.opts(), defaultConfig());
  if (config.algo !== 'repo' && config.algo !== 'luffy') fail(`--algo must be repo or luffy for a ρ × δ grid (ρ and δ do nothing for ${config.algo})`);
  if (o.cell) return runCell(o, config);

  // The children get this run's flags (config, checkpoint, budget); in --cell mode they ignore the rest.
  const argv = process.argv.slice(2);
  const md = o.md ?? o.out.replace(/\.json$/, '') + '.md';
  // Fail on an unwritable path before any work; outputs are written under .partial and renamed at the end.
  for (const f of [o.out, md]) {
    try {
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(`${f}.partial`, '');
    } catch (e) {
      fail(`cannot write ${f}: ${(e as Error).message}`);
    }
  }
  process.on('exit', () => [o.out, md].forEach((f) => rmSync(`${f}.partial`, { force: true })));
  await nodeBackend(o.backend);
  const { model, task } = await loadCheckpoint(o.checkpoint);
  const sets = fixedEvalSets(task, o.evalSize);
  const base = { easy: (await evaluate(model, task, sets.easy)).accuracy, hard: (await evaluate(model, task, sets.hard)).accuracy };
  model.dispose();

  const cells = o.rhos.flatMap((rho) => o.deltas.flatMap((delta) => o.seeds.map((seed) => ({ rho, delta, seed }))));
  const total = cells.length;
  const runs: CellRun[] = [];
  const bar = o.progress ? new SingleBar({ format: `ρ × δ [{bar}] {value}/{total} cells | ETA {eta_formatted} | last {last}`, stream: process.stderr, hideCursor: true }) : null;
  bar?.start(total, 0, { last: '-' });
  const t0 = Date.now();
  try {
    await pool(cells, o.jobs, async (cell) => {
      const r = await child(argv, cell);
      runs.push(r);
      const last = `ρ=${r.rho} δ=${r.delta} s${r.seed}: hard ${(100 * r.hardAcc).toFixed(1)} %, inject ${r.injectionRate.toFixed(2)}`;
      if (bar) bar.update(runs.length, { last });
      else process.stderr.write(`[${runs.length}/${total}] ${last}\n`);
    });
  } catch (e) {
    bar?.stop();
    fail((e as Error).message);
  }
  bar?.stop();
  const file = ablationCellsFile({ algo: config.algo, config, checkpoint: o.checkpoint, rhos: o.rhos, deltas: o.deltas, seeds: o.seeds, stepsPerCell: o.cellSteps, evalSize: o.evalSize, base, seconds: (Date.now() - t0) / 1000 }, runs);
  const table = gridMarkdown(file, summariseGrid(file));
  writeFileSync(`${o.out}.partial`, JSON.stringify(file, null, 1) + '\n');
  writeFileSync(`${md}.partial`, table + '\n');
  for (const f of [o.out, md]) renameSync(`${f}.partial`, f);
  console.log(table);
  console.log(`\n(${o.out}, ${md}; ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

main().catch((e) => fail((e as Error).message));
