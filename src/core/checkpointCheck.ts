// What a checkpoint's weights must be before any tensor is made from them: exactly the weights the
// config's GPT has (names and shapes), float32, the right number of bytes, every value finite. Checked on
// plain arrays so that a foreign or hostile file can neither allocate a huge model nor leave tensors behind.
import type { GPTConfig } from './model';

/** Largest model this build loads (4 bytes each: 128 MiB), far above the 150k-parameter default. */
export const MAX_PARAMS = 2 ** 25;
/** Longest rotary table a checkpoint may ask for (the default is 192). */
export const MAX_LEN = 4096;

/** The weights GPT creates for a config, in its order. model.test-style drift is caught by checkpointCheck.test. */
export function weightShapes(c: GPTConfig): [string, number[]][] {
  const { vocabSize: V, dModel: C, dFF: F, nLayer: L } = c;
  const out: [string, number[]][] = [['tok_emb', [V, C]]];
  for (let l = 0; l < L; l++) {
    const h = `h${l}`;
    out.push([`${h}.ln1.g`, [C]], [`${h}.ln1.b`, [C]], [`${h}.attn.wqkv`, [C, 3 * C]], [`${h}.attn.wo`, [C, C]], [`${h}.ln2.g`, [C]], [`${h}.ln2.b`, [C]]);
    out.push([`${h}.mlp.w1`, [C, F]], [`${h}.mlp.b1`, [F]], [`${h}.mlp.w2`, [F, C]], [`${h}.mlp.b2`, [C]]);
  }
  out.push(['lnf.g', [C]], ['lnf.b', [C]]);
  return out;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Parameters a config needs, without building it (a layer count of 1e9 is a number, not a loop). */
export function paramCount(c: GPTConfig): number {
  const C = c.dModel;
  const perLayer = 4 * C + 4 * C * C + 2 * C * c.dFF + c.dFF + C;
  return c.vocabSize * C + c.nLayer * perLayer + 2 * C;
}

export interface Spec {
  name: string;
  shape: number[];
}

const list = (xs: string[]) => xs.slice(0, 3).join(', ') + (xs.length > 3 ? ` and ${xs.length - 3} more` : '');

/** The manifest's weights, checked against the config: a one-line problem, or the specs. */
export function checkSpecs(specs: unknown, cfg: GPTConfig): { problem: string } | { specs: Spec[] } {
  if (!Array.isArray(specs)) return { problem: 'the weight manifest is not a list' };
  const seen = new Map<string, number[]>();
  for (const [i, s] of specs.entries()) {
    const o = s as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || typeof o.name !== 'string') return { problem: `weight manifest entry ${i} has no name` };
    const shape = o.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return { problem: `weight ${o.name} has no valid shape` };
    if (o.dtype !== 'float32') return { problem: `weight ${o.name} is ${String(o.dtype)}; only float32 weights are read` };
    if (o.quantization !== undefined) return { problem: `weight ${o.name} is quantized; only plain float32 weights are read` };
    if (seen.has(o.name)) return { problem: `weight ${o.name} appears twice in the manifest` };
    seen.set(o.name, shape as number[]);
  }
  const want = weightShapes(cfg);
  const missing = want.filter(([n]) => !seen.has(n)).map(([n]) => n);
  if (missing.length) return { problem: `the checkpoint lacks weights: ${list(missing)}` };
  const known = new Set(want.map(([n]) => n));
  const extra = [...seen.keys()].filter((n) => !known.has(n));
  if (extra.length) return { problem: `the checkpoint has weights this model does not: ${list(extra)}` };
  for (const [name, shape] of want) {
    const got = seen.get(name)!;
    if (got.join() !== shape.join()) return { problem: `weight ${name} has shape [${got}] but the config needs [${shape}]` };
  }
  return { specs: specs.map((s) => ({ name: s.name, shape: s.shape })) };
}

/** Bytes the specs need (float32). */
export const byteLength = (specs: Spec[]) => specs.reduce((n, s) => n + 4 * size(s.shape), 0);

/** The first weight holding NaN or ±Inf, read from the raw float32 bytes in manifest order; null if none. */
export function firstNonFinite(data: ArrayBuffer, specs: Spec[]): string | null {
  let offset = 0;
  for (const s of specs) {
    const n = size(s.shape);
    const view = new Float32Array(data, offset, n);
    offset += 4 * n;
    for (let i = 0; i < n; i++) if (!Number.isFinite(view[i])) return s.name;
  }
  return null;
}
