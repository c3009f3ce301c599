// npm run experiment — grpo, repo, luffy and sft × 3 seeds at the default budget, then the results
// table and claims C1–C3, printed and written into the README. Each run is a `train` child process
// (so a run here is exactly what `npm run train` does) and leaves its JSONL in --dir.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fail } from './args';
import { pool, runTsx } from './children';
import { claimLines, claims, paperLine, gateTable, markdownTable, parseRun, spliceReadme, summariseAlgo, type AlgoSummary, type RunFile } from './experimentTable';
import { experimentCommand, VARIANTS, type Variant } from './commands';
import { parseOrExit } from './node';

export { VARIANTS }; // defined with the flags (commands.ts); here for existing importers

const cmd = experimentCommand();

interface Opts {
  algos: Variant[];
  seeds: number[];
  steps: number;
  jobs: number;
  dir: string;
  checkpoint: string;
  backend: string;
  readme: string | false;
  summary: string;
  reportOnly?: boolean;
  trainArgs: string;
}

const runPath = (o: Opts, algo: Variant, seed: number) => join(o.dir, `${algo}-seed${seed}.jsonl`);

function train(o: Opts, algo: Variant, seed: number): Promise<string> {
  const args = ['src/cli/train.ts', '--algo', VARIANTS[algo].algo, ...VARIANTS[algo].args, '--seed', String(seed), '--steps', String(o.steps), '--checkpoint', o.checkpoint, '--backend', o.backend, '--out', runPath(o, algo, seed), '--no-progress'];
  if (o.trainArgs.trim()) args.push(...o.trainArgs.trim().split(/\s+/));
  return runTsx(args, `${algo} seed ${seed}`);
}

async function runAll(o: Opts): Promise<void> {
  mkdirSync(o.dir, { recursive: true });
  const runs = o.algos.flatMap((a) => o.seeds.map((s) => [a, s] as const));
  const total = runs.length;
  let done = 0;
  const t0 = Date.now();
  await pool(runs, o.jobs, async (run) => {
    const line = await train(o, ...run);
    done++;
    const elapsed = (Date.now() - t0) / 1000;
    process.stderr.write(`[${done}/${total}] ${line} | elapsed ${elapsed.toFixed(0)} s, ETA ${((elapsed / done) * (total - done)).toFixed(0)} s\n`);
  });
}

function report(o: Opts): string {
  const by: Partial<Record<Variant, AlgoSummary>> = {};
  let steps = o.steps;
  let gate = '';
  for (const algo of o.algos) {
    const runs: RunFile[] = o.seeds.map((s) => runPath(o, algo, s)).filter(existsSync).map((p) => parseRun(readFileSync(p, 'utf8'), p));
    if (runs.length) by[algo] = { ...summariseAlgo(runs), label: algo };
    if (runs.length) steps = Number(runs[0].header.config.steps);
    if (algo === 'grpo' && runs.length) gate = `\n\n${gateTable(runs)}`; // GRPO never injects: γ_fail of the policy alone
  }
  const rows = o.algos.map((a) => by[a]).filter((x): x is AlgoSummary => !!x);
  if (rows.length === 0) fail(`no complete runs in ${o.dir}`);
  try {
    mkdirSync(dirname(o.summary), { recursive: true });
    writeFileSync(o.summary, JSON.stringify({ dir: o.dir, steps, rows: Object.values(by) }, null, 1) + '\n');
  } catch (e) {
    fail(`could not write --summary ${o.summary}: ${(e as Error).message}`);
  }
  const paper = by['repo-paper'] ? `\n${paperLine(by['repo-paper'], by.grpo)}` : '';
  return `${markdownTable(rows, steps)}\n\n${claimLines(claims(by))}${paper}${gate}`;
}

async function main() {
  parseOrExit(cmd);
  const o = cmd.opts<Opts>();
  if (!o.reportOnly) {
    if (!existsSync(join(o.checkpoint, 'model.json'))) fail(`checkpoint ${o.checkpoint}: model.json missing`);
    await runAll(o);
  }
  const block = report(o);
  console.log(block);
  if (o.readme) {
    try {
      writeFileSync(o.readme, spliceReadme(readFileSync(o.readme, 'utf8'), block));
      console.log(`\n(written into ${o.readme})`);
    } catch (e) {
      fail(`could not write the table into ${o.readme}: ${(e as Error).message}`);
    }
  }
}

main().catch((e) => fail((e as Error).message));
