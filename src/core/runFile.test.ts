import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunFile } from './runFile';

// A real file: `npx tsx src/cli/train.ts --steps 3 --batchSize 2 --groupSize 2 --maxNewTokens 16 --evalSize 10 --evalEvery 2 --out e2e/fixtures/run-repo.jsonl`
const text = readFileSync(new URL('../../e2e/fixtures/run-repo.jsonl', import.meta.url), 'utf8');
const lines = text.trimEnd().split('\n');

describe('parseRunFile', () => {
  it('reads a CLI JSONL run: header, every step, the final evaluation', () => {
    const run = parseRunFile(text, 'run.jsonl');
    expect(run.format).toBe('jsonl');
    expect(run.header.algo).toBe('repo');
    expect(run.header.config.rho).toBe(0.5);
    expect(run.records.map((r) => r.step)).toEqual([0, 1, 2]);
    expect(run.records[0].metrics.evalHard).toBeTypeOf('number');
    expect(run.records[0].groups.length).toBe(2);
    expect(run.final).toMatchObject({ easy: expect.any(Number), hard: expect.any(Number), step: 3 });
  });

  it('reads the app export (one JSON object with records) and turns JSON nulls in metrics back into NaN', () => {
    const header = JSON.parse(lines[0]);
    const rec = JSON.parse(lines[1]);
    rec.metrics.loss = null;
    const run = parseRunFile(JSON.stringify({ ...header, records: [rec] }), 'export.json');
    expect(run.format).toBe('export');
    expect(run.records).toHaveLength(1);
    expect(run.records[0].metrics.loss).toBeNaN();
    expect(run.final).toBeNull();
  });

  it('says where a file is truncated', () => {
    const cut = text.slice(0, text.indexOf('\n', text.indexOf('\n') + 1) + 200);
    expect(() => parseRunFile(cut, 'run.jsonl')).toThrow('run.jsonl is truncated at line 3');
  });

  it('rejects foreign and broken files with one line', () => {
    expect(() => parseRunFile('', 'a.jsonl')).toThrow('a.jsonl is empty');
    expect(() => parseRunFile('{"hello": 1}', 'a.json')).toThrow(/^a\.json is not a training run from npm run train \(header: /);
    expect(() => parseRunFile('<html>', 'a.html')).toThrow('a.html is not a training run: line 1 is not JSON');
    expect(() => parseRunFile('{"format":"x","rhos":[0],"deltas":[0]}', 'g.json')).toThrow(/grid file.*ablation panel/);
    expect(() => parseRunFile(lines[0], 'h.jsonl')).toThrow('h.jsonl has a header but no steps');
    const bad = [lines[0], '{"step": 0}', ...lines.slice(2)].join('\n');
    expect(() => parseRunFile(bad, 'b.jsonl')).toThrow(/^b\.jsonl, line 2: not a step record \(/);
    const corrupt = [lines[0], 'nope', ...lines.slice(2)].join('\n');
    expect(() => parseRunFile(corrupt, 'c.jsonl')).toThrow('c.jsonl is corrupt at line 2 (not JSON)');
    const swapped = [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n');
    expect(() => parseRunFile(swapped, 'd.jsonl')).toThrow('d.jsonl, line 3: step 0 does not follow step 1');
  });

  it('keeps every message to one line', () => {
    for (const t of ['', '{}', '[1,2]', 'x\ny', `${lines[0]}\n{"final":1}`]) {
      try {
        parseRunFile(t, 'f');
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
      }
    }
  });
});
