// Every CLI's flags in one place (the parse layer), each command built fresh by a function, so tests can
// parse thousands of generated argument lists in-process (cli/fuzz.test.ts) without running a command.
// The work each command does stays in its own file (train.ts, ablate.ts, …).
import { Command, Option } from 'commander';
import { ABLATION_DEFAULTS as AD } from '../core/ablationGrid';
import { NODE_BACKENDS, NODE_ORDER } from '../core/backendNames';
import { CONFIG, type Algo } from '../core/config';
import { TARGETS } from '../core/export/exportConfig';
import { PRETRAIN_DEFAULTS } from '../core/pretrain';
import { choice, int, ints, list, num, nums } from './args';
import { addConfigOptions } from './options';

export const DEFAULT_CHECKPOINT = 'public/checkpoints/base';
const SEED_MAX = 2 ** 31 - 1;

/**
 * The rows of the experiment table: the four algorithms at the default config, and the paper's RePO (no
 * training of o_rep under P(q,k)) one flag away, so its row stays beside the default's (docs/SCIENCE.md).
 */
export const VARIANTS = {
  grpo: { algo: 'grpo', args: [] },
  repo: { algo: 'repo', args: [] },
  'repo-paper': { algo: 'repo', args: ['--repoTrainPrompt', 'false'] },
  luffy: { algo: 'luffy', args: [] },
  sft: { algo: 'sft', args: [] },
} as const satisfies Record<string, { algo: Algo; args: string[] }>;
export type Variant = keyof typeof VARIANTS;
export const VARIANT_NAMES = Object.keys(VARIANTS) as Variant[];

const backend = () => new Option('--backend <name>', NODE_BACKENDS.join(' | ')).argParser(choice('backend', NODE_BACKENDS)).default('wasm');

export function trainCommand(): Command {
  return addConfigOptions(new Command('train').description('Train the base policy with GRPO, RePO, LUFFY or SFT; writes StepRecords as JSON lines'))
    .option('--out <file>', 'JSON-lines output (header, one StepRecord per step, final eval)')
    .option('--checkpoint <dir>', 'start checkpoint folder', DEFAULT_CHECKPOINT)
    .addOption(backend())
    .option('--no-progress', 'no progress bar');
}

export function pretrainCommand(): Command {
  const phases = PRETRAIN_DEFAULTS.phases;
  return new Command('pretrain')
    .description(`Supervised pretraining of the base policy (${phases.length} phases: ${phases.map((p) => `${p.steps} steps`).join(' + ')}); writes <out>/model.json + weights.bin`)
    .option('--from-phase <k>', 'first phase to run (with --init)', int('from-phase', 1, phases.length), 1)
    .option('--to-phase <k>', 'last phase to run', int('to-phase', 1, phases.length), phases.length)
    .option('--init <dir>', 'start from this checkpoint instead of fresh weights')
    .option('--batch-size <n>', 'examples per step', int('batch-size', 1, 1024), PRETRAIN_DEFAULTS.batchSize)
    .option('--eval-every <n>', 'greedy eval every n steps (0 = only at the end)', int('eval-every', 0, 100000), 500)
    .option('--eval-size <n>', 'problems per eval set', int('eval-size', 10, 5000), 300)
    .addOption(backend())
    .option('--out <dir>', 'checkpoint folder', DEFAULT_CHECKPOINT);
}

export function experimentCommand(): Command {
  return new Command('experiment')
    .description('Runs every algorithm × seed with `train`, then prints the results table and writes it into the README')
    .option('--algos <list>', 'rows to run (repo-paper: RePO as the paper, --repoTrainPrompt false)', list('algos', VARIANT_NAMES), [...VARIANT_NAMES])
    .option('--seeds <list>', 'seeds', ints('seeds', 0, SEED_MAX), [1, 2, 3])
    .option('--steps <n>', 'steps per run', int('steps', 1, 100000), CONFIG.steps.default)
    .option('--jobs <n>', 'runs at once (one core each)', int('jobs', 1, 16), 2)
    .option('--dir <dir>', 'where the runs are written', 'runs/experiment')
    .option('--checkpoint <dir>', 'start checkpoint', DEFAULT_CHECKPOINT)
    .addOption(backend())
    .option('--summary <file>', 'compact JSON of every row (eval curves, table numbers) for the docs; the JSONL runs are too big to commit', 'docs/results/experiment.json')
    .option('--readme <file>', 'README to write the table into', 'README.md')
    .option('--no-readme', 'only print the table')
    .option('--report-only', 'do not train: build the table from the runs already in --dir')
    .option('--train-args <args>', 'extra flags for every train run, e.g. "--lr 5e-5"', '');
}

export function benchCommand(): Command {
  return new Command('bench')
    .description('Prints speed and memory figures for each Node backend and the browser')
    .option('--backends <list>', `comma-separated, of ${NODE_BACKENDS.join(', ')}`, list('backends', NODE_BACKENDS), [...NODE_ORDER])
    .option('--steps <n>', 'timed default RL steps per backend (after one warm-up step)', int('steps', 1, 1000), 5)
    .option('--growth-steps <n>', 'steps between the two tensor counts', int('growth-steps', 1, 10000), 100)
    .option('--checkpoint <dir>', 'start checkpoint', DEFAULT_CHECKPOINT)
    .option('--json <file>', 'also write the figures per backend as JSON')
    .option('--no-browser', 'skip the headless-Chromium figures')
    .option('--profile', 'instead: per-kernel times of the core of a default step on the first of --backends (wasm, cpu: CPU time; webgpu: host-side wall clock, plus GPU time where timestamp queries work)')
    .option('--compare-torch', 'the core of a default step on tfjs (the first of --backends; wasm: 1 thread) and in PyTorch (bench/torch_ref.py) side by side')
    .option('--torch-device <device>', 'with --compare-torch: cpu (one thread) or cuda (the GPU, eager)', choice('torch-device', ['cpu', 'cuda'] as const), 'cpu')
    .option('--python <exe>', 'with --compare-torch: the Python that has torch (default: python3, else /usr/bin/python3)')
    .option('--probe', "also run auto mode's backend probe (src/core/probe.ts) on --backends, with cpu as the numerics reference, and print its choice")
    .option('--host-cost <mode>', "instead: WebGPU's host cost per step without a GPU. record: --steps default steps on the adapter, every readback kept in --tape; replay: the same steps on Dawn's null backend fed the tape (src/cli/hostCost.ts)", choice('host-cost', ['record', 'replay'] as const))
    .option('--tape <file>', 'with --host-cost: the readback tape')
    .option('--rounds <n>', 'with --host-cost replay: replays of the tape', int('rounds', 1, 100), 3)
    .option('--small', 'with --host-cost record: small RePO steps (B 2, G 4, 24 new tokens; seconds on SwiftShader) instead of default ones')
    .option('--determinism', 'instead: train --steps default steps twice from the checkpoint on the first of --backends and compare the records bit for bit (timings left out)')
    .option('--gpu-pool-floor <MB>', 'webgpu: free GPU memory the buffer pool may always keep (default 64; larger creates fewer buffers per step, src/core/gpuBufferClasses.ts)', int('gpu-pool-floor', 1, 65536), 64);
}

export function checkBaseCommand(): Command {
  return new Command('check-base')
    .description('Acceptance check: supervised 4-digit demonstrations must raise unaided 4-digit accuracy within --steps steps')
    .option('--checkpoint <dir>', 'checkpoint to check', DEFAULT_CHECKPOINT)
    .option('--steps <n>', 'supervised steps', int('steps', 1, 10000), 150)
    .option('--batch-size <n>', 'demonstrations per step', int('batch-size', 1, 256), 16)
    .option('--rephrase-share <x>', 'share of the demonstrations given as P(q,k) → own style instead of q → own style', num('rephrase-share', 0, 1), 0)
    .option('--easy-share <x>', 'share of the batch that is easy (1–3 digit) own-style examples', num('easy-share', 0, 1), 0)
    .option('--max-digits <n>', 'demonstrations use --digits to --max-digits digits (default: --digits)', int('max-digits', 1, 5))
    .option('--lr <x>', 'learning rate (default: the RL default)', num('lr', 0, 1, { minOpen: true }), CONFIG.lr.default)
    .option('--digits <n>', 'difficulty trained and measured', int('digits', 1, 5), 4)
    .option('--eval-size <n>', 'problems in the fixed eval set', int('eval-size', 10, 2000), 200)
    .option('--eval-every <n>', 'measure every n steps', int('eval-every', 1, 10000), 50)
    .option('--min-gain <x>', 'required rise in accuracy (fraction)', num('min-gain', 0, 1, { minOpen: true }), 0.1)
    .addOption(backend());
}

export function exportConfigCommand(): Command {
  return addConfigOptions(
    new Command('export-config').description('Print the settings as a TRL GRPOConfig (Python) or a verl override (YAML), with comments where a setting has no counterpart'),
  ).addOption(new Option('--to <target>', 'trl (Python), verl (YAML), or table (the README mapping table)').choices([...TARGETS, 'table']).makeOptionMandatory());
}

export function ablateCommand(): Command {
  return addConfigOptions(new Command('ablate').description('Runs a ρ × δ grid of short RePO (or LUFFY) runs as parallel child processes; writes a JSON grid file and a markdown table'))
    .option('--rhos <list>', 'values of ρ', nums('rhos', 0, 1), [...AD.rhos])
    .option('--deltas <list>', 'values of δ', nums('deltas', 0, 1), [...AD.deltas])
    .option('--seeds <list>', 'seeds per cell', ints('seeds', 0, SEED_MAX), [...AD.seeds])
    .option('--cell-steps <n>', 'training steps per cell', int('cell-steps', 1, 100000), AD.cellSteps)
    .option('--eval-size <n>', 'problems per fixed eval set', int('eval-size', 10, 2000), AD.evalSize)
    .option('--jobs <n>', 'cells at once (one core each)', int('jobs', 1, 16), 2)
    .option('--out <file>', 'JSON grid file', 'runs/ablate/grid.json')
    .option('--md <file>', 'markdown table (default: the JSON path with .md)')
    .option('--checkpoint <dir>', 'start checkpoint', DEFAULT_CHECKPOINT)
    .addOption(backend())
    .option('--no-progress', 'no progress bar')
    .option('--cell <json>', '(internal) run one cell and print its result as JSON');
}

export function chartsCommand(): Command {
  return new Command('charts')
    .description('Draws eval accuracy over steps (mean ± sd over seeds) from JSONL runs as PNG files')
    .option('--dir <dir>', 'a folder of runs: one series per algorithm', 'runs/experiment')
    .option('--series <label=dir[:algo]>', 'a named series: the runs in dir (only those of algo, if given); repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--from-summary <file>', 'draw the rows of a summary written by npm run experiment instead of JSONL runs')
    .option('--name <name>', 'file name prefix', 'experiment')
    .option('--title <text>', 'title prefix', '')
    .option('--out <dir>', 'output folder', 'docs/charts');
}

export function stampCommand(): Command {
  return new Command('stamp-checkpoint')
    .description('Writes the SHA-256 of each checkpoint\'s weights into its model.json (checkpoints saved before checksums existed); refuses a checkpoint whose stamp no longer matches unless --force')
    .argument('<dir...>', 'checkpoint folders (model.json + weights.bin)')
    .option('--force', 'replace a checksum that does not match the weights (only for weights you know are good)');
}

/** Every command by its npm script name, for tests that go over all of them. */
export const COMMANDS = {
  train: trainCommand,
  pretrain: pretrainCommand,
  experiment: experimentCommand,
  bench: benchCommand,
  'check-base': checkBaseCommand,
  'export-config': exportConfigCommand,
  ablate: ablateCommand,
  charts: chartsCommand,
  'stamp-checkpoint': stampCommand,
} as const;
