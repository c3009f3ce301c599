// ONE typed table of every training setting. CLI flags, URL state, the app's controls and all
// validation are generated from it, so a key added here appears everywhere with the same range and help.
import { parseNumber } from './numbers';

export type Algo = 'grpo' | 'repo' | 'luffy' | 'sft';
export const ALGOS: Algo[] = ['grpo', 'repo', 'luffy', 'sft'];

type Base = {
  help: string; // one sentence, shown in --help and next to the control
  group: 'run' | 'rl' | 'repo' | 'luffy' | 'eval';
  /** true: takes effect from the next step; false: needs a reset (the run restarts from the checkpoint). */
  live: boolean;
};
export type NumSpec = Base & { kind: 'int' | 'float'; default: number; min: number; max: number; step: number; log?: boolean };
export type EnumSpec = Base & { kind: 'enum'; default: string; options: readonly string[] };
export type BoolSpec = Base & { kind: 'bool'; default: boolean };
export type Spec = NumSpec | EnumSpec | BoolSpec;

export const CONFIG = {
  algo: { kind: 'enum', options: ALGOS, default: 'repo', group: 'run', live: false, help: 'Which algorithm trains the policy: GRPO, RePO, LUFFY, or supervised fine-tuning on the expert.' },
  seed: { kind: 'int', default: 1, min: 0, max: 2 ** 31 - 1, step: 1, group: 'run', live: false, help: 'Seed for problems and sampling; the same seed and config replay the same run.' },
  steps: { kind: 'int', default: 150, min: 1, max: 100000, step: 1, group: 'run', live: true, help: 'Training steps in a run (the default is the budget used for the results table).' },
  batchSize: { kind: 'int', default: 8, min: 1, max: 64, step: 1, group: 'rl', live: true, help: 'B: questions per step.' },
  groupSize: { kind: 'int', default: 8, min: 2, max: 32, step: 1, group: 'rl', live: true, help: 'G: rollouts per question; advantages compare the rollouts of one group.' },
  hardShare: { kind: 'float', default: 0.5, min: 0, max: 1, step: 0.05, group: 'rl', live: true, help: 'Share of training questions drawn from the hard tier (4 digits).' },
  lr: { kind: 'float', default: 1e-4, min: 1e-6, max: 1e-2, step: 1e-6, log: true, group: 'rl', live: true, help: 'Adam learning rate of the policy.' },
  temperature: { kind: 'float', default: 1, min: 0.1, max: 2, step: 0.05, group: 'rl', live: true, help: 'Sampling temperature of the rollouts (and of RePO rephrasings).' },
  maxNewTokens: { kind: 'int', default: 73, min: 8, max: 96, step: 1, group: 'rl', live: true, help: 'Longest response a rollout may write before it is cut off (73 fits the longest expert-style solution).' },
  epsLow: { kind: 'float', default: 0.2, min: 0, max: 1, step: 0.01, group: 'rl', live: true, help: 'ε_low: ratios below 1−ε_low stop pushing a negative-advantage token down.' },
  epsHigh: { kind: 'float', default: 0.2, min: 0, max: 5, step: 0.01, group: 'rl', live: true, help: 'ε_high: ratios above 1+ε_high stop pushing a positive-advantage token up.' },
  beta: { kind: 'float', default: 0.1, min: 0, max: 1, step: 0.001, group: 'rl', live: false, help: 'β: weight of the k3 KL penalty towards the start checkpoint (0 = none, as TRL’s default; 0.1 here keeps easy accuracy while the hard tier is learnt).' },
  aggregation: { kind: 'enum', options: ['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum-norm'], default: 'token-mean', group: 'rl', live: true, help: 'How token losses are averaged: over all tokens (DAPO), per sequence (GRPO paper), or by a constant (Dr. GRPO).' },
  advScale: { kind: 'enum', options: ['auto', 'group', 'batch', 'none'], default: 'auto', group: 'rl', live: true, help: 'Divide advantages by the group std, the batch std, or nothing; auto = group for GRPO/RePO, none for LUFFY.' },
  mu: { kind: 'int', default: 2, min: 1, max: 8, step: 1, group: 'rl', live: true, help: 'μ: optimiser updates per step on the same rollouts (after the first, ratios move off 1 and clipping acts).' },
  maxGradNorm: { kind: 'float', default: 1, min: 0, max: 100, step: 0.1, group: 'rl', live: true, help: 'Clip the global gradient norm to this (0 = no clipping).' },
  dropZeroStd: { kind: 'bool', default: true, group: 'rl', live: true, help: 'Leave groups whose rewards are all equal out of the update (they carry no advantage).' },
  rho: { kind: 'float', default: 0.5, min: 0, max: 1, step: 0.05, group: 'repo', live: true, help: 'ρ: inject when the failure rate γ_fail = #{R < δ}/G is at least ρ.' },
  delta: { kind: 'float', default: 0.5, min: 0, max: 1, step: 0.05, group: 'repo', live: true, help: 'δ: a rollout with reward below δ counts as failed.' },
  repoVerify: { kind: 'bool', default: true, group: 'repo', live: true, help: 'Verifier gate: inject a rephrasing only if its own reward is at least δ.' },
  repoScoreUnder: { kind: 'enum', options: ['question', 'rephrasePrompt'], default: 'question', group: 'repo', live: true, help: 'Old log-probs of o_rep under q alone (the paper) or under P(q,k), the prompt that really produced it.' },
  repoTrainPrompt: { kind: 'bool', default: true, group: 'repo', live: true, help: 'Not in the paper: also train each injected o_rep as a response to P(q,k), with its advantage, so reading k is reinforced as well as solving q.' },
  repoRephraser: { kind: 'enum', options: ['policy', 'frozen'], default: 'policy', group: 'repo', live: false, help: 'Who rephrases: the current policy (the paper) or a frozen copy of the start checkpoint.' },
  luffyShaping: { kind: 'bool', default: true, group: 'luffy', live: true, help: 'Shape off-policy tokens with f(p) = p/(p+γ); off = plain ratio π_θ/1 with the usual clip.' },
  luffyGamma: { kind: 'float', default: 0.1, min: 0.001, max: 10, step: 0.001, log: true, group: 'luffy', live: true, help: 'γ of the shaping f(p) = p/(p+γ): smaller boosts low-probability expert tokens more.' },
  luffyRemoveClip: { kind: 'bool', default: false, group: 'luffy', live: true, help: 'Drop the clip on on-policy tokens, as LUFFY’s released script does.' },
  luffyOnlyWhenFailing: { kind: 'bool', default: false, group: 'luffy', live: true, help: 'Inject the expert only when γ_fail ≥ ρ (a like-for-like comparison with RePO).' },
  evalEvery: { kind: 'int', default: 50, min: 0, max: 10000, step: 1, group: 'eval', live: true, help: 'Greedy evaluation every this many steps (and at step 0); 0 = only at step 0.' },
  evalSize: { kind: 'int', default: 200, min: 10, max: 2000, step: 10, group: 'eval', live: false, help: 'Problems in each fixed evaluation set (easy, hard).' },
} as const satisfies Record<string, Spec>;

export type ConfigKey = keyof typeof CONFIG;
type ValueOf<S> = S extends { kind: 'bool' } ? boolean : S extends { kind: 'enum'; options: readonly (infer O)[] } ? O : number;
export type Config = { -readonly [K in ConfigKey]: ValueOf<(typeof CONFIG)[K]> };
export const CONFIG_KEYS = Object.keys(CONFIG) as ConfigKey[];

export function defaultConfig(): Config {
  const c: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) c[k] = CONFIG[k].default;
  return c as Config;
}

export function spec(key: ConfigKey): Spec {
  return CONFIG[key] as Spec;
}

export function rangeText(key: ConfigKey): string {
  const s = spec(key);
  if (s.kind === 'bool') return 'true or false';
  if (s.kind === 'enum') return `one of ${s.options.join(', ')}`;
  return `${s.kind === 'int' ? 'an integer' : 'a number'} in [${s.min}, ${s.max}]`;
}

export type Parsed = { ok: true; value: Config[ConfigKey] } | { ok: false; error: string };

/** Parses a text value (CLI flag, URL parameter) strictly: out of range is an error. */
export function parseValue(key: string, raw: string): Parsed {
  if (!Object.hasOwn(CONFIG, key)) return { ok: false, error: `unknown setting "${key}"` }; // not "toString"
  const k = key as ConfigKey;
  const s = spec(k);
  const bad = { ok: false as const, error: `${k} must be ${rangeText(k)}, got "${raw}"` };
  const v = raw.trim();
  if (s.kind === 'bool') {
    if (['true', '1', 'on', 'yes'].includes(v)) return { ok: true, value: true };
    if (['false', '0', 'off', 'no'].includes(v)) return { ok: true, value: false };
    return bad;
  }
  if (s.kind === 'enum') return s.options.includes(v) ? { ok: true, value: v as unknown as Config[ConfigKey] } : bad;
  const n = parseNumber(v, s); // the same grammar as every other numeric CLI flag
  return n === null ? bad : { ok: true, value: n };
}

/** Forgiving version for URLs and imported configs: clamps and snaps, and says what it changed. */
export function coerceValue(key: ConfigKey, raw: unknown): { value: Config[ConfigKey]; notice?: string } {
  const s = spec(key);
  const parsed = parseValue(key, String(raw));
  if (parsed.ok) return { value: parsed.value };
  if (s.kind === 'int' || s.kind === 'float') {
    const n = Number(raw);
    if (Number.isFinite(n)) {
      const c = Math.min(s.max, Math.max(s.min, s.kind === 'int' ? Math.round(n) : n));
      return { value: c as Config[ConfigKey], notice: `${key}=${String(raw)} is outside ${rangeText(key)}; using ${c}` };
    }
  }
  return { value: s.default as Config[ConfigKey], notice: `${key}=${String(raw)} is not ${rangeText(key)}; using the default ${String(s.default)}` };
}
