// The fused decode kernel in plain JS for the cpu and wasm backends: one position of every row,
// all layers, logits and the sampled token, written into the state buffer in place. The same math
// as GPT.forward (pre-LN, RoPE half-split, tanh-GELU, tied embeddings) and as the WGSL program;
// accumulations run in float64, so it sits at least as close to exact as tfjs's float32 kernels.
import * as tf from '@tensorflow/tfjs';
import { EOS_ID, PAD_ID } from '../vocab';
import { DECODE_KERNEL, kvIndex, pickToken, stateLayout, weightLayout, type DecodeAttrs } from './decodeLayout';
import { cpuValues, type CpuLike } from './backendTypes';

const NEG = -1e9; // the model's mask value (model.ts)

/** Decodes column `a.pos` for every row; reads and writes `state` (see stateLayout). */
export function decodePosition(a: DecodeAttrs, W: Float32Array, rope: Float32Array, ids: Int32Array, mask: Float32Array, unif: Float32Array, state: Float32Array): void {
  const d = a.dims;
  const { C, H, D, F, V, L } = d;
  const half = D / 2;
  const wl = weightLayout(d);
  const s = stateLayout(d, a.n, a.p, a.maxNew);
  const { p: P, pos } = a;
  const scale = 1 / Math.sqrt(D);
  const x = new Float64Array(C);
  const h = new Float64Array(C);
  const qkv = new Float64Array(3 * C);
  const y = new Float64Array(C);
  const m = new Float64Array(F);
  const att = new Float64Array(pos + 1);
  const logits = new Float64Array(V);

  const layerNorm = (g: number, b: number) => {
    let mean = 0;
    for (let c = 0; c < C; c++) mean += x[c];
    mean /= C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (x[c] - mean) ** 2;
    const sd = Math.sqrt(v / C + 1e-5);
    for (let c = 0; c < C; c++) h[c] = ((x[c] - mean) / sd) * W[g + c] + W[b + c];
  };
  // out[j] (+)= Σ_k inp[k]·W[w + k·cols + j]: row-major weights, the inner loop runs along a row.
  const matVec = (inp: Float64Array, rows: number, w: number, cols: number, out: Float64Array) => {
    out.fill(0, 0, cols);
    for (let k = 0; k < rows; k++) {
      const ik = inp[k];
      const base = w + k * cols;
      for (let j = 0; j < cols; j++) out[j] += ik * W[base + j];
    }
  };

  for (let n = 0; n < a.n; n++) {
    const j = pos - P + 1; // the generated token this position predicts
    // A row that has said EOS is not decoded further (its cache and logits stay as they were): its
    // remaining tokens are PAD. So a call over many positions costs only the rows still running.
    if (pos >= P && state[s.done + n] > 0.5) {
      if (j < a.maxNew) state[s.gen + n * a.maxNew + j] = PAD_ID;
      continue;
    }
    const tok = pos < P ? ids[n * P + pos] : state[s.gen + n * a.maxNew + pos - P];
    for (let c = 0; c < C; c++) x[c] = W[wl.emb + tok * C + c];
    for (let l = 0; l < L; l++) {
      const o = wl.layer0 + l * wl.layer.size;
      const lo = wl.layer;
      layerNorm(o + lo.ln1g, o + lo.ln1b);
      matVec(h, C, o + lo.wqkv, 3 * C, qkv);
      for (let part = 0; part < 2; part++) {
        for (let hh = 0; hh < H; hh++) {
          for (let i = 0; i < half; i++) {
            const at = part * C + hh * D + i;
            const x1 = qkv[at];
            const x2 = qkv[at + half];
            const cs = rope[pos * half + i];
            const sn = rope[d.maxLen * half + pos * half + i];
            qkv[at] = x1 * cs - x2 * sn;
            qkv[at + half] = x1 * sn + x2 * cs;
          }
        }
      }
      for (let hh = 0; hh < H; hh++) {
        for (let i = 0; i < D; i++) {
          state[kvIndex(d, s, n, l, 0, hh, pos, i)] = qkv[C + hh * D + i];
          state[kvIndex(d, s, n, l, 1, hh, pos, i)] = qkv[2 * C + hh * D + i];
        }
      }
      for (let hh = 0; hh < H; hh++) {
        let max = -Infinity;
        for (let j = 0; j <= pos; j++) {
          const k0 = kvIndex(d, s, n, l, 0, hh, j, 0);
          let dot = 0;
          for (let i = 0; i < D; i++) dot += qkv[hh * D + i] * state[k0 + i];
          const real = j >= P || mask[n * P + j] > 0.5;
          att[j] = dot * scale + (real ? 0 : NEG);
          if (att[j] > max) max = att[j];
        }
        let sum = 0;
        for (let j = 0; j <= pos; j++) sum += att[j] = Math.exp(att[j] - max);
        for (let i = 0; i < D; i++) y[hh * D + i] = 0;
        for (let j = 0; j <= pos; j++) {
          const v0 = kvIndex(d, s, n, l, 1, hh, j, 0);
          const pj = att[j] / sum;
          for (let i = 0; i < D; i++) y[hh * D + i] += pj * state[v0 + i];
        }
      }
      matVec(y, C, o + lo.wo, C, h);
      for (let c = 0; c < C; c++) x[c] += h[c];
      layerNorm(o + lo.ln2g, o + lo.ln2b);
      matVec(h, C, o + lo.w1, F, m);
      for (let f = 0; f < F; f++) m[f] = gelu(m[f] + W[o + lo.b1 + f]);
      matVec(m, F, o + lo.w2, C, y);
      for (let c = 0; c < C; c++) x[c] += y[c] + W[o + lo.b2 + c];
    }
    layerNorm(wl.lnfg, wl.lnfb);
    for (let v = 0; v < V; v++) {
      let acc = 0;
      for (let c = 0; c < C; c++) acc += h[c] * W[wl.emb + v * C + c];
      logits[v] = acc;
      state[s.logits + n * V + v] = acc;
    }
    if (j >= 0 && j < a.maxNew) {
      const next = pickToken(logits, 0, V, unif[n * a.maxNew + j], a.temperature);
      state[s.gen + n * a.maxNew + j] = next;
      if (next === EOS_ID) state[s.done + n] = 1;
    }
  }
}

/** tanh-GELU as x·σ(2z), z = √(2/π)(x + 0.044715x³) (model.ts), in a form that never overflows. */
export function gelu(v: number): number {
  const z2 = 2 * Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v);
  if (z2 >= 0) return v / (1 + Math.exp(-z2));
  const e = Math.exp(z2);
  return (v * e) / (1 + e);
}

type Info = tf.TensorInfo;
interface WasmLike {
  typedArrayFromHeap(t: Info): ArrayLike<number>;
  incRef(id: tf.DataId): void;
}

/** The kernel's output is the state itself (same buffer, one more reference), as tfjs's Reshape does. */
function run(inputs: Info[], attrs: DecodeAttrs, view: (t: Info) => ArrayLike<number>, incRef: (id: tf.DataId) => void): Info {
  const [w, rope, ids, mask, unif, state] = inputs;
  const arrays = [view(w), view(rope), view(ids), view(mask), view(unif), view(state)] as const;
  for (let i = 0; i < (attrs.count ?? 1); i++) {
    decodePosition({ ...attrs, pos: attrs.pos + i }, arrays[0] as Float32Array, arrays[1] as Float32Array, arrays[2] as Int32Array, arrays[3] as Float32Array, arrays[4] as Float32Array, arrays[5] as Float32Array);
  }
  incRef(state.dataId);
  return { dataId: state.dataId, shape: state.shape, dtype: state.dtype };
}

const ORDER = ['w', 'rope', 'ids', 'mask', 'unif', 'state'];
const ordered = (inputs: tf.NamedTensorInfoMap) => ORDER.map((k) => inputs[k] as Info);

export function registerJsDecode(): void {
  tf.registerKernel({
    kernelName: DECODE_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const b = backend as unknown as CpuLike;
      // cpu keeps each tensor's values in a typed array; the state's is written in place.
      const view = (t: Info) => cpuValues(b, t);
      return run(ordered(inputs), attrs as unknown as DecodeAttrs, view, (id) => b.incRef(id));
    },
  });
  tf.registerKernel({
    kernelName: DECODE_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const b = backend as unknown as WasmLike;
      return run(ordered(inputs), attrs as unknown as DecodeAttrs, (t) => b.typedArrayFromHeap(t), (id) => b.incRef(id));
    },
  });
}
