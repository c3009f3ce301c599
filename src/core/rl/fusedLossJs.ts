// The fused RL loss (fusedLoss.ts) in plain JS for the cpu backend: the same per-token math as the WGSL
// programs (fusedLossWebGPU.ts) and as lossTensors' tfjs ops, including which side of a min/clip
// boundary the gradient takes (tfjs: Minimum sends it to the first argument on ties, ClipByValue
// passes it at the bounds). Accumulations in float64.

/** Channels of the per-token tensor tok [n, L, TOK_C] that RL_TOKEN_KERNEL writes. */
export const TOK_C = 8;
export const CH = { logp: 0, loss: 1, low: 2, high: 3, k3: 4, ent: 5, mask: 6, grad: 7 } as const;
/** Channels of the per-token input data [n, L, 4]: target id (as float), mask, old and ref log-probs (0 where masked). */
export const DATA_C = 4;
export const AGG = { 'token-mean': 0, 'seq-mean-token-mean': 1, 'seq-mean-token-sum-norm': 2 } as const;

/** The LossConfig as numbers, shared by both backends' kernels (attrs / uniforms). */
export interface RlAttrs {
  agg: number;
  noClip: number; // 0/1
  useRef: number; // 1 when beta > 0 and ref log-probs were given (lossTensors' k3 is 0 otherwise)
  maxNew: number;
  epsLow: number;
  epsHigh: number;
  beta: number;
  gamma: number; // LUFFY shaping γ; 0 = f(p) = p
}

/** Aggregation weight of each token of row i: d(loss)/d(per-token loss). */
function weight(a: RlAttrs, n: number, tokens: number, rowLen: number): number {
  if (a.agg === 0) return 1 / Math.max(tokens, 1);
  if (a.agg === 1) return 1 / (n * Math.max(rowLen, 1));
  return 1 / Math.max(n * a.maxNew, 1);
}

/** logits [n, L, V], data [n, L, DATA_C], rows [n, 2] (advantage, off-policy) → tok [n, L, TOK_C]. */
export function rlTokenJs(logits: Float32Array, data: Float32Array, rows: Float32Array, n: number, L: number, V: number, a: RlAttrs): Float32Array {
  const out = new Float32Array(n * L * TOK_C);
  let tokens = 0;
  for (let j = 0; j < n * L; j++) tokens += data[j * DATA_C + 1];
  for (let i = 0; i < n; i++) {
    let rowLen = 0;
    for (let t = 0; t < L; t++) rowLen += data[(i * L + t) * DATA_C + 1];
    const w = weight(a, n, tokens, rowLen);
    const A = rows[i * 2];
    const off = rows[i * 2 + 1];
    for (let t = 0; t < L; t++) {
      const j = i * L + t;
      const d = j * DATA_C;
      const m = data[d + 1];
      if (!(m > 0)) continue; // masked: every channel 0, so neither value nor gradient can be NaN
      const o = j * V;
      let mx = -Infinity;
      for (let v = 0; v < V; v++) mx = Math.max(mx, logits[o + v]);
      let s = 0;
      for (let v = 0; v < V; v++) s += Math.exp(logits[o + v] - mx);
      const lse = Math.log(s);
      let ent = 0;
      for (let v = 0; v < V; v++) {
        const lp = logits[o + v] - mx - lse;
        ent -= Math.exp(lp) * lp;
      }
      const target = Math.min(Math.max(Math.round(data[d]), 0), V - 1);
      const lp = logits[o + target] - mx - lse;
      const g = tokenTerms(lp, data[d + 2], data[d + 3], A, off, a);
      const e = j * TOK_C;
      out[e + CH.logp] = lp;
      out[e + CH.loss] = g.loss * m;
      out[e + CH.low] = g.low * m;
      out[e + CH.high] = g.high * m;
      out[e + CH.k3] = g.k3 * m;
      out[e + CH.ent] = ent * m;
      out[e + CH.mask] = m;
      out[e + CH.grad] = g.dloss * m * w;
    }
  }
  return out;
}

/** Per-token loss ℓ = −surr + β·k3, its derivative w.r.t. log π(target), the clip flags and k3 (objective.ts tokenLoss). */
export function tokenTerms(lp: number, old: number, ref: number, A: number, off: number, a: RlAttrs) {
  const lo = 1 - a.epsLow;
  const hi = 1 + a.epsHigh;
  const r = Math.exp(lp - old);
  const ra = r * A;
  const ca = Math.min(Math.max(r, lo), hi) * A;
  const onSurr = a.noClip ? ra : Math.min(ra, ca);
  const dOn = a.noClip || ra <= ca || (r >= lo && r <= hi) ? ra : 0; // d(onSurr)/d(lp), dr/dlp = r
  const p = Math.exp(lp);
  const f = a.gamma ? p / (p + a.gamma) : p;
  const df = a.gamma ? p * (1 / (p + a.gamma) - p / ((p + a.gamma) * (p + a.gamma))) : p;
  const surr = off * f * A + (1 - off) * onSurr;
  const dsurr = off * df * A + (1 - off) * dOn;
  const x = a.useRef ? ref - lp : 0;
  const k3 = a.useRef ? Math.exp(x) - x - 1 : 0;
  const dk3 = a.useRef ? 1 - Math.exp(x) : 0;
  const onRow = 1 - off;
  return {
    loss: -surr + a.beta * k3,
    dloss: -dsurr + a.beta * dk3,
    low: !a.noClip && r < lo && A < 0 ? onRow : 0,
    high: !a.noClip && r > hi && A > 0 ? onRow : 0,
    k3,
  };
}

/** tok [n, L, TOK_C] → the loss, aggregated as lossTensors does. */
export function rlLossJs(tok: Float32Array, n: number, L: number, a: RlAttrs): number {
  let sum = 0;
  let tokens = 0;
  let seq = 0;
  for (let i = 0; i < n; i++) {
    let rs = 0;
    let rl = 0;
    for (let t = 0; t < L; t++) {
      rs += tok[(i * L + t) * TOK_C + CH.loss];
      rl += tok[(i * L + t) * TOK_C + CH.mask];
    }
    sum += rs;
    tokens += rl;
    seq += rs / Math.max(rl, 1);
  }
  return a.agg === 0 ? sum / Math.max(tokens, 1) : a.agg === 1 ? seq / n : sum / Math.max(n * a.maxNew, 1);
}

/** tok → [clipFracLow, clipFracHigh, clipFracRegion, kl, entropy], each a sum over tokens / max(tokens, 1). */
export function rlStatsJs(tok: Float32Array): Float32Array {
  const s = [0, 0, 0, 0, 0];
  let tokens = 0;
  for (let e = 0; e < tok.length; e += TOK_C) {
    s[0] += tok[e + CH.low];
    s[1] += tok[e + CH.high];
    s[2] += tok[e + CH.low] + tok[e + CH.high];
    s[3] += tok[e + CH.k3];
    s[4] += tok[e + CH.ent];
    tokens += tok[e + CH.mask];
  }
  return Float32Array.from(s, (x) => x / Math.max(tokens, 1));
}

/** dL/dlogits [n, L, V] = dy · grad_j · (onehot(target) − softmax), 0 on masked rows. */
export function rlGradJs(logits: Float32Array, data: Float32Array, tok: Float32Array, dy: number, V: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let j = 0; j < logits.length / V; j++) {
    const c = dy * tok[j * TOK_C + CH.grad];
    if (c === 0) continue;
    const o = j * V;
    let mx = -Infinity;
    for (let v = 0; v < V; v++) mx = Math.max(mx, logits[o + v]);
    let s = 0;
    for (let v = 0; v < V; v++) s += Math.exp(logits[o + v] - mx);
    const target = Math.min(Math.max(Math.round(data[j * DATA_C]), 0), V - 1);
    for (let v = 0; v < V; v++) out[o + v] = c * ((v === target ? 1 : 0) - Math.exp(logits[o + v] - mx) / s);
  }
  return out;
}
