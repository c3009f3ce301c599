// The ρ × δ grid file written by `npm run ablate` and opened by the app: per-seed cell results, their
// mean ± sd, the markdown table, and claim C4 (injection rate non-increasing in ρ). Pure; validated
// with zod so a foreign or truncated file is one clear message.
import { deviation, mean } from 'd3-array';
import { z } from 'zod';
import type { CellResult } from './ablation';

export const ABLATION_FORMAT = 'repo-playground-ablation/1';

export type CellRun = CellResult & { seed: number };

const unit = z.number().min(0).max(1);
const cellRun = z.object({ rho: unit, delta: unit, seed: z.number().int(), hardAcc: unit, easyAcc: unit, injectionRate: unit, rewardMean: z.number() });

const schema = z.object({
  format: z.literal(ABLATION_FORMAT),
  algo: z.enum(['repo', 'luffy']),
  config: z.record(z.string(), z.unknown()),
  checkpoint: z.string(),
  rhos: z.array(unit).min(1),
  deltas: z.array(unit).min(1),
  seeds: z.array(z.number().int()).min(1),
  stepsPerCell: z.number().int().positive(),
  evalSize: z.number().int().positive(),
  base: z.object({ easy: unit, hard: unit }),
  seconds: z.number().nonnegative(),
  runs: z.array(cellRun),
});
export type AblationFile = z.infer<typeof schema>;

export function ablationCellsFile(meta: Omit<AblationFile, 'format' | 'runs'>, runs: CellRun[]): AblationFile {
  const order = (r: CellRun) => [meta.rhos.indexOf(r.rho), meta.deltas.indexOf(r.delta), meta.seeds.indexOf(r.seed)];
  const sorted = [...runs].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  return { format: ABLATION_FORMAT, ...meta, runs: sorted };
}

/** Parses a grid file's text; throws one readable line for anything that is not a complete grid. */
export function parseAblationFile(text: string): AblationFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('not a ρ × δ grid file: it is not JSON (truncated?)');
  }
  const p = schema.safeParse(json);
  if (!p.success) {
    const i = p.error.issues[0];
    throw new Error(`not a ρ × δ grid file from npm run ablate (${i.path.join('.') || 'top level'}: ${i.message})`);
  }
  const f = p.data;
  const missing = f.rhos.flatMap((rho) => f.deltas.filter((delta) => !f.runs.some((r) => r.rho === rho && r.delta === delta)).map((delta) => `ρ=${rho} δ=${delta}`));
  if (missing.length) throw new Error(`the grid file lacks cells: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ' …' : ''}`);
  return f;
}

export interface Stat {
  mean: number;
  sd: number; // sample sd over seeds (0 for one seed)
}
export interface GridCell {
  rho: number;
  delta: number;
  n: number;
  hardGain: Stat; // final hard accuracy − the base's
  hardAcc: Stat;
  easyAcc: Stat;
  injectionRate: Stat;
}

const stat = (xs: number[]): Stat => ({ mean: mean(xs) ?? NaN, sd: xs.length > 1 ? deviation(xs)! : 0 });

export function summariseGrid(f: AblationFile): GridCell[] {
  return f.rhos.flatMap((rho) =>
    f.deltas.map((delta) => {
      const rs = f.runs.filter((r) => r.rho === rho && r.delta === delta);
      return {
        rho,
        delta,
        n: rs.length,
        hardGain: stat(rs.map((r) => r.hardAcc - f.base.hard)),
        hardAcc: stat(rs.map((r) => r.hardAcc)),
        easyAcc: stat(rs.map((r) => r.easyAcc)),
        injectionRate: stat(rs.map((r) => r.injectionRate)),
      };
    }),
  );
}

/**
 * C4: for every δ, the mean injection rate does not increase as ρ rises (a higher bar for "the group is
 * struggling" can only open the gate less often). `tolerance` absorbs nothing by default.
 */
export function c4(cells: GridCell[], tolerance = 0): { holds: boolean; violations: string[] } {
  const deltas = [...new Set(cells.map((c) => c.delta))];
  const violations: string[] = [];
  for (const d of deltas) {
    const col = cells.filter((c) => c.delta === d).sort((a, b) => a.rho - b.rho);
    for (let i = 1; i < col.length; i++) {
      if (col[i].injectionRate.mean > col[i - 1].injectionRate.mean + tolerance) {
        violations.push(`δ=${d}: ρ=${col[i - 1].rho} → ${col[i].rho} rises ${col[i - 1].injectionRate.mean.toFixed(3)} → ${col[i].injectionRate.mean.toFixed(3)}`);
      }
    }
  }
  return { holds: violations.length === 0, violations };
}

const pts = (s: Stat, signed = false) => `${signed && s.mean >= 0 ? '+' : ''}${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)}`;

export function gridMarkdown(f: AblationFile, cells: GridCell[]): string {
  const head = `| ρ \\ δ | ${f.deltas.map((d) => `δ = ${d}`).join(' | ')} |`;
  const rule = `|---|${f.deltas.map(() => '---').join('|')}|`;
  const rows = f.rhos.map((rho) => {
    const cs = f.deltas.map((delta) => cells.find((c) => c.rho === rho && c.delta === delta)!);
    return `| ρ = ${rho} | ${cs.map((c) => `hard ${pts(c.hardGain, true)} pts · easy ${pts(c.easyAcc)} % · inject ${c.injectionRate.mean.toFixed(2)} ± ${c.injectionRate.sd.toFixed(2)}`).join(' | ')} |`;
  });
  const check = c4(cells);
  return [
    `${f.algo} ρ × δ grid: ${f.stepsPerCell} steps per cell from ${f.checkpoint}, seeds ${f.seeds.join(', ')} (mean ± sd), greedy eval on ${f.evalSize} fixed problems per tier. ` +
      `Base: hard ${(100 * f.base.hard).toFixed(1)} %, easy ${(100 * f.base.easy).toFixed(1)} %. Each cell: hard-accuracy gain over the base (points), final easy accuracy, injection rate (share of groups per step).`,
    '',
    head,
    rule,
    ...rows,
    '',
    `- **C4** injection rate non-increasing in ρ (every δ): **${check.holds ? 'holds' : 'does not hold'}**${check.violations.length ? ` — ${check.violations.join('; ')}` : ''}`,
  ].join('\n');
}
