// npm run ablate — the ρ × δ grid: every (ρ, δ, seed) cell is one child process that trains from the
// start checkpoint for --steps steps and evaluates greedily on the fixed easy and hard sets. Writes a JSON
// grid file (which the app can open and draw) and a markdown table; checks C4 (injection rate
// non-increasing in ρ). `--cell` is the child's mode and prints one JSON line.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SingleBar } from 'cli-progress';
import { runAblationCell } from '../core/ablation';
import { ablationCellsFile, gridMarkdown, summariseGrid, type CellRun } from '../core/ablationFile';
import { defaultConfig, type Config } from '../core/config';
import { evaluate } from '../core/eval';
import { fixedEvalSets } from '../core/evalsets';
import { fail } from './args';
import { pool, runTsx } from './children';
import { ablateCommand } from './commands';
import { loadCheckpoint, nodeBackend, parseOrExit } from './node';
import { configFromOptions } from './options';

const cmd = ablateCommand();

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
