// How the playground's settings map onto TRL's GRPOConfig and verl's PPO trainer config, as data:
// toTrl/toVerl (exportConfig.ts) and the README table are all generated from ROWS.
//
// Names checked against the projects' own docs and config sources:
//   TRL  GRPOConfig: https://huggingface.co/docs/trl/main/en/grpo_trainer (trl/trainer/grpo_config.py):
//        scale_rewards takes "group" | "batch" | "none" (older releases: True/False); loss_type "dapo"
//        normalises by the active tokens of the whole batch, "grpo" per sequence, "dr_grpo" by
//        batch · max_completion_length; the KL term is exp(ref−logp) − (ref−logp) − 1 (k3).
//   verl GRPO: https://verl.readthedocs.io/en/latest/algo/grpo.html and algo/dapo.html,
//        verl/trainer/config/_generated_ppo_trainer.yaml (actor.clip_ratio_low/high, loss_agg_mode,
//        ppo_epochs, use_kl_loss, kl_loss_coef, kl_loss_type: low_var_kl = k3, grad_clip, optim.lr,
//        rollout.n, rollout.temperature, data.max_response_length, algorithm.norm_adv_by_std_in_grpo).
import { algorithm } from '../algorithms/registry';
import type { Config, ConfigKey } from '../config';

/** The advantage scale the method uses under `c` ('auto' resolved by the method). */
const effectiveAdvScale = (c: Config) => algorithm(c.algo).describe(c).advScale ?? 'none';

/** A Python / YAML scalar; `float` renders whole numbers as 1.0 so the type survives. */
export type Scalar = string | number | boolean;
export interface Field {
  key: string; // TRL: keyword argument; verl: dotted path
  value: Scalar;
  float?: boolean;
  comment?: string;
}
/** A field, or a comment line where a setting has no counterpart. */
export type Line = Field | { comment: string };

export interface Row {
  ours: string; // README: symbol and config key(s)
  keys: ConfigKey[];
  trl: string; // README: the TRL field(s), or how it plugs in
  verl: string;
  trlLines: (c: Config) => Line[];
  verlLines: (c: Config) => Line[];
}

const A = 'actor_rollout_ref.actor';
const f = (key: string, value: Scalar, comment?: string): Field => ({ key, value, ...(comment ? { comment } : {}) });
const fl = (key: string, value: number, comment?: string): Field => ({ key, value, float: true, ...(comment ? { comment } : {}) });
const note = (comment: string): Line => ({ comment });

export const TRL_LOSS_TYPE = { 'token-mean': 'dapo', 'seq-mean-token-mean': 'grpo', 'seq-mean-token-sum-norm': 'dr_grpo' } as const;
// verl's names are ours (the config table took them from verl).
export const VERL_LOSS_AGG = { 'token-mean': 'token-mean', 'seq-mean-token-mean': 'seq-mean-token-mean', 'seq-mean-token-sum-norm': 'seq-mean-token-sum-norm' } as const;

export const ROWS: Row[] = [
  {
    ours: 'G `groupSize`', keys: ['groupSize'], trl: '`num_generations`', verl: '`actor_rollout_ref.rollout.n`',
    trlLines: (c) => [f('num_generations', c.groupSize, 'G: rollouts per question')],
    verlLines: (c) => [f('actor_rollout_ref.rollout.n', c.groupSize, 'G: rollouts per question')],
  },
  {
    ours: 'B `batchSize` (questions per step)', keys: ['batchSize'],
    trl: '`per_device_train_batch_size` = `generation_batch_size` = B·G (TRL counts completions), `gradient_accumulation_steps` = 1',
    verl: '`data.train_batch_size` = `actor.ppo_mini_batch_size` = B (verl counts prompts)',
    trlLines: (c) => [
      f('per_device_train_batch_size', c.batchSize * c.groupSize, `B·G = ${c.batchSize}·${c.groupSize} completions (one process)`),
      f('generation_batch_size', c.batchSize * c.groupSize, 'one generation per optimiser step'),
      f('gradient_accumulation_steps', 1),
    ],
    verlLines: (c) => [
      f('data.train_batch_size', c.batchSize, 'B: questions per step'),
      f(`${A}.ppo_mini_batch_size`, c.batchSize, 'the whole batch in one mini-batch: one update per epoch'),
    ],
  },
  {
    ours: 'ε_low `epsLow`, ε_high `epsHigh`', keys: ['epsLow', 'epsHigh'], trl: '`epsilon`, `epsilon_high`', verl: '`actor.clip_ratio_low`, `actor.clip_ratio_high`',
    trlLines: (c) => [fl('epsilon', c.epsLow, 'ε_low'), fl('epsilon_high', c.epsHigh, 'ε_high')],
    verlLines: (c) => [fl(`${A}.clip_ratio_low`, c.epsLow, 'ε_low'), fl(`${A}.clip_ratio_high`, c.epsHigh, 'ε_high')],
  },
  {
    ours: '`aggregation`: token-mean / seq-mean-token-mean / seq-mean-token-sum-norm', keys: ['aggregation'],
    trl: '`loss_type`: "dapo" / "grpo" / "dr_grpo"', verl: '`actor.loss_agg_mode`: the same three names',
    trlLines: (c) => [f('loss_type', TRL_LOSS_TYPE[c.aggregation], `aggregation ${c.aggregation}`)],
    verlLines: (c) => [
      f(`${A}.loss_agg_mode`, VERL_LOSS_AGG[c.aggregation]),
      ...(c.aggregation === 'seq-mean-token-sum-norm' ? [note('verl divides by the response length (max_response_length); ours and TRL by N · max tokens: the same up to a constant')] : []),
    ],
  },
  {
    ours: 'advantage scale `advScale` (auto = group for GRPO/RePO, none for LUFFY)', keys: ['advScale'],
    trl: '`scale_rewards`: "group" / "batch" / "none"', verl: '`algorithm.adv_estimator: grpo`, `algorithm.norm_adv_by_std_in_grpo`: true / false (batch: no counterpart, false is closest) / false',
    trlLines: (c) => [f('scale_rewards', effectiveAdvScale(c), `advScale ${c.advScale}${c.advScale === 'auto' ? ` → ${effectiveAdvScale(c)} for ${c.algo}` : ''}; older TRL: True = group, False = none`)],
    verlLines: (c) => {
      const s = effectiveAdvScale(c);
      return [
        f('algorithm.adv_estimator', 'grpo'),
        f('algorithm.norm_adv_by_std_in_grpo', s === 'group', `advScale ${c.advScale}${c.advScale === 'auto' ? ` → ${s} for ${c.algo}` : ''}`),
        ...(s === 'batch' ? [note('advScale batch (divide by the batch std) has no verl counterpart; one scalar per batch mostly rescales the loss, so false is the closest')] : []),
      ];
    },
  },
  {
    ours: 'μ `mu` (updates per batch)', keys: ['mu'], trl: '`num_iterations`', verl: '`actor.ppo_epochs`',
    trlLines: (c) => [f('num_iterations', c.mu, 'μ: updates on the same rollouts')],
    verlLines: (c) => [f(`${A}.ppo_epochs`, c.mu, 'μ: updates on the same rollouts')],
  },
  {
    ours: 'β `beta` (k3 KL to the start checkpoint)', keys: ['beta'], trl: '`beta` (TRL\'s KL is k3)',
    verl: '`actor.use_kl_loss`, `actor.kl_loss_coef`, `actor.kl_loss_type: low_var_kl` (k3), `algorithm.use_kl_in_reward: false`',
    trlLines: (c) => [fl('beta', c.beta, c.beta === 0 ? 'no KL term, no reference model' : 'k3 KL to the reference (start) model')],
    verlLines: (c) => [
      f(`${A}.use_kl_loss`, c.beta > 0),
      fl(`${A}.kl_loss_coef`, c.beta, 'β'),
      f(`${A}.kl_loss_type`, 'low_var_kl', 'k3'),
      f('algorithm.use_kl_in_reward', false),
    ],
  },
  {
    ours: 'learning rate `lr` (Adam 0.9/0.999/1e-8, constant, no weight decay)', keys: ['lr'],
    trl: '`learning_rate`, `lr_scheduler_type: constant`, `weight_decay: 0`', verl: '`actor.optim.lr`, `actor.optim.weight_decay: 0`, `actor.optim.lr_warmup_steps_ratio: 0`',
    trlLines: (c) => [fl('learning_rate', c.lr), f('lr_scheduler_type', 'constant'), fl('weight_decay', 0, "Adam betas 0.9/0.999, eps 1e-8 are TRL's defaults")],
    verlLines: (c) => [fl(`${A}.optim.lr`, c.lr), fl(`${A}.optim.weight_decay`, 0), fl(`${A}.optim.lr_warmup_steps_ratio`, 0)],
  },
  {
    ours: '`temperature`', keys: ['temperature'], trl: '`temperature`', verl: '`actor_rollout_ref.rollout.temperature`',
    trlLines: (c) => [fl('temperature', c.temperature)],
    verlLines: (c) => [fl('actor_rollout_ref.rollout.temperature', c.temperature)],
  },
  {
    ours: 'max new tokens `maxNewTokens`', keys: ['maxNewTokens'], trl: '`max_completion_length`', verl: '`data.max_response_length`',
    trlLines: (c) => [f('max_completion_length', c.maxNewTokens)],
    verlLines: (c) => [f('data.max_response_length', c.maxNewTokens)],
  },
  {
    ours: 'grad clip `maxGradNorm` (0 = none)', keys: ['maxGradNorm'], trl: '`max_grad_norm` (0 = none)', verl: '`actor.grad_clip` (always clips: 0 becomes a huge bound)',
    trlLines: (c) => [fl('max_grad_norm', c.maxGradNorm, c.maxGradNorm === 0 ? 'no clipping' : undefined)],
    verlLines: (c) => [c.maxGradNorm === 0 ? fl(`${A}.grad_clip`, 1e9, 'ours 0 = no clipping; verl always clips, so a huge bound stands in') : fl(`${A}.grad_clip`, c.maxGradNorm)],
  },
  {
    ours: '`steps`, `seed`', keys: ['steps', 'seed'], trl: '`max_steps` = steps·μ (TRL counts optimiser steps), `seed`', verl: '`trainer.total_training_steps` (seed: no single key)',
    trlLines: (c) => [f('max_steps', c.steps * c.mu, `${c.steps} steps · μ ${c.mu} updates`), f('seed', c.seed)],
    verlLines: (c) => [f('trainer.total_training_steps', c.steps), note(`seed ${c.seed}: verl has no single seed key (data shuffling and the engines seed separately)`)],
  },
  {
    ours: 'evaluation `evalEvery`, `evalSize` (greedy, fixed easy/hard sets)', keys: ['evalEvery', 'evalSize'],
    trl: '`eval_strategy`, `eval_steps` = evalEvery·μ, `eval_on_start` (needs an `eval_dataset` of evalSize problems)',
    verl: '`trainer.test_freq`, `trainer.val_before_train`, `rollout.val_kwargs.do_sample: false` (greedy)',
    trlLines: (c) => [
      ...(c.evalEvery > 0 ? [f('eval_strategy', 'steps'), f('eval_steps', c.evalEvery * c.mu, `every ${c.evalEvery} steps`)] : [f('eval_strategy', 'no', 'evalEvery 0: only at the start')]),
      f('eval_on_start', true),
      note(`evaluation here is greedy on fixed easy and hard sets of ${c.evalSize} problems each: pass them as eval_dataset`),
    ],
    verlLines: (c) => [
      f('trainer.test_freq', c.evalEvery > 0 ? c.evalEvery : -1),
      f('trainer.val_before_train', true),
      f('actor_rollout_ref.rollout.val_kwargs.do_sample', false, 'greedy, as here'),
      note(`val_files: fixed easy and hard sets of ${c.evalSize} problems each`),
    ],
  },
  {
    ours: '`dropZeroStd`', keys: ['dropZeroStd'], trl: 'comment: no counterpart (all-equal groups only get zero advantage)',
    verl: 'comment: `algorithm.filter_groups` (DAPO recipe) drops them and samples more',
    trlLines: (c) => [note(`dropZeroStd ${c.dropZeroStd}: ${c.dropZeroStd ? 'groups with all-equal rewards are left out of the update here; ' : ''}TRL has no switch for it (their advantages are 0 but their tokens still count in the loss normaliser)`)],
    verlLines: (c) => [note(`dropZeroStd ${c.dropZeroStd}: the nearest is the DAPO recipe's algorithm.filter_groups (enable: true, metric: acc), which also resamples to refill the batch`)],
  },
  {
    ours: '`hardShare`', keys: ['hardShare'], trl: 'comment: the training dataset\'s mix', verl: 'comment: the mix of `data.train_files`',
    trlLines: (c) => [note(`hardShare ${c.hardShare}: share of training prompts from the hard tier (4 digits): build train_dataset with that mix`)],
    verlLines: (c) => [note(`hardShare ${c.hardShare}: share of training prompts from the hard tier (4 digits): build data.train_files with that mix`)],
  },
  {
    ours: 'RePO: ρ `rho`, δ `delta`, `repoVerify`, `repoScoreUnder`, `repoRephraser`, `repoTrainPrompt`', keys: ['rho', 'delta', 'repoVerify', 'repoScoreUnder', 'repoRephraser', 'repoTrainPrompt'],
    trl: 'comment: rephrase-and-replace goes in an override of `GRPOTrainer._generate_and_score_completions`, after rewards, before advantages',
    verl: 'comment: in `RayPPOTrainer.fit`, after `generate_sequences` and the reward, before `compute_advantage`',
    trlLines: (c) => (c.algo === 'repo' ? repoNotes(c, 'subclass GRPOTrainer and override _generate_and_score_completions: after the rewards are computed, before the advantages') : [unused(c, "RePO's ρ, δ and rephraser", 'they plug in after rollout generation, before advantage computation')]),
    verlLines: (c) => (c.algo === 'repo' ? repoNotes(c, 'in RayPPOTrainer.fit (verl/trainer/ppo/ray_trainer.py): after generate_sequences and the reward, before compute_advantage') : [unused(c, "RePO's ρ, δ and rephraser", 'they plug in after rollout generation, before advantage computation')]),
  },
  {
    ours: 'LUFFY: shaping `luffyShaping`, γ `luffyGamma`, `luffyRemoveClip`, `luffyOnlyWhenFailing`', keys: ['luffyShaping', 'luffyGamma', 'luffyRemoveClip', 'luffyOnlyWhenFailing'],
    trl: 'comment: needs its own trainer (off-policy mixing in the rollout step, shaping in the loss)', verl: 'comment: the same (rollout step and `core_algos` policy loss)',
    trlLines: (c) => (c.algo === 'luffy' ? luffyNotes(c, 'override _generate_and_score_completions (mixing) and _compute_loss (shaping)') : [unused(c, "LUFFY's expert mixing and shaping", 'they need their own trainer: mixing in the rollout step, shaping in the loss')]),
    verlLines: (c) => (c.algo === 'luffy' ? luffyNotes(c, 'mix in RayPPOTrainer.fit after generate_sequences; shape in the policy loss (verl/trainer/ppo/core_algos.py)') : [unused(c, "LUFFY's expert mixing and shaping", 'they need their own trainer: mixing in the rollout step, shaping in the loss')]),
  },
  {
    ours: '`algo`', keys: ['algo'], trl: 'grpo, repo, luffy: `GRPOConfig`; sft: `SFTConfig`', verl: 'grpo, repo, luffy: PPO trainer with the GRPO estimator; sft: the SFT trainer',
    trlLines: () => [], verlLines: () => [],
  },
];

function unused(c: Config, what: string, where: string): Line {
  return note(`${what}: not used by ${c.algo} (with --algo ${what.startsWith('RePO') ? 'repo' : 'luffy'} ${where})`);
}

function repoNotes(c: Config, where: string): Line[] {
  return [
    note('RePO = GRPO plus a rephrase-and-replace step. It plugs in after rollout generation, before advantage computation:'),
    note(`  ${where}.`),
    note(`  ρ = ${c.rho}: rephrase when γ_fail = #{reward < δ}/G ≥ ρ; δ = ${c.delta}: a reward below δ counts as failed.`),
    note(`  The rephraser (${c.repoRephraser === 'frozen' ? 'a frozen copy of the start model' : 'the current policy'}) rewrites the expert solution; ${c.repoVerify ? 'if its own reward is ≥ δ it' : 'it'} replaces the worst rollout.`),
    note(`  Old log-probs of the replacement: under ${c.repoScoreUnder === 'question' ? 'the question alone' : 'the rephrase prompt that produced it'} (repoScoreUnder ${c.repoScoreUnder}).`),
    ...(c.repoTrainPrompt ? [note('  repoTrainPrompt (not in the paper): also append each injected rephrasing as a response to its rephrase prompt, with the same advantage.')] : []),
  ];
}

function luffyNotes(c: Config, where: string): Line[] {
  return [
    note('LUFFY needs its own trainer: off-policy mixing puts the expert solution into the group, so neither GRPOConfig nor the GRPO estimator covers it:'),
    note(`  ${where}.`),
    note(`  Expert injected ${c.luffyOnlyWhenFailing ? `only when γ_fail ≥ ρ = ${c.rho} (δ = ${c.delta})` : 'into every group'}.`),
    note(`  Shaping: ${c.luffyShaping ? `off-policy tokens use f(p) = p/(p + γ), γ = ${c.luffyGamma}, instead of the ratio` : 'off (plain ratio π_θ/1 with the usual clip)'}; clip on on-policy tokens: ${c.luffyRemoveClip ? 'removed' : 'kept'}.`),
  ];
}

/** Rows whose notes still apply to an SFT run (its fields come from exportConfig's SFT branch). */
export const SFT_NOTE_KEYS: ConfigKey[] = ['hardShare', 'evalEvery'];
