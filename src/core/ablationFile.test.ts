import { describe, expect, it } from 'vitest';
import { ablationCellsFile, c4, gridMarkdown, parseAblationFile, summariseGrid, type CellRun } from './ablationFile';

const meta = { algo: 'repo' as const, config: {}, checkpoint: 'base', rhos: [0.5, 1], deltas: [0.5], seeds: [1, 2], stepsPerCell: 10, evalSize: 20, base: { easy: 1, hard: 0 }, seconds: 3 };
const run = (rho: number, seed: number, injectionRate: number, hardAcc = 0.1): CellRun => ({ rho, delta: 0.5, seed, hardAcc, easyAcc: 0.95, injectionRate, rewardMean: 0.5 });

describe('ρ × δ grid file', () => {
  it('summarises cells as mean ± sd over seeds and round-trips through JSON', () => {
    const f = ablationCellsFile(meta, [run(1, 2, 0.2), run(0.5, 1, 0.5, 0.3), run(1, 1, 0.4), run(0.5, 2, 0.5, 0.1)]);
    expect(f.runs.map((r) => [r.rho, r.seed])).toEqual([[0.5, 1], [0.5, 2], [1, 1], [1, 2]]);
    const cells = summariseGrid(parseAblationFile(JSON.stringify(f)));
    expect(cells[0].hardGain.mean).toBeCloseTo(0.2, 12);
    expect(cells[0].hardGain.sd).toBeCloseTo(Math.SQRT2 * 0.1, 12);
    expect(cells[1].injectionRate.mean).toBeCloseTo(0.3, 12);
    expect(gridMarkdown(f, cells)).toMatch(/\*\*C4\*\* .*\*\*holds\*\*/);
  });

  it('C4 fails when the injection rate rises with ρ, and says where', () => {
    const f = ablationCellsFile(meta, [run(0.5, 1, 0.2), run(0.5, 2, 0.2), run(1, 1, 0.3), run(1, 2, 0.3)]);
    const r = c4(summariseGrid(f));
    expect(r.holds).toBe(false);
    expect(r.violations[0]).toMatch(/δ=0.5: ρ=0.5 → 1 rises 0.200 → 0.300/);
  });

  it('refuses foreign, truncated and incomplete files with one line', () => {
    const good = JSON.stringify(ablationCellsFile(meta, [run(0.5, 1, 0.2), run(1, 1, 0.1)]));
    expect(() => parseAblationFile(good.slice(0, 50))).toThrow(/not JSON/);
    expect(() => parseAblationFile('{"format":"other"}')).toThrow(/not a ρ × δ grid file.*format/);
    expect(() => parseAblationFile(JSON.stringify({ ...JSON.parse(good), runs: [run(0.5, 1, 0.2)] }))).toThrow(/lacks cells: ρ=1 δ=0.5/);
    expect(() => parseAblationFile(JSON.stringify({ ...JSON.parse(good), runs: [{ ...run(0.5, 1, 0.2), hardAcc: 2 }, run(1, 1, 0.1)] }))).toThrow(/runs.0.hardAcc/);
  });
});
