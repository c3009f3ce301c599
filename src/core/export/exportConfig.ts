// The current settings as a TRL config (Python) and as a verl override (YAML), plus the README's
// mapping table, all from the rows in mapping.ts. Pure: used by the CLI and by the app's export dialog.
import { CONFIG_KEYS, defaultConfig, type Config } from '../config';
import { ROWS, SFT_NOTE_KEYS, type Field, type Line, type Scalar } from './mapping';

export type Target = 'trl' | 'verl';
export const TARGETS: Target[] = ['trl', 'verl'];
export const TRL_DOCS = 'https://huggingface.co/docs/trl/main/en/grpo_trainer';
export const TRL_SFT_DOCS = 'https://huggingface.co/docs/trl/main/en/sft_trainer';
export const VERL_DOCS = 'https://verl.readthedocs.io/en/latest/algo/grpo.html';

const isField = (l: Line): l is Field => 'key' in l;

/** The CLI line that reproduces this export: only the settings that differ from the defaults. */
export function commandLine(c: Config, to: Target): string {
  const d = defaultConfig();
  const flags = CONFIG_KEYS.filter((k) => c[k] !== d[k]).map((k) => `--${k} ${String(c[k])}`);
  return ['npm run export-config -- --to', to, ...flags].join(' ');
}

function lines(c: Config, to: Target): Line[] {
  const rows = c.algo === 'sft' ? ROWS.filter((r) => r.keys.some((k) => SFT_NOTE_KEYS.includes(k))) : ROWS;
  return rows.flatMap((r) => (to === 'trl' ? r.trlLines(c) : r.verlLines(c)));
}

/** Numbers as both Python and YAML read them: floats keep a decimal point (1.0, 1.0e-07). */
export function formatNumber(n: number, float = false): string {
  if (!Number.isFinite(n)) throw new Error(`cannot export ${n}`);
  const s = String(n);
  if (!float) return s;
  if (/e/.test(s)) return s.replace(/^(-?\d+)e/, '$1.0e').replace(/e(\d)/, 'e+$1');
  return /\./.test(s) ? s : `${s}.0`;
}

function py(v: Scalar, float?: boolean): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return formatNumber(v, float);
  return JSON.stringify(v);
}

// YAML 1.1 (PyYAML, which Hydra/OmegaConf use) reads these bare words as booleans or null.
const YAML_WORDS = /^(y|n|yes|no|on|off|true|false|null|~)$/i;
function yamlKey(k: string): string {
  return YAML_WORDS.test(k) ? `'${k}'` : k;
}
function yamlValue(v: Scalar, float?: boolean): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatNumber(v, float);
  return /^[A-Za-z_][\w.-]*$/.test(v) && !YAML_WORDS.test(v) ? v : `'${v.replace(/'/g, "''")}'`;
}

const trailing = (comment?: string) => (comment ? `  # ${comment}` : '');

/** A Python snippet building TRL's GRPOConfig (SFTConfig for algo=sft). */
export function toTrl(c: Config): string {
  const all = lines(c, 'trl');
  const cls = c.algo === 'sft' ? 'SFTConfig' : 'GRPOConfig';
  const fields = c.algo === 'sft' ? sftTrl(c) : all.filter(isField);
  const out = [
    `# TRL ${cls} for the playground's settings (algo ${c.algo}). Field names: ${c.algo === 'sft' ? TRL_SFT_DOCS : TRL_DOCS}`,
    `# ${commandLine(c, 'trl')}`,
    ...algoHeader(c, 'trl'),
    `from trl import ${cls}`,
    '',
    `training_args = ${cls}(`,
    ...fields.map((l) => `    ${l.key}=${py(l.value, l.float)},${trailing(l.comment)}`),
    ')',
  ];
  const notes = all.filter((l) => !isField(l));
  if (notes.length) out.push('', `# Settings with no ${cls} field:`, ...notes.map((l) => `# ${l.comment}`));
  return out.join('\n') + '\n';
}

/** A YAML override of verl's ppo_trainer config (its SFT trainer's config for algo=sft). */
export function toVerl(c: Config): string {
  const all = lines(c, 'verl');
  const fields = c.algo === 'sft' ? sftVerl(c) : all.filter(isField);
  const out = [
    `# verl override (Hydra YAML) for the playground's settings (algo ${c.algo}). Keys: ${c.algo === 'sft' ? 'verl/trainer/config/sft_trainer.yaml' : VERL_DOCS}`,
    `# ${commandLine(c, 'verl')}`,
    c.algo === 'sft'
      ? '# For verl.trainer.fsdp_sft_trainer (config sft_trainer.yaml).'
      : '# For verl.trainer.main_ppo: merge into ppo_trainer.yaml, or pass each key as path=value. Micro-batch sizes only trade memory.',
    ...algoHeader(c, 'verl'),
    ...renderTree(fields),
  ];
  const notes = all.filter((l) => !isField(l));
  if (notes.length) out.push('', "# Settings with no key in verl's config:", ...notes.map((l) => `# ${l.comment}`));
  return out.join('\n') + '\n';
}

const SECTION_ORDER = ['algorithm', 'data', 'actor_rollout_ref', 'optim', 'trainer'];

type Tree = Map<string, Tree | Field>;
function renderTree(fields: Field[]): string[] {
  const root: Tree = new Map();
  for (const f of fields) {
    const parts = f.key.split('.');
    let node = root;
    for (const p of parts.slice(0, -1)) {
      if (!node.has(p)) node.set(p, new Map());
      node = node.get(p) as Tree;
    }
    node.set(parts[parts.length - 1], f);
  }
  const rank = (k: string) => (SECTION_ORDER.includes(k) ? SECTION_ORDER.indexOf(k) : SECTION_ORDER.length);
  const top = [...root.keys()].sort((a, b) => rank(a) - rank(b));
  const out: string[] = [];
  const walk = (node: Tree, keys: string[], indent: string) => {
    for (const k of keys) {
      const v = node.get(k)!;
      if (v instanceof Map) {
        out.push(`${indent}${yamlKey(k)}:`);
        walk(v, [...v.keys()], `${indent}  `);
      } else out.push(`${indent}${yamlKey(k)}: ${yamlValue(v.value, v.float)}${trailing(v.comment)}`);
    }
  };
  walk(root, top, '');
  return out;
}

function algoHeader(c: Config, to: Target): string[] {
  if (c.algo === 'grpo') return ['# GRPO maps directly.'];
  if (c.algo === 'repo') return ['# RePO: the fields below are its GRPO part; where the rephrase-and-replace step plugs in is at the end.'];
  if (c.algo === 'luffy') return ['# LUFFY: the fields below are its GRPO-like part only; it needs its own trainer (see the end).'];
  return [to === 'trl' ? '# SFT on the expert traces: a prompt-completion dataset (question → expert solution), loss on the completion only.' : '# SFT on the expert traces: train_files of question → expert solution pairs.'];
}

function sftTrl(c: Config): Field[] {
  return [
    { key: 'per_device_train_batch_size', value: c.batchSize, comment: 'B expert traces per step' },
    { key: 'gradient_accumulation_steps', value: 1 },
    { key: 'learning_rate', value: c.lr, float: true },
    { key: 'lr_scheduler_type', value: 'constant' },
    { key: 'weight_decay', value: 0, float: true, comment: "Adam betas 0.9/0.999, eps 1e-8 are TRL's defaults" },
    { key: 'max_grad_norm', value: c.maxGradNorm, float: true, ...(c.maxGradNorm === 0 ? { comment: 'no clipping' } : {}) },
    { key: 'max_steps', value: c.steps },
    { key: 'seed', value: c.seed },
    { key: 'completion_only_loss', value: true, comment: 'cross-entropy on the solution, not the question' },
  ];
}

function sftVerl(c: Config): Field[] {
  return [
    { key: 'data.train_batch_size', value: c.batchSize, comment: 'B expert traces per step' },
    { key: 'optim.lr', value: c.lr, float: true, comment: "Adam betas here are 0.9/0.999: set optim.betas (verl's SFT default is 0.9/0.95)" },
    { key: 'optim.weight_decay', value: 0, float: true },
    { key: 'optim.warmup_steps_ratio', value: 0, float: true, comment: 'constant lr here; verl decays it with its lr_scheduler (cosine by default)' },
    { key: 'optim.clip_grad', value: c.maxGradNorm === 0 ? 1e9 : c.maxGradNorm, float: true, ...(c.maxGradNorm === 0 ? { comment: 'ours 0 = no clipping' } : {}) },
    { key: 'trainer.total_training_steps', value: c.steps },
    { key: 'trainer.seed', value: c.seed },
  ];
}

export function exportConfig(c: Config, to: Target): string {
  return to === 'trl' ? toTrl(c) : toVerl(c);
}

/** The README's mapping table (Markdown), from the same rows. */
export function markdownTable(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| playground | TRL | verl |',
    '|---|---|---|',
    ...ROWS.map((r) => `| ${esc(r.ours)} | ${esc(r.trl)} | ${esc(r.verl)} |`),
  ].join('\n');
}
