// Test helper shared by the cpu/wasm and the WebGPU tests: how far the fused decoder's logits are
// from the unfused model's (GPT.forward over the whole sequence, the training path's code).
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model';
import { Rng } from '../rng';
import { EOS_ID, VOCAB_SIZE } from '../vocab';
import { tinyModel } from '../../test/setup';
import { FusedDecoder } from './fusedDecoder';
import type { StateLayout } from './decodeLayout';

/** A fused decoder for `steps` tokens per row, its sampling uniforms drawn from `seed`. */
function seededDecoder(model: GPT, prompts: number[][], steps: number, temperature: number, seed: number): FusedDecoder {
  const rng = new Rng(seed);
  return new FusedDecoder(model, prompts, steps, temperature, Float32Array.from({ length: prompts.length * steps }, () => rng.float()));
}

/**
 * Samples `steps` tokens per row with the fused decoder, then runs GPT.forward once over prompt +
 * those tokens and compares the logits of every decoded position. Returns the worst relative
 * difference, max|fused − unfused| / max|unfused| per position (over rows and vocabulary), and how
 * many row-positions were compared: a row that has said EOS is not decoded further, so its later
 * positions have no logits of their own.
 */
export async function logitsAgreement(model: GPT, prompts: number[][], steps: number, temperature: number, seed: number): Promise<{ worst: number; positions: number; compared: number }> {
  const n = prompts.length;
  const V = model.cfg.vocabSize;
  const dec = seededDecoder(model, prompts, steps, temperature, seed);
  const P = dec.layout.p;
  const fused: Float32Array[] = [];
  let tokens: number[][];
  try {
    while (dec.pos < P + steps - 1) {
      dec.step();
      if (dec.pos >= P) {
        const l = dec.logits();
        fused.push(Float32Array.from(await l.data()));
        l.dispose();
      }
    }
    // Every generated column, EOS or PAD included: the fused decoder treats them all as real keys.
    const { maxNew } = dec.layout;
    const g = await dec.generated();
    tokens = Array.from({ length: n }, (_, i) => Array.from(g.subarray(i * maxNew, i * maxNew + steps - 1)));
  } finally {
    dec.dispose();
  }
  const width = P + steps - 1;
  const ids = new Int32Array(n * width);
  const mask = new Float32Array(n * width);
  prompts.forEach((p, i) => {
    ids.set([...p, ...tokens[i]], i * width + P - p.length);
    mask.fill(1, i * width + P - p.length, (i + 1) * width);
  });
  const ref = tf.tidy(() => model.forward(tf.tensor2d(ids, [n, width], 'int32'), tf.tensor2d(mask, [n, width])).logits);
  const r = (await ref.data()) as Float32Array; // [N, width, V]
  ref.dispose();
  let worst = 0;
  let compared = 0;
  const eos = tokens.map((row) => (row.includes(EOS_ID) ? row.indexOf(EOS_ID) : Infinity));
  fused.forEach((f, s) => {
    const c = P - 1 + s;
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      if (s > eos[i]) continue; // column c's input token comes after this row's EOS: not decoded
      compared++;
      for (let v = 0; v < V; v++) {
        const want = r[(i * width + c) * V + v];
        diff = Math.max(diff, Math.abs(f[i * V + v] - want));
        scale = Math.max(scale, Math.abs(want));
      }
    }
    if (scale > 0) worst = Math.max(worst, diff / scale);
  });
  return { worst, positions: fused.length, compared };
}

/**
 * The fused decoder's whole state after `steps` tokens per row, decoded in kernel calls of `chunk`
 * positions each (1 = one call per position). Chunking must not change a bit of it.
 */
export async function decodedState(model: GPT, prompts: number[][], steps: number, temperature: number, seed: number, chunk: number): Promise<{ state: Float32Array; layout: StateLayout }> {
  const dec = seededDecoder(model, prompts, steps, temperature, seed);
  try {
    const total = dec.layout.p - 1 + steps;
    while (dec.pos < total) dec.step(Math.min(chunk, total - dec.pos));
    return { state: await dec.stateValues(), layout: dec.layout };
  } finally {
    dec.dispose();
  }
}

/** A tiny model that says EOS often (the tied embedding of EOS biased up), so rows end mid-generation. */
export function eosModel(seed: number): GPT {
  const m = tinyModel(seed);
  const emb = m.weights.get('tok_emb')!;
  const lnf = m.weights.get('lnf.g')!;
  tf.tidy(() => emb.assign(tf.add(emb, tf.oneHot([EOS_ID], VOCAB_SIZE).reshape([VOCAB_SIZE, 1]).mul(tf.sign(lnf).reshape([1, -1]).mul(0.08)))));
  return m;
}
