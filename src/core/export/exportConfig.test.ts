// The TRL / verl export: every setting is mapped or commented, each mapped key lands on the right
// field, the Python and YAML parse, and the README table is the one the code generates.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, defaultConfig, type Config } from '../config';
import { formatNumber, markdownTable, toTrl, toVerl } from './exportConfig';
import { ROWS } from './mapping';

const cfg = (over: Partial<Config> = {}): Config => ({ ...defaultConfig(), ...over });

/** keyword=value lines of the GRPOConfig(...) call → raw Python literals. */
function trlArgs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = text.slice(text.indexOf('Config(\n'), text.indexOf('\n)\n'));
  for (const m of body.matchAll(/^ {4}(\w+)=(.+?),(?: {2}#.*)?$/gm)) out[m[1]] = m[2];
  return out;
}

/** A parser for the YAML subset toVerl writes (nested maps, scalars, comments), enough to check it. */
function parseYaml(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const stack: { indent: number; obj: Record<string, unknown> }[] = [{ indent: -1, obj: root }];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const m = /^'?([\w.-]+)'?:\s*(.*)$/.exec(line.trim());
    if (!m) throw new Error(`not YAML this parser knows: ${raw}`);
    while (stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack[stack.length - 1].obj;
    if (m[2] === '') {
      const child: Record<string, unknown> = {};
      parent[m[1]] = child;
      stack.push({ indent, obj: child });
    } else {
      const v = m[2];
      parent[m[1]] = v === 'true' ? true : v === 'false' ? false : /^-?[\d.]+(e[-+]\d+)?$/.test(v) ? Number(v) : v.replace(/^'(.*)'$/, '$1');
    }
  }
  return root;
}
const at = (o: Record<string, unknown>, path: string): unknown => path.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], o);
const verl = (c: Config) => parseYaml(toVerl(c));
const actor = (c: Config, k: string) => at(verl(c), `actor_rollout_ref.actor.${k}`);

describe('mapping table', () => {
  it('every config key is mapped or commented in exactly one row', () => {
    const seen = ROWS.flatMap((r) => r.keys);
    expect([...seen].sort()).toEqual([...CONFIG_KEYS].sort());
  });
  it('the README table is the generated one (npm run export-config -- --to table)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const m = /<!-- export-table:start -->\n([\s\S]*?)\n<!-- export-table:end -->/.exec(readme);
    expect(m, 'README.md has the export-table markers').not.toBeNull();
    expect(m![1]).toBe(markdownTable());
  });
});

describe('TRL GRPOConfig', () => {
  it('maps each key of the default config', () => {
    const a = trlArgs(toTrl(cfg({ algo: 'grpo' })));
    expect(a).toMatchObject({
      num_generations: '8', per_device_train_batch_size: '64', generation_batch_size: '64', gradient_accumulation_steps: '1',
      epsilon: '0.2', epsilon_high: '0.2', loss_type: '"dapo"', scale_rewards: '"group"', num_iterations: '2', beta: '0.1',
      learning_rate: '0.0001', lr_scheduler_type: '"constant"', weight_decay: '0.0', temperature: '1.0', max_completion_length: '73',
      max_grad_norm: '1.0', max_steps: '300', seed: '1', eval_strategy: '"steps"', eval_steps: '100', eval_on_start: 'True',
    });
  });
  it('follows changed values', () => {
    const a = trlArgs(toTrl(cfg({ algo: 'grpo', groupSize: 4, batchSize: 3, epsLow: 0.1, epsHigh: 0.28, mu: 3, beta: 0.04, lr: 3e-6, temperature: 0.7, maxNewTokens: 40, maxGradNorm: 0, steps: 10, seed: 7, evalEvery: 0 })));
    expect(a).toMatchObject({
      num_generations: '4', per_device_train_batch_size: '12', generation_batch_size: '12', epsilon: '0.1', epsilon_high: '0.28', num_iterations: '3',
      beta: '0.04', learning_rate: '0.000003', temperature: '0.7', max_completion_length: '40', max_grad_norm: '0.0', max_steps: '30', seed: '7', eval_strategy: '"no"',
    });
    expect(a.eval_steps).toBeUndefined();
  });
  it.each([
    ['token-mean', 'dapo'],
    ['seq-mean-token-mean', 'grpo'],
    ['seq-mean-token-sum-norm', 'dr_grpo'],
  ] as const)('aggregation %s → loss_type "%s"', (aggregation, loss) => {
    expect(trlArgs(toTrl(cfg({ aggregation }))).loss_type).toBe(`"${loss}"`);
  });
  it.each([
    ['group', 'grpo', 'group'], ['batch', 'grpo', 'batch'], ['none', 'grpo', 'none'],
    ['auto', 'grpo', 'group'], ['auto', 'repo', 'group'], ['auto', 'luffy', 'none'],
  ] as const)('advScale %s (%s) → scale_rewards "%s"', (advScale, algo, want) => {
    expect(trlArgs(toTrl(cfg({ advScale, algo }))).scale_rewards).toBe(`"${want}"`);
  });
  it('SFT exports an SFTConfig', () => {
    const t = toTrl(cfg({ algo: 'sft', batchSize: 5, steps: 20 }));
    expect(t).toContain('from trl import SFTConfig');
    expect(trlArgs(t)).toMatchObject({ per_device_train_batch_size: '5', max_steps: '20', completion_only_loss: 'True', learning_rate: '0.0001' });
    expect(t).not.toMatch(/num_generations|GRPOConfig\(/);
  });
});

describe('verl override', () => {
  it('maps each key of the default config', () => {
    const y = verl(cfg({ algo: 'grpo' }));
    expect(y).toMatchObject({
      algorithm: { adv_estimator: 'grpo', norm_adv_by_std_in_grpo: true, use_kl_in_reward: false },
      data: { train_batch_size: 8, max_response_length: 73 },
      actor_rollout_ref: {
        rollout: { n: 8, temperature: 1, val_kwargs: { do_sample: false } },
        actor: {
          ppo_mini_batch_size: 8, clip_ratio_low: 0.2, clip_ratio_high: 0.2, loss_agg_mode: 'token-mean', ppo_epochs: 2,
          use_kl_loss: true, kl_loss_coef: 0.1, kl_loss_type: 'low_var_kl', optim: { lr: 1e-4, weight_decay: 0 }, grad_clip: 1,
        },
      },
      trainer: { total_training_steps: 150, test_freq: 50, val_before_train: true },
    });
    expect(toVerl(cfg())).toContain("\n    'n': 8"); // bare n is a boolean to YAML 1.1
  });
  it('follows changed values', () => {
    const c = cfg({ groupSize: 4, batchSize: 3, epsLow: 0.1, epsHigh: 0.28, mu: 3, beta: 0.04, lr: 3e-6, temperature: 0.7, maxNewTokens: 40, steps: 10, evalEvery: 0 });
    const y = verl(c);
    expect(at(y, 'actor_rollout_ref.rollout.n')).toBe(4);
    expect(at(y, 'data.train_batch_size')).toBe(3);
    expect(at(y, 'data.max_response_length')).toBe(40);
    expect(at(y, 'actor_rollout_ref.rollout.temperature')).toBe(0.7);
    expect(at(y, 'trainer.total_training_steps')).toBe(10);
    expect(at(y, 'trainer.test_freq')).toBe(-1);
    expect(actor(c, 'ppo_mini_batch_size')).toBe(3);
    expect(actor(c, 'clip_ratio_low')).toBe(0.1);
    expect(actor(c, 'clip_ratio_high')).toBe(0.28);
    expect(actor(c, 'ppo_epochs')).toBe(3);
    expect(actor(c, 'use_kl_loss')).toBe(true);
    expect(actor(c, 'kl_loss_coef')).toBe(0.04);
    expect(actor(c, 'optim.lr')).toBe(3e-6);
  });
  it('grad clip 0 (none) becomes a huge bound, with a comment', () => {
    expect(actor(cfg({ maxGradNorm: 0 }), 'grad_clip')).toBe(1e9);
    expect(toVerl(cfg({ maxGradNorm: 0 }))).toMatch(/grad_clip: .*# ours 0 = no clipping/);
  });
  it.each(['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum-norm'] as const)('aggregation %s → loss_agg_mode %s', (aggregation) => {
    expect(actor(cfg({ aggregation }), 'loss_agg_mode')).toBe(aggregation);
  });
  it.each([
    ['group', 'grpo', true], ['none', 'grpo', false], ['auto', 'repo', true], ['auto', 'luffy', false], ['batch', 'grpo', false],
  ] as const)('advScale %s (%s) → norm_adv_by_std_in_grpo %s', (advScale, algo, want) => {
    expect(at(verl(cfg({ advScale, algo })), 'algorithm.norm_adv_by_std_in_grpo')).toBe(want);
  });
  it('batch-std scaling says it has no verl counterpart', () => {
    expect(toVerl(cfg({ advScale: 'batch' }))).toMatch(/# advScale batch .*no verl counterpart/);
    expect(toVerl(cfg({ advScale: 'group' }))).not.toMatch(/no verl counterpart/);
  });
  it('SFT exports the SFT trainer keys', () => {
    const y = verl(cfg({ algo: 'sft', batchSize: 5, lr: 2e-5 }));
    expect(y).toMatchObject({ data: { train_batch_size: 5 }, optim: { lr: 2e-5, clip_grad: 1 }, trainer: { total_training_steps: 150, seed: 1 } });
    expect(y.actor_rollout_ref).toBeUndefined();
  });
});

describe('settings with no counterpart are comments saying where they plug in', () => {
  const comments = (t: string) => t.split('\n').filter((l) => l.startsWith('#')).join('\n');
  for (const [name, render] of [['TRL', toTrl], ['verl', toVerl]] as const) {
    it(`${name}: RePO's ρ, δ, rephraser`, () => {
      const t = comments(render(cfg({ algo: 'repo', rho: 0.25, delta: 0.75, repoRephraser: 'frozen' })));
      expect(t).toMatch(/after rollout generation, before advantage computation/);
      expect(t).toContain('ρ = 0.25');
      expect(t).toContain('δ = 0.75');
      expect(t).toContain('a frozen copy of the start model');
      expect(t).toMatch(name === 'TRL' ? /_generate_and_score_completions/ : /RayPPOTrainer\.fit.*compute_advantage/);
    });
    it(`${name}: LUFFY's own trainer and shaping`, () => {
      const t = comments(render(cfg({ algo: 'luffy', luffyGamma: 0.2, luffyOnlyWhenFailing: true })));
      expect(t).toMatch(/LUFFY needs its own trainer: off-policy mixing/);
      expect(t).toContain('f(p) = p/(p + γ), γ = 0.2');
      expect(t).toContain('only when γ_fail ≥ ρ = 0.5');
      expect(comments(render(cfg({ algo: 'luffy', luffyShaping: false })))).toMatch(/Shaping: off/);
    });
    it(`${name}: GRPO says which settings it leaves unused, and dropZeroStd / hardShare`, () => {
      const t = comments(render(cfg({ algo: 'grpo' })));
      expect(t).toMatch(/RePO's ρ, δ and rephraser: not used by grpo/);
      expect(t).toMatch(/LUFFY's expert mixing and shaping: not used by grpo/);
      expect(t).toMatch(/dropZeroStd true/);
      expect(t).toMatch(/hardShare 0\.5/);
    });
  }
  it('the header names the algorithm and the command that reproduces it', () => {
    expect(toTrl(cfg({ algo: 'grpo', groupSize: 4 }))).toContain('# npm run export-config -- --to trl --algo grpo --groupSize 4');
    expect(toVerl(cfg())).toContain('# npm run export-config -- --to verl\n');
  });
});

describe('numbers', () => {
  it('floats keep a decimal point that Python and YAML 1.1 both read as float', () => {
    expect(formatNumber(1, true)).toBe('1.0');
    expect(formatNumber(0.0001, true)).toBe('0.0001');
    expect(formatNumber(1e-7, true)).toBe('1.0e-7');
    expect(formatNumber(1e21, true)).toBe('1.0e+21');
    expect(formatNumber(8)).toBe('8');
  });
});

// Cross-checks with Python when it is there: ast parses the TRL snippet, PyYAML (what Hydra uses)
// reads the YAML exactly as the checks above do.
const python = spawnSync('python3', ['-c', 'import ast, yaml'], { encoding: 'utf8' }).status === 0;
describe.skipIf(!python)('with python3 (ast, PyYAML)', () => {
  const configs = [cfg(), cfg({ algo: 'grpo', lr: 1e-7, maxGradNorm: 0 }), cfg({ algo: 'luffy', advScale: 'batch' }), cfg({ algo: 'sft' })];
  it('the TRL snippets are valid Python', () => {
    for (const c of configs) {
      const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: toTrl(c), encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });
  it('PyYAML reads the verl YAML the same way, floats as floats', () => {
    for (const c of configs) {
      const r = spawnSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: toVerl(c), encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(parseYaml(toVerl(c)));
    }
    const r = spawnSync('python3', ['-c', 'import sys, yaml; print(type(yaml.safe_load(sys.stdin.read())["actor_rollout_ref"]["actor"]["optim"]["lr"]).__name__)'], { input: toVerl(configs[1]), encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('float');
  });
});
