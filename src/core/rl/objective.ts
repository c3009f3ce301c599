// The RL objective in plain numbers (docs/DESIGN.md §4): the reference the tensor loss is tested against.
// Conventions follow Hugging Face TRL's GRPOTrainer.
import { mean, std } from '../stats';

export type AdvantageScale = 'group' | 'batch' | 'none';
export type Aggregation = 'token-mean' | 'seq-mean-token-mean' | 'seq-mean-token-sum-norm';

/**
 * A_i = R_i − mean_g(R), divided by (std_g + 1e-4) for `group`, by (std over the whole batch + 1e-4)
 * for `batch`, or not at all for `none` (Dr. GRPO). Rewards come group after group; NaN → 0.
 */
export function groupAdvantages(rewards: number[], groupSize: number, scale: AdvantageScale): number[] {
  const batchStd = std(rewards); // unbiased (n − 1), as TRL
  const out: number[] = [];
  for (let g = 0; g < rewards.length; g += groupSize) {
    const group = rewards.slice(g, g + groupSize);
    const m = mean(group);
    const s = scale === 'group' ? std(group) : scale === 'batch' ? batchStd : 0;
    for (const r of group) {
      const a = scale === 'none' ? r - m : (r - m) / (s + 1e-4);
      out.push(Number.isFinite(a) ? a : 0);
    }
  }
  return out;
}

export interface LossInputs {
  logpNew: number[][]; // [N, T] log π_θ of each response token
  logpOld: number[][]; // [N, T] log π_old (0 for an expert token: π_φ = 1)
  mask: number[][]; // [N, T] 1 on real response tokens; other positions may hold garbage
  advantages: number[]; // [N]
  logpRef?: number[][]; // [N, T] frozen reference; needed when beta > 0
  /** Rows scored with LUFFY's off-policy objective −A·f(π_θ); default none. */
  offPolicy?: boolean[];
}

export interface LossConfig {
  epsLow: number;
  epsHigh: number;
  beta: number;
  aggregation: Aggregation;
  maxNewTokens: number;
  /** LUFFY's shaping f(p) = p / (p + γ) on off-policy rows; 0 = f(p) = p (no shaping). Default 0. */
  shapingGamma?: number;
  /** LUFFY's removeClip: on-policy rows use −r·A without the clip. Default false. */
  noClip?: boolean;
}

export interface LossResult {
  loss: number;
  clipFracLow: number;
  clipFracHigh: number;
  clipFracRegion: number;
  kl: number;
}

/** Per-token loss ℓ and its clip flags (docs/DESIGN.md §4). */
export function tokenLoss(
  logpNew: number,
  logpOld: number,
  a: number,
  c: LossConfig,
  offPolicy: boolean,
  logpRef?: number,
): { l: number; low: boolean; high: boolean; k3: number } {
  const x = logpRef === undefined ? 0 : logpRef - logpNew;
  const k3 = Math.exp(x) - x - 1;
  if (offPolicy) {
    const p = Math.exp(logpNew);
    const f = c.shapingGamma ? p / (p + c.shapingGamma) : p;
    return { l: -a * f + c.beta * k3, low: false, high: false, k3 };
  }
  const r = Math.exp(logpNew - logpOld);
  const clipped = Math.min(Math.max(r, 1 - c.epsLow), 1 + c.epsHigh);
  const surrogate = c.noClip ? r * a : Math.min(r * a, clipped * a);
  return { l: -surrogate + c.beta * k3, low: !c.noClip && r < 1 - c.epsLow && a < 0, high: !c.noClip && r > 1 + c.epsHigh && a > 0, k3 };
}

export function policyLoss(p: LossInputs, c: LossConfig): LossResult {
  const N = p.advantages.length;
  let sum = 0;
  let tokens = 0;
  let seqSum = 0;
  let low = 0;
  let high = 0;
  let kl = 0;
  for (let i = 0; i < N; i++) {
    let rowSum = 0;
    let rowLen = 0;
    for (let t = 0; t < p.mask[i].length; t++) {
      if (!p.mask[i][t]) continue; // masked positions may hold garbage: never read them
      const r = tokenLoss(p.logpNew[i][t], p.logpOld[i][t], p.advantages[i], c, p.offPolicy?.[i] ?? false, c.beta > 0 || p.logpRef ? p.logpRef?.[i][t] : undefined);
      rowSum += r.l;
      rowLen++;
      low += r.low ? 1 : 0;
      high += r.high ? 1 : 0;
      kl += r.k3;
    }
    sum += rowSum;
    tokens += rowLen;
    seqSum += rowSum / Math.max(rowLen, 1);
  }
  const loss =
    c.aggregation === 'token-mean' ? sum / Math.max(tokens, 1) : c.aggregation === 'seq-mean-token-mean' ? seqSum / Math.max(N, 1) : sum / Math.max(N * c.maxNewTokens, 1);
  const denom = Math.max(tokens, 1);
  return { loss, clipFracLow: low / denom, clipFracHigh: high / denom, clipFracRegion: (low + high) / denom, kl: kl / denom };
}
