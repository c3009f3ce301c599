// Fuzzing checkpoint files (issue 9): a small valid checkpoint, damaged in generated ways (truncated,
// extended, bit-flipped, NaN weights, wrong shapes, foreign or broken model.json, empty, missing, huge),
// loaded through the CLI's folder loader (fileHandler + loadModel) and the in-memory path the worker's
// handlers feed (loadModel). Each is refused with one line "checkpoint <label>: <reason>", or loads and is
// exactly the saved model; no tensor is left behind.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, loadModel, saveModel, type Loaded } from '../core/checkpoint';
import { GPT, type GPTConfig } from '../core/model';
import { sha256Hex } from '../core/sha256';
import { VOCAB_SIZE } from '../core/vocab';
import { backend } from '../test/setup';
import { fileHandler, readCheckpointDir } from './fsio';
import { stampCheckpoint } from './stamp';

const SEED = 20260409;
const SMALL: GPTConfig = { vocabSize: VOCAB_SIZE, dModel: 8, nLayer: 1, nHead: 2, dFF: 16, maxLen: 32 };

interface Files {
  json: string | null; // null: the file is missing
  bin: Uint8Array | null;
}
type Manifest = { modelTopology: Record<string, unknown>; weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] };

let good: Files;
let manifest: Manifest;
let weightCount: number;
const root = mkdtempSync(join(tmpdir(), 'fuzz-ckpt-'));

const floats = (b: Uint8Array) => new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
const copy = (b: Uint8Array) => new Uint8Array(b);
const withJson = (edit: (m: Manifest) => void): string => {
  const m = structuredClone(manifest);
  edit(m);
  return JSON.stringify(m);
};
/** New weight bytes with a checksum that matches them, as an edit that also re-stamps would leave. */
const restamped = async (bin: Uint8Array): Promise<Files> => {
  const sha = await sha256Hex(copy(bin).buffer);
  return { json: withJson((m) => (m.modelTopology.weightsSha256 = sha)), bin };
};

/** Each damage with whether the checkpoint may still load. */
type Case = { kind: string; files: () => Promise<Files>; mayLoad: boolean };
const damage = (): fc.Arbitrary<Case> => {
  const pos = fc.nat({ max: good.bin!.length - 1 });
  const weight = fc.nat({ max: weightCount - 1 });
  const c = (kind: string, files: () => Files | Promise<Files>, mayLoad = false): Case => ({ kind, files: async () => files(), mayLoad });
  return fc.oneof(
    fc.constant(c('untouched', () => good, true)),
    pos.map((n) => c('truncated', () => ({ ...good, bin: good.bin!.slice(0, n) }))),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((extra) => c('extended', () => ({ ...good, bin: new Uint8Array([...good.bin!, ...extra]) }))),
    fc.tuple(pos, fc.nat({ max: 7 })).map(([p, bit]) => c('bit flip', () => {
      const b = copy(good.bin!);
      b[p] ^= 1 << bit;
      return { ...good, bin: b };
    })),
    fc.tuple(weight, fc.constantFrom(NaN, Infinity, -Infinity)).map(([i, x]) => c('non-finite, re-stamped', () => {
      const b = copy(good.bin!);
      floats(b)[i] = x;
      return restamped(b);
    })),
    fc.tuple(fc.nat({ max: manifest.weightsManifest[0].weights.length - 1 }), fc.array(fc.nat({ max: 64 }), { maxLength: 3 })).map(([i, shape]) =>
      c('wrong shape', () => ({ ...good, json: withJson((m) => (m.weightsManifest[0].weights[i].shape = shape)) }), shape.join() === manifest.weightsManifest[0].weights[i].shape.join()),
    ),
    fc.tuple(fc.constantFrom('format', 'vocab', 'gpt', 'task', 'weightsSha256', 'note'), fc.jsonValue({ maxDepth: 2 })).map(([field, v]) =>
      c(`meta ${field}`, () => ({ ...good, json: withJson((m) => (m.modelTopology[field] = v)) }), field === 'note' || JSON.stringify(v) === JSON.stringify(manifest.modelTopology[field])),
    ),
    fc.tuple(fc.constantFrom('vocabSize', 'dModel', 'nLayer', 'nHead', 'dFF', 'maxLen'), fc.oneof(fc.integer({ min: -4, max: 64 }), fc.constantFrom(1e9, 2 ** 31, 0.5, -0))).map(([k, v]) =>
      c(`gpt.${k}`, () => ({ ...good, json: withJson((m) => ((m.modelTopology.gpt as Record<string, unknown>)[k] = v)) }), k === 'maxLen' || k === 'nHead' || v === SMALL[k]), // maxLen and nHead change no weight shape
    ),
    fc.jsonValue({ maxDepth: 3 }).map((v) => c('foreign model.json', () => ({ ...good, json: JSON.stringify(v) }))),
    fc.constant(c('keras model.json', () => ({ ...good, json: JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { layers: [] } }, format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'dense/kernel', shape: [4, 2], dtype: 'float32' }] }] }) }))),
    fc.nat({ max: 2000 }).map((n) => c('model.json cut short', () => ({ ...good, json: good.json!.slice(0, n % good.json!.length) }))),
    fc.tuple(fc.nat({ max: 2000 }), fc.string({ minLength: 1, maxLength: 1 })).map(([n, ch]) =>
      c('model.json one character changed', () => {
        const i = n % good.json!.length;
        return { ...good, json: good.json!.slice(0, i) + ch + good.json!.slice(i + 1) };
      }, true),
    ),
    fc.constantFrom<[string, Files]>(['empty model.json', { json: '', bin: new Uint8Array() }], ['empty weights', { json: '', bin: null }], ['no model.json', { json: null, bin: new Uint8Array(8) }]).map(([k, f]) => c(k, () => ({ json: f.json, bin: f.bin }))),
    fc.constant(c('no weights.bin', () => ({ ...good, bin: null }))),
    fc.constantFrom('../outside.bin', '/etc/hostname', 'nope.bin').map((p) => c(`weights path ${p}`, () => ({ ...good, json: withJson((m) => (m.weightsManifest[0].paths = [p])) }))),
  );
};

function write(dir: string, f: Files) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (f.json !== null) writeFileSync(join(dir, 'model.json'), f.json);
  if (f.bin !== null) writeFileSync(join(dir, 'weights.bin'), f.bin);
}

/** The outcome contract: loads (and may) or one CheckpointError line naming the checkpoint. */
async function expectContract(load: Promise<Loaded>, label: string, c: Case) {
  const r = await load.then((x) => ({ ok: x }), (e: unknown) => ({ err: e }));
  if ('ok' in r) {
    expect(c.mayLoad, `${c.kind} loaded`).toBe(true);
    expect(r.ok.model.numParams).toBe(weightCount);
    r.ok.model.dispose();
    return;
  }
  const e = r.err as Error;
  expect(e, `${c.kind}: ${e.stack}`).toBeInstanceOf(CheckpointError);
  expect(e.message.startsWith(`checkpoint ${label}: `), e.message).toBe(true);
  expect(e.message).not.toMatch(/[\r\n]/);
  expect(e.message).not.toMatch(/\bat \S+ \(?\S+:\d+:\d+\)?/);
  expect(e.message.length).toBeLessThan(label.length + 340);
}

describe('checkpoint files, fuzzed', () => {
  beforeAll(async () => {
    await backend('cpu');
    const dir = join(root, 'good');
    const m = new GPT(SMALL, 3);
    await saveModel(m, fileHandler(dir), { task: 'addition' });
    weightCount = m.numParams;
    m.dispose();
    good = { json: readFileSync(join(dir, 'model.json'), 'utf8'), bin: new Uint8Array(readFileSync(join(dir, 'weights.bin'))) };
    manifest = JSON.parse(good.json!);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('through the folder loader the CLIs use (400 cases)', async () => {
    const before = tf.memory().numTensors;
    const dir = join(root, 'case');
    await fc.assert(
      fc.asyncProperty(damage(), async (c) => {
        write(dir, await c.files());
        await expectContract(readCheckpointDir(dir), dir, c);
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('through loadModel on in-memory artifacts, as the worker\'s handlers deliver them (200 cases)', async () => {
    const before = tf.memory().numTensors;
    await fc.assert(
      fc.asyncProperty(damage(), async (c) => {
        const f = await c.files();
        let art: tf.io.ModelArtifacts;
        try {
          const m = JSON.parse(f.json ?? '');
          art = { modelTopology: m?.modelTopology, weightSpecs: m?.weightsManifest?.[0]?.weights, weightData: f.bin ? copy(f.bin).buffer : undefined };
        } catch {
          return; // a model.json that is not JSON never reaches loadModel in the browser either (the handler refuses it)
        }
        const inMemory = { ...c, mayLoad: c.mayLoad || c.kind.startsWith('weights path') }; // paths only matter to files
        await expectContract(loadModel(tf.io.fromMemory(art), { label: 'picked.json' }), 'picked.json', inMemory);
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a huge weights file is refused from its size, without reading it', async () => {
    const dir = join(root, 'huge');
    write(dir, good);
    truncateSync(join(dir, 'weights.bin'), 2 ** 28); // sparse: 256 MiB on paper, nothing on disk
    const t0 = performance.now();
    await expect(readCheckpointDir(dir)).rejects.toThrow(/^checkpoint .*huge: could not be read \(the weights files hold 268435456 bytes, more than this build loads/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('stamp-checkpoint: stamps an old checkpoint, leaves a stamped one, refuses a damaged one unless forced', async () => {
    const dir = join(root, 'stamp');
    write(dir, { ...good, json: withJson((m) => delete m.modelTopology.weightsSha256) });
    const old = await readCheckpointDir(dir);
    expect(old.warning).toMatch(/has no weights checksum/);
    old.model.dispose();
    expect((await stampCheckpoint(dir)).result).toBe('stamped');
    const loaded = await readCheckpointDir(dir);
    expect(loaded.warning).toBeUndefined();
    loaded.model.dispose();
    expect((await stampCheckpoint(dir)).result).toBe('unchanged');
    const b = copy(good.bin!);
    b[10] ^= 1;
    writeFileSync(join(dir, 'weights.bin'), b);
    await expect(stampCheckpoint(dir)).rejects.toThrow(/weights do not match their checksum .*--force/);
    expect((await stampCheckpoint(dir, true)).result).toBe('replaced');
    (await readCheckpointDir(dir)).model.dispose();
  });
});
